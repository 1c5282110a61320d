"""The certificate PDF: the signed QR payload, the QR code (segno, SVG data URI) and the A4 document.

The PDF is rendered once by the background pipeline (certificates.tasks) and kept; reads serve the stored file.
"""

import base64
import io
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse

from portal.documents import html_to_pdf, render_html
from portal.identifiers import mask_id_number

from . import signing
from .models import Certificate

TEMPLATE = "documents/certificate.html"
QR_MASK = 0
QR_QUIET_ZONE = 4
QR_PIXELS_PER_MODULE = 8
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url() -> str:
    """The portal's public address printed in QR codes: settings.PORTAL_PUBLIC_URL, else https:// and the first
    concrete host of ALLOWED_HOSTS, else the development server's address."""
    configured = str(getattr(settings, "PORTAL_PUBLIC_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    hosts = list(settings.ALLOWED_HOSTS)
    if not settings.DEBUG and hosts and "*" not in hosts and not hosts[0].startswith(".") \
            and hosts[0] not in ("127.0.0.1", "localhost"):
        return f"https://{hosts[0]}"
    return DEFAULT_PUBLIC_URL


def payload_for(certificate: Certificate, key_id: str) -> signing.Payload:
    return signing.Payload(
        key_id=key_id,
        number=certificate.number,
        holder_name=certificate.holder_name,
        masked_id=mask_id_number(certificate.id_number),
        occupation_code=certificate.occupation_code,
        level=certificate.level,
        issued_on=certificate.issued_on,
        organization=certificate.organization_name,
    )


def verification_path(token: str) -> str:
    return reverse("verify:qr", kwargs={"token": token})


def verification_url(token: str) -> str:
    return public_url() + verification_path(token)


def qr_data_uri(text: str) -> str:
    """The QR code as a black-and-white PNG data URI (~2 KB): error correction M, the smallest version that fits
    (about 12 for a verification URL), the 4-module quiet zone, 8 pixels per module so that viewers and printers
    that smooth images still show sharp modules.

    The mask pattern is fixed: choosing the "best" of the eight by their penalty scores costs segno about 0.1 s per
    code in pure Python, and any mask decodes the same (ISO/IEC 18004 allows each). The pixels are drawn by Pillow
    (C) rather than segno's pure-Python PNG writer, which takes several times longer at this size.
    """
    from PIL import Image, ImageOps

    matrix = segno.make(text, error="m", micro=False, mask=QR_MASK).matrix
    size = len(matrix)
    modules = Image.frombytes("L", (size, size), bytes(255 - 255 * dark for row in matrix for dark in row))
    image = ImageOps.expand(modules, border=QR_QUIET_ZONE, fill=255)
    image = image.resize((image.width * QR_PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _photo_uri(certificate: Certificate) -> str:
    if not certificate.photo:
        return ""
    with certificate.photo.open("rb") as handle:
        data = handle.read()
    kind = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    if not certificate.payload:
        raise ValueError("sign the certificate's payload before rendering it")
    return {
        "certificate": certificate,
        "level_label": certificate.level_label,
        "qr_uri": qr_data_uri(verification_url(certificate.payload)),
        "photo_uri": _photo_uri(certificate),
        "lookup_url": public_url() + reverse("verify:lookup"),
        "province_name": certificate.province.name,
    }


def render_certificate_html(certificate: Certificate) -> str:
    return render_html(TEMPLATE, certificate_context(certificate))


def render_certificate_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf(render_certificate_html(certificate))
