"""English mode in Chromium at 1366 px: an applicant of each province reads the materials list, the pre-check's
conditions and the reasons given for them, and the facts form's questions in English, with English punctuation
(screenshots: english-packs-*)."""

import re
from typing import Any

import pytest

from portal.models import Membership, User
from tests.factories import ApplicationFactory

from .crawl import save_screenshot
from .helpers import new_context

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ACCOUNTS = {"gd": "gd-org-1", "sd": "sd-org-1", "gz": "gz-org-1"}
# The visible text of the elements that carry the portal's words, one string per element; a rule's id is left out.
WORDS_JS = """() => Array.from(document.querySelectorAll(
    'main h1, main h2, main h3, main label, main legend, main th, main .help, main td.condition, main td.reason'))
  .filter(el => el.checkVisibility() || el.closest('th'))
  .map(el => { const c = el.cloneNode(true); c.querySelectorAll('[data-internal-id]').forEach(x => x.remove());
               return c.textContent.trim(); })"""


def _chinese(parts: list[str], data: set[str]) -> list[str]:
    found = []
    for part in parts:
        for value in sorted(data, key=len, reverse=True):
            part = part.replace(value, " ")
        if CJK.search(part):
            found.append(part)
    return found


@pytest.mark.parametrize("slug", ["gd", "sd", "gz"])
def test_an_applicant_reads_the_pack_in_english(demo_data: Any, browser: Any, log_in: Any, slug: str) -> None:
    user = User.objects.get(username=ACCOUNTS[slug])
    institution = Membership.objects.filter(user=user, institution__isnull=False).first().institution
    application = ApplicationFactory(province=slug, institution=institution, created_by=user, occupations=1)
    data = {application.call.title, institution.name, institution.city.name, application.province.name}
    for item in application.occupations.select_related("occupation", "work_type"):
        data |= {str(item), item.occupation.name, *([item.work_type.name] if item.work_type else [])}

    context = new_context(browser, viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": demo_data.url}])
    page = context.new_page()
    try:
        log_in(page, demo_data.url, ACCOUNTS[slug])
        problems = []
        for suffix in ("", "facts/"):
            page.goto(f"{demo_data.url}/{slug}/applications/{application.pk}/{suffix}")
            assert page.locator("html").get_attribute("lang") == "en"
            parts = page.evaluate(WORDS_JS)
            assert len(parts) > 10  # the page has its headings, materials and questions, so the check reads them
            problems += [f"{suffix or 'detail'}: {p}" for p in _chinese(parts, data)]
            save_screenshot(page, f"english-packs-{slug}-{suffix.strip('/') or 'detail'}")
        assert problems == [], "\n".join(problems)

        # on a phone the English conditions and reasons wrap inside the page: nothing runs off its right edge
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{demo_data.url}/{slug}/applications/{application.pk}/")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than the phone"
        # and each pre-check row is a card whose every line is in view (not a 40rem table scrolled sideways)
        rightmost = page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll('table.precheck td'))
            .map(td => td.getBoundingClientRect().right))""")
        assert rightmost <= 390, f"a pre-check cell ends at {rightmost} px, beyond the phone's 390"
        save_screenshot(page, f"english-packs-{slug}-detail")
    finally:
        context.close()
