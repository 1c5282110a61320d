"""Every page each demo role reaches by links fits 1366 px and 390 px: no horizontal page overflow, no interactive
element covering another, axe-core clean; a screenshot of each at both widths goes to PORTAL_SCREENSHOTS."""

import re
from typing import Any

import pytest

from .crawl import CRAWL_ROLES, SCREENSHOT_SHAPES, WIDTHS, crawl, log_in_as, save_screenshot, url_shape
from .helpers import describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
# Page shapes already checked by an earlier role of this session: a list page looks the same whoever opens it, so
# each shape is checked once (homes, which differ by role, are checked for every role). Keeps the run short.
HOMES = re.compile(r"^/$|^/[a-z]{2}/$")

# The page's horizontal overflow and the pairs of visible interactive elements whose boxes overlap (by more than
# 2 px each way; an element and its own descendant are not a pair).
# Every chart's drawing is as wide as its box (Chart.js has redrawn it for the window's width).
CHARTS_FIT_JS = """() => [...document.querySelectorAll('.chart-box canvas')].every(
  (c) => Math.abs(c.getBoundingClientRect().width - c.parentElement.clientWidth) <= 2)"""

LAYOUT_JS = """() => {
  const doc = document.documentElement;
  const overflow = doc.scrollWidth - window.innerWidth;
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  };
  const visible = (el) => {
    // checkVisibility: not display:none, not visibility:hidden, not in a closed <details> (content-visibility).
    return el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})
      && el.getClientRects().length > 0 && !el.closest('.visually-hidden');
  };
  const els = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(visible);
  const boxes = els.map((el) => [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1));
  const overlaps = [];
  for (let i = 0; i < els.length; i++) {
    for (let j = i + 1; j < els.length; j++) {
      if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
      const hit = boxes[i].some((a) => boxes[j].some((b) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2));
      if (hit) overlaps.push(`${describe(els[i])} / ${describe(els[j])}`);
      if (overlaps.length >= 5) return {overflow, overlaps};
    }
  }
  return {overflow, overlaps};
}"""


def _check_layout(page: Any, label: str, failures: list[str], *, axe: bool) -> None:
    found = page.evaluate(LAYOUT_JS)
    if found["overflow"] > 1:
        failures.append(f"{label}: the page is {found['overflow']} px wider than the window")
    for pair in found["overlaps"]:
        failures.append(f"{label}: overlapping {pair}")
    if not axe:
        return
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    if blocking:
        failures.append(f"{label}: axe-core\n{describe_violations(blocking)}")


def test_every_reachable_page_fits_both_widths(demo_data: Any, browser: Any) -> None:
    failures: list[str] = []
    checked: set[str] = set()
    for username in CRAWL_ROLES:
        _check_role(demo_data.url, browser, username, failures, checked)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def _check_role(base_url: str, browser: Any, username: str | None, failures: list[str], checked: set[str]) -> None:
    context = new_context(browser, bypass_csp=True, viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    visited = 0
    try:
        log_in_as(page, base_url, username)
        for path in crawl(page, base_url, failures):
            shape = url_shape(path)
            if not HOMES.match(shape) and shape in checked:
                continue
            checked.add(shape)
            visited += 1
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                if page.locator("canvas").count():  # charts redraw for the new width after a debounced resize
                    page.wait_for_function(CHARTS_FIT_JS, timeout=15_000)
                # axe-core once per page: its rules do not depend on the width (test_accessibility covers phones)
                _check_layout(page, f"{username or 'public'} {path} at {width} px", failures, axe=width == WIDTHS[0])
                if SCREENSHOT_SHAPES.search(shape):
                    save_screenshot(page, f"{username or 'public'}{shape}")
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    finally:
        context.close()
    if visited == 0:
        failures.append(f"{username or 'public'}: no page reached")
