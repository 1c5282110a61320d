"""The one upload check of the portal: the type is read from the file's content, never its name; the size is limited.

Every app's uploads (application evidence, question banks, rosters, objection attachments) go through
`check_upload`; the allowed types are PDF, JPG, PNG, DOCX and XLSX.
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    DOCX: "DOCX",
    XLSX: "XLSX",
}
ALLOWED_KEYS = {label: content_type for content_type, label in ALLOWED.items()}


class UploadRejected(DomainError):
    code = "upload_rejected"


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse files that are empty, too large, or whose content is not PDF, JPG, PNG, DOCX or XLSX."""
    size = upload.size or 0
    if size == 0:
        raise UploadRejected(_("文件“%(name)s”是空文件。") % {"name": upload.name}, code="upload_empty")
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("文件“%(name)s”大小为%(size)s，超过%(limit)s的上限。")
            % {"name": upload.name, "size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="upload_too_large",
        )
    content_type = sniff(upload)
    if content_type is None:
        raise UploadRejected(
            _("文件“%(name)s”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。")
            % {"name": upload.name},
            code="upload_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())
