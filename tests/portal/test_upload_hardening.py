"""Uploads that look allowed but are not: zip bombs dressed as XLSX, PDFs that run scripts, Office files with
macros, files over their type's limit, and (when configured) what ClamAV finds."""

import io
import socket
import struct
import threading
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from portal.uploads import DOCX, PDF, XLSX, UploadRejected, check_upload

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _pdf(body: bytes = b"") -> bytes:
    return (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R " + body + b" >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def _office(kind: str, extra: dict[str, bytes] | None = None, content_types: bytes = b"<Types/>") -> bytes:
    buffer = io.BytesIO()
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(main, b"<root/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb(unpacked_mb: int) -> bytes:
    """An "XLSX" whose one sheet unpacks to `unpacked_mb` MB of zeros (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRejected) as refused:
        check_upload(_upload(name, content))
    return str(refused.value.code)


def test_a_zip_bomb_dressed_as_xlsx_is_refused_without_unpacking_it() -> None:
    bomb = _zip_bomb(300)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        code = _refusal("成绩.xlsx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == "upload_archive_too_large"
    assert peak < 20 * 1024 * 1024  # the 300 MB were never inflated


def test_an_ordinary_office_file_passes() -> None:
    assert check_upload(_upload("名册.xlsx", _office("xlsx"))).content_type == XLSX
    assert check_upload(_upload("报告.docx", _office("docx"))).content_type == DOCX


@pytest.mark.parametrize(("name", "content"), [
    ("宏.docx", _office("docx", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
    ("宏.xlsx", _office("xlsx", content_types=b'<Types><Default ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')),
    ("控件.docx", _office("docx", {"word/activeX/activeX1.xml": b"<ax/>"})),
])
def test_office_files_with_macros_or_activex_are_refused(name: str, content: bytes) -> None:
    assert _refusal(name, content) == "upload_active_content"


@pytest.mark.parametrize("body", [
    b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
    b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",  # names spelled with #xx escapes
    b"/OpenAction << /S /Launch /F (cmd.exe) >>",
    b"/Names << /EmbeddedFiles 3 0 R >>",
])
def test_pdfs_that_act_are_refused(body: bytes) -> None:
    assert _refusal("材料.pdf", _pdf(body)) == "upload_active_content"


def test_javascript_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = zlib.compress(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj")
    content = _pdf() + b"4 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream\nendobj\n"
    assert _refusal("材料.pdf", content) == "upload_active_content"


def test_a_plain_pdf_passes_and_a_word_like_js_is_not_a_script() -> None:
    assert check_upload(_upload("材料.pdf", _pdf(b"/Lang (zh-CN) /JSON (not a name we look for)"))).content_type == PDF


def test_each_type_has_its_own_limit() -> None:
    eleven_mb = 11 * 1024 * 1024
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * eleven_mb
    assert _refusal("照片.png", png) == "upload_too_large"
    assert check_upload(_upload("扫描件.pdf", _pdf() + b"%" + b"0" * eleven_mb + b"\n")).content_type == PDF


@pytest.fixture
def fake_clamd() -> Iterator[str]:
    """A clamd speaking INSTREAM on a local port: FOUND for the EICAR test string, OK for anything else."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                assert conn.recv(10) == b"zINSTREAM\0"
                data = b""
                while True:
                    size = struct.unpack("!L", _exactly(conn, 4))[0]
                    if size == 0:
                        break
                    data += _exactly(conn, size)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(verdict)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    server.close()


def _exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        part = conn.recv(size - len(data))
        if not part:
            raise ConnectionError("short read")
        data += part
    return data


def test_clamd_refuses_an_infected_file_and_passes_a_clean_one(fake_clamd: str) -> None:
    with override_settings(CLAMD_ADDRESS=fake_clamd):
        assert _refusal("病毒.pdf", _pdf(b"/Title (" + EICAR + b")")) == "upload_infected"
        assert check_upload(_upload("干净.pdf", _pdf())).content_type == PDF


def test_an_unreachable_scanner_refuses_unless_told_to_fail_open() -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    with override_settings(CLAMD_ADDRESS=address):
        with pytest.raises(UploadRejected) as refused:
            check_upload(_upload("材料.pdf", _pdf()))
        assert (refused.value.code, refused.value.status) == ("upload_scan_unavailable", 503)
    with override_settings(CLAMD_ADDRESS=address, CLAMD_FAIL_OPEN=True):
        assert check_upload(_upload("材料.pdf", _pdf())).content_type == PDF


def test_a_roster_import_refuses_a_zip_bomb_before_openpyxl_unpacks_it() -> None:
    from certificates.imports import FileUnreadable, read_rows

    with pytest.raises(FileUnreadable) as refused:
        read_rows(_zip_bomb(300), "名册.xlsx")
    assert "压缩炸弹" in str(refused.value)
