"""The one upload check of the portal: the type is read from the file's content, never its name; size is limited.

Every app's uploads (application evidence, question banks, rosters, objection attachments) go through
`check_upload`; the allowed types are PDF, JPG, PNG, DOCX and XLSX, each with its own size limit. Beyond the type:
an Office file is a zip archive, so its declared uncompressed size and compression ratio are read from the
directory (never decompressed) and a zip bomb is refused; a PDF carrying JavaScript, a launch action or an embedded
file, and an Office file carrying macros, are refused; when `CLAMD_ADDRESS` is set, every file is scanned by ClamAV
(`portal.clamd`) and refused if infected — or if the scanner cannot be reached, unless `CLAMD_FAIL_OPEN` says so.
"""

import hashlib
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import clamd
from .errors import Codes, DomainError

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {PDF: "PDF", JPEG: "JPG", PNG: "PNG", DOCX: "DOCX", XLSX: "XLSX"}
ALLOWED_KEYS = {label: content_type for content_type, label in ALLOWED.items()}
# Images are photos and scans: a smaller limit than documents (settings.UPLOAD_MAX_BYTES overrides per type).
DEFAULT_TYPE_LIMITS = {PDF: MAX_UPLOAD_BYTES, DOCX: MAX_UPLOAD_BYTES, XLSX: MAX_UPLOAD_BYTES,
                       JPEG: 10 * 1024 * 1024, PNG: 10 * 1024 * 1024}

# An Office archive: at most this much once unpacked, this many members, and no member packed tighter than this
# ratio (real DOCX/XLSX stay far below; a zip bomb is thousands to one).
ARCHIVE_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ARCHIVE_MAX_MEMBERS = 10_000
ARCHIVE_MAX_RATIO = 200
# What makes a PDF act rather than show (names as PDF writes them, after #xx escapes are undone).
PDF_ACTIVE_NAMES = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia", b"/SubmitForm",
                    b"/ImportData")
PDF_MAX_INFLATED_BYTES = 64 * 1024 * 1024  # scanning compressed streams never inflates more than this in all
MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex/")
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject", b"ms-office.activeX")


class UploadRejected(DomainError):
    code = Codes.UPLOAD_REJECTED


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def sniff(upload: UploadedFile | IO[bytes]) -> str | None:
    """The content type, read from the first bytes (and the zip directory of an Office file); None if not allowed."""
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def type_limit(content_type: str) -> int:
    limits = {**DEFAULT_TYPE_LIMITS, **getattr(settings, "UPLOAD_MAX_BYTES", {})}
    return min(int(limits.get(content_type, MAX_UPLOAD_BYTES)), MAX_UPLOAD_BYTES)


def _too_large(name: str, size: int, limit: int) -> UploadRejected:
    return UploadRejected(
        _("文件“%(name)s”大小为%(size)s，超过%(limit)s的上限。")
        % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        code=Codes.UPLOAD_TOO_LARGE,
    )


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse files that are empty, too large, not PDF, JPG, PNG, DOCX or XLSX by content, or active or infected."""
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise UploadRejected(_("文件“%(name)s”是空文件。") % {"name": name}, code=Codes.UPLOAD_EMPTY)
    if size > MAX_UPLOAD_BYTES:
        raise _too_large(name, size, MAX_UPLOAD_BYTES)
    content_type = sniff(upload)
    if content_type is None:
        raise UploadRejected(
            _("文件“%(name)s”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。")
            % {"name": name},
            code=Codes.UPLOAD_TYPE,
        )
    if size > type_limit(content_type):
        raise _too_large(name, size, type_limit(content_type))
    if content_type in (DOCX, XLSX):
        check_office_archive(upload, name)
    elif content_type == PDF:
        check_pdf(upload, name)
    scan_for_viruses(upload, name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())


def check_office_archive(stream: UploadedFile | IO[bytes], name: str) -> None:
    """Refuse a DOCX/XLSX that unpacks too far (a zip bomb) or carries macros; reads only the zip directory."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            content_types = archive.read("[Content_Types].xml") if _small(archive, "[Content_Types].xml") else b""
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UploadRejected(_("文件“%(name)s”已损坏，无法读取。") % {"name": name}, code=Codes.UPLOAD_TYPE) from exc
    finally:
        stream.seek(0)
    unpacked = sum(member.file_size for member in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1024 * 1024), default=0)
    if len(members) > ARCHIVE_MAX_MEMBERS or unpacked > ARCHIVE_MAX_UNPACKED_BYTES or ratio > ARCHIVE_MAX_RATIO:
        raise UploadRejected(
            _("文件“%(name)s”解压后过大（压缩炸弹），已拒收。请上传正常的 Office 文件。") % {"name": name},
            code=Codes.UPLOAD_ARCHIVE_TOO_LARGE,
        )
    names = [member.filename.lower() for member in members]
    if any(marker in entry for entry in names for marker in MACRO_MARKERS) or any(
            marker in content_types for marker in MACRO_CONTENT_TYPES):
        raise UploadRejected(
            _("文件“%(name)s”含有宏或 ActiveX 控件，已拒收。请另存为不含宏的 DOCX/XLSX 后上传。") % {"name": name},
            code=Codes.UPLOAD_ACTIVE_CONTENT,
        )


def _small(archive: zipfile.ZipFile, member: str) -> bool:
    return archive.getinfo(member).file_size <= 1024 * 1024


_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")


def _unescape_names(data: bytes) -> bytes:
    """PDF names may spell letters as #xx (/J#61vaScript is /JavaScript): undo it before looking."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    """The compressed streams of a PDF, inflated (object streams can hide a whole object), within a total budget."""
    budget = PDF_MAX_INFLATED_BYTES
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0 or budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[start:end], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def check_pdf(stream: UploadedFile | IO[bytes], name: str) -> None:
    """Refuse a PDF that can act: JavaScript, a launch action, an embedded file, rich media, form submission."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    for part in (data, *_inflated_streams(data)):
        plain = _unescape_names(part)
        if any(re.search(re.escape(marker) + rb"(?![A-Za-z0-9])", plain) for marker in PDF_ACTIVE_NAMES):
            raise UploadRejected(
                _("文件“%(name)s”含有脚本、启动动作或嵌入文件，已拒收。请上传普通的 PDF（可“打印为 PDF”后再上传）。")
                % {"name": name},
                code=Codes.UPLOAD_ACTIVE_CONTENT,
            )


def scan_for_viruses(stream: UploadedFile | IO[bytes], name: str) -> None:
    """Refuse an infected upload (ClamAV, when `CLAMD_ADDRESS` is set); an unreachable scanner refuses too (503),
    unless `CLAMD_FAIL_OPEN` is True, when the miss is logged and the file accepted."""
    address = getattr(settings, "CLAMD_ADDRESS", "")
    if not address:
        return
    try:
        verdict = clamd.scan(stream, address=address, timeout=float(getattr(settings, "CLAMD_TIMEOUT", 30.0)))
    except OSError as exc:
        if getattr(settings, "CLAMD_FAIL_OPEN", False):
            logger.warning("clamd at %s unreachable (%s): %s accepted unscanned", address, exc, name)
            return
        raise UploadRejected(_("病毒扫描暂不可用，文件“%(name)s”未能上传，请稍后再试。") % {"name": name},
                             code=Codes.UPLOAD_SCAN_UNAVAILABLE, status=503) from exc
    if verdict.endswith("FOUND"):
        logger.warning("clamd refused %s: %s", name, verdict)
        raise UploadRejected(_("文件“%(name)s”未通过病毒扫描，已拒收。") % {"name": name}, code=Codes.UPLOAD_INFECTED)
    if not verdict.endswith("OK"):
        raise UploadRejected(_("病毒扫描未能完成，文件“%(name)s”未能上传，请稍后再试。") % {"name": name},
                             code=Codes.UPLOAD_SCAN_UNAVAILABLE, status=503)
