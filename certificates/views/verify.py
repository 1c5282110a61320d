"""Public verification pages under /verify/ (no login): lookup by number or ID number with the holder's name, the
QR link, the person's lifelong record (技能银行) and the provinces' published public keys.

Every lookup needs both factors, counts against the caller's address limit and is logged (services); a miss says
only that nothing matched.
"""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from portal.errors import DomainError
from portal.models import Province
from portal.ratelimit import client_ip
from portal.roles import PublicView

from .. import selectors, services, signing, verify_checklist
from ..forms.certificates import IdLookupForm, NumberLookupForm, plainly_valid_number_lookup
from ..models.issuance import LookupChannel
from . import verify_render

PERSON_TEMPLATE = "certificates/issuance/person.html"
NUMBER, ID_NUMBER = "number", "id"


def shown(certificates: list[selectors.PublicCertificate], *, checks: bool = True,
          scanned: signing.Payload | None = None) -> list[dict[str, Any]]:
    """What the public sees of each certificate: the printed fields with the ID masked, the status and (on the
    lookup page) the verify checklist."""
    if not checks:
        return [selectors.public_view(c) for c in certificates]
    return verify_checklist.checked_views(certificates, scanned=scanned)


def form_state(form: forms.Form | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(what was typed, the errors) of a bound lookup form, by field name, for the hand-written form markup."""
    if form is None or not form.is_bound:
        return {}, {}
    values = {name: str(form.data.get(form.add_prefix(name), "")) for name in form.fields}
    return values, {name: [str(e) for e in errors] for name, errors in form.errors.items()}


class LookupView(PublicView):
    """证书查询: by certificate number + name, or ID number + name."""

    def page(self, request: HttpRequest, *, number_form: NumberLookupForm | None = None,
             id_form: IdLookupForm | None = None, status: int = 200, typed: dict[str, str] | None = None,
             **context: Any) -> HttpResponse:
        """`typed`: what was typed in the number form, when it was taken without building the form."""
        number_values, number_errors = form_state(number_form) if typed is None else (typed, {})
        id_values, id_errors = form_state(id_form)
        return verify_render.lookup_page(request, {
            "number_values": number_values, "number_errors": number_errors, "id_values": id_values,
            "id_errors": id_errors, **context,
        }, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        mode = request.POST.get("mode")
        try:
            if mode == ID_NUMBER:
                id_form = IdLookupForm(request.POST, prefix=ID_NUMBER)
                if not id_form.is_valid():
                    return self.page(request, id_form=id_form, mode=mode)
                found = services.lookup_by_id_number(id_form.cleaned_data["id_number"], id_form.cleaned_data["name"],
                                                     ip=client_ip(request))
                return self.page(request, id_form=id_form, mode=mode, searched=True, results=shown(found))
            plain = plainly_valid_number_lookup(request.POST, NUMBER)
            if plain is None:  # anything but the usual post: the form validates it and words the errors
                number_form = NumberLookupForm(request.POST, prefix=NUMBER)
                if not number_form.is_valid():
                    return self.page(request, number_form=number_form, mode=NUMBER)
                plain = number_form.cleaned_data["number"], number_form.cleaned_data["name"]
            certificate = services.lookup_by_number(*plain, ip=client_ip(request))
            return self.page(request, mode=NUMBER, searched=True, results=shown([certificate] if certificate else []),
                             typed={f: str(request.POST.get(f"{NUMBER}-{f}", "")) for f in NumberLookupForm.base_fields})
        except DomainError as exc:
            return self.page(request, error=str(exc), status=exc.status)


class QrVerifyView(PublicView):
    """The QR code's link: the signed payload is the second factor, so the page shows the certificate at once."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            payload, certificate = services.lookup_by_payload(token, ip=client_ip(request))
        except DomainError as exc:
            status = exc.status if exc.status == 429 else 400
            return verify_render.lookup_page(request, {"error": str(exc)}, status=status)
        return verify_render.lookup_page(request, {
            "searched": True, "signature_verified": True, "payload": payload, "credential_token": token,
            "results": shown([certificate] if certificate else [], scanned=payload),
        })


class LinkedCertificateView(PublicView):
    """A link from one verified certificate to another (superseded → its replacement), signed by the portal and
    short-lived, so the visitor who proved both factors for the first needn't type them again."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context: dict[str, Any] = {}
        try:
            certificate = services.lookup_by_link(token, ip=client_ip(request))
        except DomainError as exc:
            return verify_render.lookup_page(request, {**context, "error": str(exc)},
                                             status=exc.status if exc.status == 429 else 400)
        return verify_render.lookup_page(request, {**context, "searched": True,
                                                   "results": shown([certificate] if certificate else [])})


class PersonRecordView(PublicView):
    """个人证书记录（技能银行）: every certificate one person holds, across organizations and provinces."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, PERSON_TEMPLATE, {"form": IdLookupForm(prefix=ID_NUMBER)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IdLookupForm(request.POST, prefix=ID_NUMBER)
        if not form.is_valid():
            return render(request, PERSON_TEMPLATE, {"form": form})
        try:
            found = services.lookup_by_id_number(form.cleaned_data["id_number"], form.cleaned_data["name"],
                                                 ip=client_ip(request), channel=LookupChannel.PERSON)
        except DomainError as exc:
            return render(request, PERSON_TEMPLATE, {"form": form, "error": str(exc)}, status=exc.status)
        return render(request, PERSON_TEMPLATE, {"form": form, "searched": True, "results": shown(found, checks=False),
                                                 "valid_count": sum(c.is_valid for c in found)})


class PublicKeysView(PublicView):
    """The province's signing public keys with their validity (every key that ever signed), for offline checks."""

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = get_object_or_404(Province, slug=province)
        response = JsonResponse(selectors.key_file(p), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Cache-Control"] = "public, max-age=300"
        response["Content-Disposition"] = f'inline; filename="{p.slug}.json"'
        return response

