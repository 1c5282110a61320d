"""The offline verifier in real Chromium under the portal's CSP: the first load caches the published keys and status
lists; then, with the network cut (and again after reopening the page offline), a valid credential passes every line, a tampered one fails its signature, a
revoked one fails its revocation line, and a QR image verifies its signature — with no request after the first load.
axe-core on the page; screenshots at 1366 and 390 px under /tmp/vc/."""

from pathlib import Path
from typing import Any

import pytest
import segno
from django.core.cache import cache
from django.test import Client

from certificates import services, signing
from certificates.models import Certificate
from tests.factories import a_certificate, city_officer_of, the_member

from .helpers import describe_violations, new_context, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]
SHOTS = Path("/tmp/vc")


def signed(name: str) -> Certificate:
    certificate = a_certificate("gd", name=name)
    key = services.active_signing_key(certificate.province)
    services.sign_certificate(certificate, key, signing.signer(signing.decrypt_private_key(key.private_key_encrypted)))
    certificate.save(update_fields=["payload", "signing_key"])
    return certificate


def credential_file(tmp_path: Path, certificate: Certificate, name: str) -> Path:
    response = Client().get(f"/verify/vc/{certificate.payload}/")
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def tampered(path: Path) -> Path:
    head, body, sig = path.read_text().split(".")
    raw = bytearray(signing.unb64url(body))
    raw[raw.index(b'"skillLevel":3') + len(b'"skillLevel":')] = ord("5")  # one byte: level 3 becomes 5
    out = path.with_name("tampered.jwt")
    out.write_text(f"{head}.{signing.b64url(bytes(raw))}.{sig}")
    return out


def lines(page: Any) -> list[str]:
    return page.eval_on_selector_all("#checklist li", "els => els.map(e => e.dataset.state)")


def check(page: Any, path: Path) -> str:
    page.evaluate("() => { document.getElementById('verifier').dataset.verdict = ''; }")
    page.set_input_files("#verifier-file", str(path))
    page.wait_for_function("() => document.getElementById('verifier').dataset.verdict !== ''")
    return str(page.get_attribute("#verifier", "data-verdict"))


@pytest.mark.django_db(transaction=True)
def test_the_verifier_works_with_the_network_cut(live_server: Any, browser: Any, tmp_path: Path) -> None:
    cache.clear()
    good, gone = signed("欧阳晓东"), signed("张三")
    good_vc, gone_vc = credential_file(tmp_path, good, "good.jwt"), credential_file(tmp_path, gone, "gone.jwt")
    change = services.request_revocation(gone, acting_user=the_member(gone.filing), reason_code="fraud",
                                         reason="考试中由他人代考，经核实")
    services.approve_change(change, acting_user=city_officer_of(gone.filing), note="同意撤销")
    qr_png = tmp_path / "qr.png"
    segno.make(f"{live_server.url}{signing.QR_PATH}{good.payload}", error="m").save(str(qr_png), scale=6)
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/verify/offline/")
    page.wait_for_selector("#verifier[data-ready='yes']")
    assert "已缓存" in page.inner_text("#cache-status")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.startswith("http") else None)

    assert check(page, good_vc) == "valid"
    assert lines(page) == ["pass", "pass", "pass", "pass"]
    assert good.number in page.inner_text("#fields") and "备案编号" in page.inner_text("#checklist")
    assert check(page, tampered(good_vc)) == "invalid"
    assert lines(page)[0] == "fail" and "篡改" in page.inner_text("#checklist")
    assert check(page, gone_vc) == "invalid"
    assert lines(page) == ["pass", "pass", "fail", "pass"]
    assert check(page, qr_png) == "partial"
    assert lines(page) == ["pass", "unchecked", "unchecked", "unchecked"]
    assert requests == []

    # reopened offline: the service worker serves the page and its files, the keys and lists come from the cache
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.reload()
    page.wait_for_selector("#verifier[data-ready='yes']")
    assert "当前离线" in page.inner_text("#cache-status")
    assert check(page, good_vc) == "valid"
    assert responses and all(r.from_service_worker for r in responses), [r.url for r in responses]
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"offline-{width}.png"), full_page=True)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_verifier_page_is_axe_clean(live_server: Any, browser: Any, tmp_path: Path) -> None:
    cache.clear()
    good = signed("欧阳晓东")
    context = new_context(browser, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/verify/offline/")
    page.wait_for_selector("#verifier[data-ready='yes']")
    page.set_input_files("#verifier-file", str(credential_file(tmp_path, good, "good.jwt")))
    page.wait_for_selector("#checklist li")

    violations = [v for v in run_axe(page) if v["impact"] in {"serious", "critical", "moderate"}]

    assert not violations, describe_violations(violations)
    context.close()
