"""The bare views the benchmarks compare pages with: the same stack, one indexed query, a trivial template. What any
Django page of this server costs at the least.

- BareLookupView (bench/lookup_load.py): the same POST body and CSRF check as the lookup, one query by number.
- BareOfficerView (bench/supervision_scale.py): a logged-in province page (the same login and province access as
  the home page), one query through the certificates' (province, issued_on) index.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certificates.models import Certificate
from portal.models import Role
from portal.roles import ProvinceView, PublicView


class BareLookupView(PublicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        row = (Certificate.objects.filter(number=request.POST.get("number-number", ""))
               .values("number", "holder_name", "status").first())
        return render(request, "bench/bare.html", {"row": row})


class BareOfficerView(ProvinceView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        row = (Certificate.objects.filter(province=self.access.province).order_by("-issued_on")
               .values("number", "holder_name", "status").first())
        return render(request, "bench/bare.html", {"row": row})
