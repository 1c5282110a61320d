"""The certificate PDF: the signed QR payload, the QR code (segno, SVG data URI) and the A4 document.

The PDF is rendered once by the background pipeline (certificates.tasks) and kept; reads serve the stored file.
"""

import base64
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse

from portal.documents import html_to_pdf, render_html
from portal.identifiers import mask_id_number

from . import signing
from .models import Certificate

TEMPLATE = "documents/certificate.html"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url() -> str:
    """The portal's public address printed in QR codes (settings.PORTAL_PUBLIC_URL; set it in production)."""
    return str(getattr(settings, "PORTAL_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")


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
    """An SVG QR code (error correction M, the smallest version that fits) as a data URI."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2)  # type: ignore[no-any-return]


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
