"""Verifiable credentials on the public side (/verify/, no login): a certificate's vc+jwt for the holder of its QR
payload, the status lists, the portal's JSON-LD context and the offline verifier page with its service worker."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from portal.errors import DomainError
from portal.ratelimit import client_ip
from portal.roles import PublicView

from .. import services, vc, verify_context
from . import verify_render

LIST_MAX_AGE = 300
FIELD_LABELS = {
    "certificateNumber": _("证书编号"), "holderName": _("姓名"), "maskedIdNumber": _("证件号码"),
    "occupationCode": _("职业编码"), "occupationName": _("职业名称"), "workTypeName": _("工种/职业方向"),
    "skillLevel": _("等级"), "skillLevelName": _("等级名称"), "issuedOn": _("发证日期"), "organization": _("评价机构"),
}
VERIFIER_VERSION = "1"  # bump when the verifier's files change: the service worker then caches them anew


def vc_response(token: str, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(token, content_type=vc.MEDIA_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CredentialDownloadView(PublicView):
    """下载可验证凭证: the QR payload (in the link) proves the certificate is in hand, as on the QR page."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            certificate, credential = services.credential_for_payload(token, ip=client_ip(request))
        except DomainError as exc:
            status = exc.status if exc.status in (404, 429) else 400
            return verify_render.lookup_page(request, {"error": str(exc)}, status=status)
        return vc_response(credential, filename=f"{certificate.number}.jwt")


class StatusListView(PublicView):
    """证书状态列表 (Bitstring Status List), signed; cacheable, with an ETag naming its bits and key."""

    def get(self, request: HttpRequest, province: str, purpose: str, number: int) -> HttpResponse:
        try:
            credential, etag = services.status_list_for(province, purpose, number)
        except DomainError as exc:
            return JsonResponse({"code": exc.code, "detail": str(exc)}, status=exc.status)
        quoted = f'W/"{etag}"'
        if quoted in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        else:
            response = vc_response(credential)
        response["ETag"] = quoted
        response["Cache-Control"] = f"public, max-age={LIST_MAX_AGE}"
        return response


class ContextView(PublicView):
    """The portal's JSON-LD context for the certificate credential's terms (served here, never fetched elsewhere)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = JsonResponse(verify_context.CONTEXT, json_dumps_params={"ensure_ascii": False, "indent": 2},
                                content_type="application/ld+json")
        response["Cache-Control"] = "public, max-age=86400"
        return response


class BundleView(PublicView):
    """What the offline verifier caches on first load: the provinces' key files and status list addresses."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = JsonResponse(services.verifier_bundle(), json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-cache"
        return response


class OfflineVerifierView(PublicView):
    """离线验证: reads a QR code (camera or image) or a credential file and checks it in the browser."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "certificates/verifier/offline.html", {"field_labels": FIELD_LABELS})


@method_decorator(never_cache, name="dispatch")
class ServiceWorkerView(PublicView):
    """The service worker, served under /verify/offline/ so that its scope covers the page when offline."""

    def get(self, request: HttpRequest) -> HttpResponse:
        assets = [static("verifier/verifier.js"), static("verifier/verifier.css"), static("vendor/jsqr/jsQR.js"),
                  static("css/portal.css"), static("js/portal.js")]
        body = render_to_string("certificates/verifier/sw.js", {"assets": assets, "page": reverse("verify:offline"),
                                                                "version": VERIFIER_VERSION})
        return HttpResponse(body, content_type="text/javascript")
