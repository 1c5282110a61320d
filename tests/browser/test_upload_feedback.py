"""Feedback where the eye is, in real Chromium at 1366 and 390 px: after an upload on the application's materials
the page opens at the material's row with the message inside it, in view and focused — the file's name and size for
a good file (role=status), the reason for an executable renamed .pdf (role=alert), the earlier file still listed.
axe-core clean on both; screenshots of the page after an upload and of the facts form go to PORTAL_SCREENSHOTS."""

from typing import Any

import pytest

from tests.factories import EXE_BYTES, pdf_bytes

from .crawl import WIDTHS, log_in_as, save_screenshot
from .helpers import describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _upload(page: Any, row: str, name: str, content: bytes) -> Any:
    """Choose the file on the row and send it; the page that comes back, at the row's message."""
    key = row.removeprefix("material-")
    page.set_input_files(f"#file-{key}", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])
    with page.expect_navigation():
        page.click(f"#{row} form.upload-form button[type=submit]")
    page.wait_for_load_state("load")
    return page.locator(f"#{row} #{row}-feedback")


def _in_view_and_focused(page: Any, feedback: Any, label: str) -> None:
    box, viewport = feedback.bounding_box(), page.viewport_size
    assert box is not None, label
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"] + 1, f"{label}: {box} outside {viewport}"
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"] + 1, f"{label}: {box} outside {viewport}"
    feedback_id = feedback.get_attribute("id")
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == feedback_id, label


def _start_application(page: Any, base: str) -> str:
    page.goto(f"{base}/gd/applications/")
    with page.expect_navigation():
        page.get_by_role("button", name="开始申请").first.click()
    return page.url


def test_upload_feedback_lands_in_the_row_in_view_at_both_widths(demo_data: Any, browser: Any) -> None:
    base, application_url = demo_data.url, ""
    for width in WIDTHS:
        context = new_context(browser, bypass_csp=True, viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            log_in_as(page, base, "gd-org-1")
            application_url = application_url or _start_application(page, base)
            page.goto(application_url)
            row = page.locator("tbody.material").last.get_attribute("id")
            assert row is not None and row.startswith("material-")
            name = f"材料-{width}.pdf"

            accepted = _upload(page, row, name, pdf_bytes(str(width)))
            assert page.url.endswith(f"#{row}-feedback")
            assert accepted.get_attribute("role") == "status"
            assert accepted.inner_text().startswith(f"✓ 已上传：{name}（1.5")
            assert page.locator(".messages").count() == 0  # nothing at the top, off-screen
            _in_view_and_focused(page, accepted, f"accepted at {width} px")
            _axe_clean(page, f"after an upload at {width} px")
            save_screenshot(page, "application-after-upload", full_page=False)

            refused = _upload(page, row, "setup.pdf", EXE_BYTES)
            assert refused.get_attribute("role") == "alert"
            assert refused.inner_text() == (
                "✗ 未能上传：文件“setup.pdf”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。")
            assert page.locator(f"#{row} .file").filter(has_text=name).count() == 1  # the earlier file stays
            assert page.locator(f"#{row} input[type=file]").get_attribute("aria-invalid") == "true"
            _in_view_and_focused(page, refused, f"refused at {width} px")
            _axe_clean(page, f"after a refused upload at {width} px")
            save_screenshot(page, "application-after-refused-upload", full_page=False)

            page.goto(application_url.rstrip("/") + "/facts/")
            _axe_clean(page, f"facts form at {width} px")
            save_screenshot(page, "facts-form")
        finally:
            context.close()
