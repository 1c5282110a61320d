"""The certificate PDF and its QR code: Chinese fields as text, one embedded CJK font, under 200 KB; the QR code read
back from a rendered image verifies offline with nothing but the published key file — with the portal's command and
with OpenSSL — and a payload with one changed character does not."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from certificates import services, signing
from certificates.models import Certificate
from tests.factories import FilingFactory, approved_plan, the_member

# poppler-utils, zbar-tools and openssl are installed by scripts/setup.sh
pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(django_capture_on_commit_callbacks: Callable[..., object], tmp_path: Path) -> tuple[Certificate, Path]:
    filing = FilingFactory(province="gd", organization_sequence="000321")
    plan = approved_plan(filing, candidates=0)
    from tests.factories import CandidateFactory

    CandidateFactory(plan=plan, name="欧阳明珠", id_number="44010619900307123X")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        batch = services.issue_certificates(filing, acting_user=the_member(filing), plan=plan)
    certificate = Certificate.objects.get(batch=batch)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.read())
    return certificate, path


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def qr_text(pdf: Path) -> str:
    run("pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(pdf.with_suffix("")))
    # QR codes only, as verify_certificate_qr reads them: with every symbology on, zbar now and then also reads a
    # 1-D barcode in the page's text and prints it on a second line (seen once in CI: "…/\n990111")
    return run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(pdf.with_suffix(".png"))).strip()


def test_the_pdf_shows_the_chinese_fields_with_one_embedded_cjk_font(rendered: tuple[Certificate, Path]) -> None:
    certificate, pdf = rendered

    text = run("pdftotext", "-layout", str(pdf), "-")
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]

    for field in ("职业技能等级证书", "欧阳明珠", "居民身份证", "44010619900307123X", "焊工", "6-18-02-04", "三级/高级工",
                  certificate.number, certificate.organization_name, certificate.issued_on.strftime("%Y年%-m月%-d日")):
        assert field in text
    assert len(fonts) == 1
    name, *_, emb, sub, uni, _obj, _gen = fonts[0].split()
    assert "CJK" in name and (emb, sub, uni) == ("yes", "yes", "yes")
    assert pdf.stat().st_size < 200 * 1024


def test_the_qr_code_verifies_offline_with_the_published_key(rendered: tuple[Certificate, Path],
                                                              tmp_path: Path) -> None:
    certificate, pdf = rendered
    # given the QR code read from a picture of the PDF, and the key file as the province publishes it
    text = qr_text(pdf)
    assert text.startswith("http://127.0.0.1:8000/verify/q/")
    key_file = tmp_path / "gd.json"
    key_file.write_text(Client().get("/verify/keys/gd.json").content.decode())

    # when the command checks it with only that file, in a process whose database does not exist
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test",
           "DATABASE_URL": "postgres://nobody:none@127.0.0.1:9/none"}
    result = subprocess.run([sys.executable, "manage.py", "verify_certificate_qr", "--keys", str(key_file), "--json",
                             text], capture_output=True, text=True, check=False, env=env, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr

    # then it verifies and gives the printed fields
    assert json.loads(result.stdout) == {
        "key_id": certificate.signing_key.key_id, "number": certificate.number, "holder_name": "欧阳明珠",
        "masked_id": "4401**********123X", "occupation_code": "6-18-02-04", "level": 3,
        "issued_on": certificate.issued_on.isoformat(), "organization": certificate.organization_name,
    }
    # and a payload with one changed character does not
    token = text.split("/verify/q/", 1)[1].strip("/")
    tampered = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify_certificate_qr", "--keys", str(key_file), tampered, stdout=StringIO())


def test_openssl_verifies_the_decoded_qr_with_the_published_pem(rendered: tuple[Certificate, Path],
                                                                tmp_path: Path) -> None:
    # an implementation independent of the portal: OpenSSL's Ed25519 over the body, with the published PEM
    _, pdf = rendered
    token = qr_text(pdf).split("/verify/q/", 1)[1].strip("/")
    keys = json.loads(Client().get("/verify/keys/gd.json").content)
    body, signature = (signing.unb64url(p) for p in token.split("."))
    kid = body.decode().split("|")[1]
    [entry] = [k for k in keys["keys"] if k["kid"] == kid]
    (tmp_path / "key.pem").write_text(entry["public_key_pem"])
    (tmp_path / "sig").write_bytes(signature)
    (tmp_path / "body").write_bytes(body)
    (tmp_path / "tampered").write_bytes(body.replace("欧阳明珠".encode(), "欧阳明朱".encode()))

    def verify(name: str) -> int:
        return subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "key.pem"),
                               "-rawin", "-in", str(tmp_path / name), "-sigfile", str(tmp_path / "sig")],
                              capture_output=True, check=False).returncode

    assert (verify("body"), verify("tampered") != 0) == (0, True)


def test_the_qr_link_opens_the_certificate_without_a_second_factor(rendered: tuple[Certificate, Path]) -> None:
    cache.clear()
    certificate, pdf = rendered
    path = qr_text(pdf).removeprefix("http://127.0.0.1:8000")

    page = Client().get(path)
    tampered = Client().get(path.replace("/q/Q", "/q/R", 1))

    assert page.status_code == 200
    html = page.content.decode()
    assert "二维码数字签名验证通过" in html and certificate.number in html and "4401**********123X" in html
    assert tampered.status_code == 400
    assert "二维码数据无效或已被篡改" in tampered.content.decode()


def test_old_certificates_keep_verifying_after_a_key_rotation(rendered: tuple[Certificate, Path],
                                                              tmp_path: Path) -> None:
    certificate, pdf = rendered
    old_kid = certificate.signing_key.key_id
    call_command("rotate_signing_key", "gd", "--reason", "年度轮换", stdout=StringIO())

    keys = json.loads(Client().get("/verify/keys/gd.json").content)
    by_kid = {k["kid"]: k for k in keys["keys"]}
    assert by_kid[old_kid]["active"] is False and by_kid[old_kid]["valid_until"] is not None
    assert [k["active"] for k in keys["keys"]].count(True) == 1
    key_file = tmp_path / "gd.json"
    key_file.write_text(json.dumps(keys))
    stdout = StringIO()
    call_command("verify_certificate_qr", "--keys", str(key_file), "--image", str(_png(pdf)), stdout=stdout)
    assert f"VERIFIED with key {old_kid}" in stdout.getvalue()


def _png(pdf: Path) -> Path:
    run("pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(pdf.with_suffix("")))
    return pdf.with_suffix(".png")
