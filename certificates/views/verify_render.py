"""The public lookup page, rendered fast for anonymous visitors: the page and a result card are rendered by Django
once per language (and card status) with markers where a request's values go, kept in process memory, and each
request fills the markers with its values, HTML-escaped. The output is byte for byte what the templates give
(tests/certificates/test_verify_render.py compares the two for every shape of the page).

Why: the page must stay fast under load (bench/lookup_load.py); rendering base.html, the forms and the cards node by
node costs several times the indexed query. Anything unusual — a signed-in visitor, a pending message, errors, a
query string — takes the ordinary template path.
"""

import re
from html import escape as html_escape  # what django.utils.html.escape runs, without its lazy-text wrapper
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from portal.csrf import masked_token

PAGE = "certificates/issuance/verify.html"
RESULTS = "certificates/issuance/_results.html"
CARD = "certificates/issuance/_certificate_card.html"
CARD_FIELDS = (
    "number", "holder_name", "masked_id", "id_type_label", "occupation_code", "occupation_name", "work_type_name",
    "level_label", "organization_name", "province_name", "issued_on_text", "status_changed_on_text",
    "revocation_text", "superseded_by", "superseded_by_url",
    "check_signature_evidence", "check_issuer_evidence", "check_revocation_evidence",
)
CHECK_STATES = ("check_signature_state", "check_issuer_state", "check_revocation_state")
STATUSES = ("valid", "revoked", "superseded")
PAGE_VALUES = ("csrf", "number_number", "number_name", "id_id_number", "id_name", "results")
_MARK = re.compile("\ue000([a-z_]+)\ue001")
_shells: dict[tuple[str, str], str] = {}


def mark(name: str) -> SafeString:
    return mark_safe(f"\ue000{name}\ue001")  # noqa: S308 - a marker, replaced by escaped text before sending


def _fill(shell: str, values: dict[str, str]) -> str:
    """One pass: the values are not scanned again, so a marker typed into a form stays text."""
    return _MARK.sub(lambda m: values[m.group(1)], shell)


def _shell(key: str, render: Any) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    shell = _shells.get((language, key))
    if shell is None:
        shell = _shells[(language, key)] = render()
    return shell


def results_html(results: list[dict[str, Any]]) -> SafeString:
    """The result cards (or the miss message), from the cached cards."""
    if not results:
        return mark_safe(render_to_string(RESULTS, {"results": []}))  # noqa: S308 - rendered by the template engine
    parts = []
    for c in results:
        states = {k: c[k] for k in CHECK_STATES}
        shell = _shell(":".join(["card", c["status"], *states.values()]),
                       lambda status=c["status"], states=states: render_to_string(
                           CARD, {"c": {**{f: mark(f) for f in CARD_FIELDS}, "status": status, **states}}))
        parts.append(_fill(shell, {f: html_escape(str(c[f])) for f in CARD_FIELDS}))
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def _fast_path(request: HttpRequest, context: dict[str, Any]) -> bool:
    return (
        request.get_full_path() == request.path == "/verify/"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not context.get("error") and not context.get("signature_verified")
        and not context.get("number_errors") and not context.get("id_errors")
    )


def lookup_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The lookup page with `context` (number_values, id_values, results, error, ...)."""
    results = context.get("results")
    html = results_html(results) if results is not None else None
    if html is None or not _fast_path(request, context):
        full = {**context, "results_html": html} if html is not None else context
        return HttpResponse(render_to_string(PAGE, full, request=request), status=status)
    shell = _shell("page", lambda: render_to_string(PAGE, {
        "searched": True, "csrf_token": mark("csrf"), "results_html": mark("results"),
        "number_values": {"number": mark("number_number"), "name": mark("number_name")},
        "id_values": {"id_number": mark("id_id_number"), "name": mark("id_name")},
        "number_errors": {}, "id_errors": {},
    }, request=request))
    number_values, id_values = context.get("number_values") or {}, context.get("id_values") or {}
    return HttpResponse(_fill(shell, {
        "csrf": masked_token(request), "results": html,  # the token is letters and digits: nothing to escape
        "number_number": html_escape(number_values.get("number", "")),
        "number_name": html_escape(number_values.get("name", "")),
        "id_id_number": html_escape(id_values.get("id_number", "")), "id_name": html_escape(id_values.get("name", "")),
    }), status=status)
