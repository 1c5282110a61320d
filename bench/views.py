"""The bare views the benchmarks compare pages with: the same stack, one indexed query, a trivial template. What any
Django page of this server costs at the least.

- BareLookupView (bench/lookup_load.py): the same POST body and CSRF check as the lookup, one query by number.
- BareLookupAPIView (bench/lookup_load.py): the lookup API's JSON body ({"number", "name"}), one query by number, a
  minimal JSON answer. A plain Django view with JsonResponse, not DRF: the baseline is what a bare Django view costs,
  so the API's own machinery (DRF's request parsing, serializers, renderer) is part of what the benchmark measures.
  CSRF-exempt as the API is (it takes no session cookie).
- BareOfficerView (bench/supervision_scale.py): a logged-in province page (the same login and province access as
  the home page), one query through the certificates' (province, issued_on) index.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from certificates.models import Certificate
from portal.models import Role
from portal.roles import ProvinceView, PublicView


class BareLookupView(PublicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        row = (Certificate.objects.filter(number=request.POST.get("number-number", ""))
               .values("number", "holder_name", "status").first())
        return render(request, "bench/bare.html", {"row": row})


@method_decorator(csrf_exempt, name="dispatch")
class BareLookupAPIView(PublicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body or b"{}")
        row = (Certificate.objects.filter(number=str(body.get("number", "")))
               .values("number", "holder_name", "status").first())
        return JsonResponse({"results": [row] if row else []})


class BareOfficerView(ProvinceView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        row = (Certificate.objects.filter(province=self.access.province).order_by("-issued_on")
               .values("number", "holder_name", "status").first())
        return render(request, "bench/bare.html", {"row": row})
