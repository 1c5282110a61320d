"""Documents: HTML templates rendered to A4 PDF by WeasyPrint with a CJK font embedded (subset).

Every document template extends templates/documents/base.html, which sets the page and the font. Apps call
render_pdf(template, context) and keep the bytes (documents are rendered once and stored, never re-rendered on read).
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# One CJK face is enough and keeps files small: WeasyPrint embeds only the glyphs used.
DOCUMENT_FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """A document of record is in the portal's language (Chinese), whatever language the person who caused it uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, {"document_font_family": DOCUMENT_FONT_FAMILY, **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a document template to PDF bytes."""
    return html_to_pdf(render_html(template_name, context))
