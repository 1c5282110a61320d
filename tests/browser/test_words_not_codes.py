"""No page a demo role reaches by links shows an internal code: snake_case or dotted ids, or a state-machine value."""

import re
from typing import Any

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from .crawl import CRAWL_ROLES, crawl, log_in_as
from .helpers import new_context

pytestmark = pytest.mark.browser

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z]{2,}(?:\.[a-z_][a-z0-9_]*)+\b")
# Text that legitimately looks like a code, each with why; removed before the search.
ALLOWED = (
    (re.compile(r"https?://\S+"), "an address shown for people to copy or follow"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "an e-mail address"),
    (re.compile(r"[\w.()（）-]+\.(?:pdf|xlsx|xls|docx?|png|jpe?g|zip|csv|txt|ofd)\b", re.I), "an uploaded file's name"),
    (re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|org|net|gov|test|example)\b"), "a host name"),
)
# The visible text of the page: text nodes a person sees, without those marked data-internal-id (a rule's id shown
# small beside its title for officers, an audit event's code beside its name, the ranking formula's factor keys the
# weights refer to, an audit event's recorded change set shown verbatim as evidence) and without form values.
VISIBLE_TEXT_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, [data-internal-id]')) continue;
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def state_values() -> set[str]:
    """Every value of every state-machine field of the portal's models (draft, city_review, …)."""
    values: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FSMFieldMixin) and field.choices:
                values.update(str(value) for value, _label in field.flatchoices)
    return values


def codes_in(text: str, states: set[str]) -> set[str]:
    for pattern, _why in ALLOWED:
        text = pattern.sub(" ", text)
    found = set(DOTTED.findall(text))
    text = DOTTED.sub(" ", text)
    found |= set(SNAKE.findall(text))
    found |= {word for word in re.findall(r"\b[a-z]+\b", text) if word in states}
    return found


def test_no_page_shows_internal_codes(demo_data: Any, browser: Any) -> None:
    states = state_values()
    assert {"draft", "city_review"} <= states  # the state names are found, so the check below can fail
    problems: list[str] = []
    for username in CRAWL_ROLES:
        context = new_context(browser, viewport={"width": 1366, "height": 900})
        page = context.new_page()
        try:
            log_in_as(page, demo_data.url, username)
            for path in crawl(page, demo_data.url, problems):
                found = codes_in(page.evaluate(VISIBLE_TEXT_JS), states)
                if found:
                    problems.append(f"{username or 'public'} {path}: {', '.join(sorted(found))}")
        finally:
            context.close()
    assert not problems, f"{len(problems)} pages show internal codes or fail:\n" + "\n".join(problems)


def test_the_code_check_catches_codes() -> None:
    states = {"draft", "filed"}
    assert codes_in("规则 gd.registered_in_province 不符合", states) == {"gd.registered_in_province"}
    assert codes_in("exam_plan_filed（draft → filed）", states) == {"exam_plan_filed", "draft", "filed"}
    assert codes_in("filings.filing", states) == {"filings.filing"}
    assert codes_in("材料 site_plan.pdf 已上传，联系 a_b@example.com", states) == set()
