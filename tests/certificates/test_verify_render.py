"""The fast rendering of the lookup page gives byte for byte what the templates give, in both languages, for every
shape of result; values are escaped; anything unusual takes the template path."""

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from certificates.models import Certificate
from certificates.views import verify_render
from tests.factories import a_certificate

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    verify_render._shells.clear()
    yield
    verify_render._shells.clear()


def _both(monkeypatch: pytest.MonkeyPatch, data: dict[str, str], language: str = "zh-hans") -> tuple[str, str]:
    def post() -> str:
        client = Client()
        client.cookies["django_language"] = language
        response = client.post("/verify/", data, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return CSRF.sub('name="csrfmiddlewaretoken" value="-"', response.content.decode())

    fast = post()
    monkeypatch.setattr(verify_render, "_fast_path", lambda request, context: False)
    slow = post()
    monkeypatch.undo()
    return fast, slow


def _number(c: Certificate, name: str | None = None) -> dict[str, str]:
    return {"mode": "number", "number-number": c.number, "number-name": name or c.holder_name}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_found_valid_certificate_renders_the_same(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    certificate = a_certificate("gd", name="林<b>芳</b>")

    fast, slow = _both(monkeypatch, _number(certificate), language)

    assert fast == slow
    assert "林&lt;b&gt;芳&lt;/b&gt;" in fast and "<b>芳" not in fast
    assert verify_render._shells  # the fast path was taken


def test_revoked_superseded_miss_and_several_results_render_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from certificates import services
    from tests.factories import provincial_officer, the_member

    revoked = a_certificate("gd", name="周杰", id_number="44010619900307123X")
    services.approve_change(services.request_revocation(
        revoked, acting_user=the_member(revoked.filing), reason_code="fraud", reason="代考 & 冒名"),
        acting_user=provincial_officer("gd"))
    corrected = a_certificate("sd", name="周杰", id_number="44010619900307123X")
    services.approve_change(services.request_correction(
        corrected, acting_user=the_member(corrected.filing), corrections={"work_type_name": "电焊工"},
        reason="工种漏填"), acting_user=provincial_officer("sd"))

    for data in (_number(revoked), _number(corrected), _number(revoked, "周杰伦"),
                 {"mode": "id", "id-id_number": "44010619900307123X", "id-name": "周杰"}):
        fast, slow = _both(monkeypatch, data)
        # the link to a replacement is signed with a timestamp: compare without it
        strip = re.compile(r'/verify/c/[^"/]+/')
        assert strip.sub("/verify/c/-/", fast) == strip.sub("/verify/c/-/", slow)
    assert "代考 &amp; 冒名" in fast


def test_a_marker_typed_into_the_form_stays_text() -> None:
    certificate = a_certificate("gd")

    html = Client().post("/verify/", _number(certificate, "\ue000csrf\ue001")).content.decode()

    assert "\ue000csrf\ue001" in html  # shown back as typed, never replaced by the token


def test_errors_and_signed_in_visitors_take_the_template_path(login: object) -> None:
    html = Client().post("/verify/", {"mode": "number", "number-number": "S12", "number-name": "王"}).content.decode()

    assert "证书编号应为22位" in html
    assert 'aria-invalid="true"' in html
    with translation.override("zh-hans"):
        assert not any(key == "page" for _, key in verify_render._shells)
