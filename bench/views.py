"""The bare view the lookup page is compared with: the same POST body and CSRF check, one indexed query by
certificate number, a trivial template. What any Django page of this server costs at the least."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certificates.models import Certificate
from portal.roles import PublicView


class BareLookupView(PublicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        row = (Certificate.objects.filter(number=request.POST.get("number-number", ""))
               .values("number", "holder_name", "status").first())
        return render(request, "bench/bare.html", {"row": row})
