"""The crawler of the page-wide browser checks: every page a demo role reaches by links (GET only), one per URL shape."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .helpers import BASE_DIR, DEMO_PASSWORD

# One account per kind of person, None being the public (not logged in).
CRAWL_ROLES: tuple[str | None, ...] = (
    None, "gd-province", "gd-city-4403", "gd-expert-1", "gd-supervisor", "gd-org-1", "sd-org-1", "admin",
)
MAX_PAGES_PER_ROLE = 30
WIDTHS = (1366, 390)
# Links the crawl does not follow, each with why: they change state, leave the portal pages, or return files.
SKIPPED_LINKS = (
    (re.compile(r"^/accounts/logout"), "logs out"),
    (re.compile(r"^/i18n/"), "switches the language (a POST form; the English pages are checked by test_catalog)"),
    (re.compile(r"^/admin/"), "Django's admin site, not a portal page"),
    (re.compile(r"^/api/"), "the REST API and its documentation, not portal pages"),
    (re.compile(r"^/static/|^/media/"), "files"),
    (re.compile(r"(download|export|/file/|/pdf|\.pdf$|\.xlsx$|\.zip$|\.csv$|template|/qr)", re.I), "returns a file"),
)


# Pages a person should be able to look at after `make test` (besides every role's home): URL shapes, by regex.
SCREENSHOT_SHAPES = re.compile(
    r"^/$|^/[a-z]{2}/$|/review/N/$|/applications/N/$|/applications/N/facts/$|/results/N?/?$|/results/$"
)


def screenshot_dir() -> Path:
    """Where the browser tests write their screenshots (PORTAL_SCREENSHOTS, default var/screenshots/)."""
    path = Path(os.environ.get("PORTAL_SCREENSHOTS") or BASE_DIR / "var" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """A full-page PNG of the current page, named `name-<width>.png`."""
    width = page.viewport_size["width"]
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "home"
    page.screenshot(path=str(screenshot_dir() / f"{safe}-{width}.png"), full_page=full_page)


def log_in_as(page: Any, base_url: str, username: str | None) -> None:
    if username is None:
        return
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def url_shape(path: str) -> str:
    """/gd/review/12/ and /gd/review/13/ are one page shape: numbers and opaque tokens become N."""
    return re.sub(r"/[0-9a-f]{16,}|/\d+", "/N", path)


def _followable(path: str) -> bool:
    return not any(pattern.search(path) for pattern, _why in SKIPPED_LINKS)


def crawl(page: Any, base_url: str, problems: list[str]) -> Iterator[str]:
    """Visit the role's home and every page reachable from it by links, breadth first, one page per URL shape.

    Yields each page's path once the page is loaded (the caller inspects `page`); a link answering an error status
    is added to `problems`.
    """
    origin = urlsplit(base_url).netloc
    queue, seen = ["/"], {url_shape("/")}
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        try:
            response = page.goto(base_url + path)
        except Exception as error:  # Playwright raises its own Error when a link downloads a file
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status >= 400:
            problems.append(f"{path}: status {response.status if response else 'none'}")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        yield path
        hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc != origin or parts.scheme not in ("http", "https"):
                continue
            if _followable(parts.path) and url_shape(parts.path) not in seen:
                seen.add(url_shape(parts.path))
                queue.append(parts.path)
