"""English mode shows the policy packs' words in English: the facts form's questions, the materials list, the
pre-check's conditions and the renewal pages, for every category of the three provinces, with English punctuation.

The check reads the elements that carry the portal's own words (headings, labels, help, table headers, the pre-check's
condition cells); data a person typed or the reference tables hold (the organization's and occupations' names) is
removed first. A rule's reason is checked rule by rule in test_reasons_english.py; its source clause is not checked here:
the clause cites a Chinese document (test_citations.py).
"""

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from filings.models import Application
from filings.policies import get_pack
from portal.models import RegistrationNature, User
from tests.factories import DEFAULT_NATURE, ApplicationFactory, at, member_of, renewing_filing

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORDS = {"h1", "h2", "h3", "h4", "label", "legend", "th", "caption"}
WORD_CLASSES = {"help", "condition", "helptext"}
VOID = {"br", "input", "img", "meta", "link", "hr", "source", "col", "wbr", "area", "base", "embed", "param", "track"}


class _Words(HTMLParser):
    """The text inside the elements that carry the portal's words, skipping [data-internal-id] (a rule's id)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: inside a words element (and not internal)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        inside = bool(self.stack and self.stack[-1])
        classes = set((dict(attrs).get("class") or "").split())
        if any(name == "data-internal-id" for name, _value in attrs):
            self.stack.append(False)
            return
        self.stack.append(inside or tag in WORDS or bool(classes & WORD_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] and data.strip():
            self.parts.append(data.strip())


def chinese_words(html: str, data: Iterable[str]) -> list[str]:
    parser = _Words()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for value in sorted(data, key=len, reverse=True):
            part = part.replace(value, " ")
        if CJK.search(part):
            found.append(part)
    return found


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _data_of(application: Application) -> set[str]:
    values = {application.call.title, application.institution.name, application.institution.city.name, application.province.name}
    for item in application.occupations.select_related("occupation", "work_type"):
        values |= {str(item), item.occupation.name}
    return values


PACKS = {"gd": "guangdong", "sd": "shandong", "gz": "guizhou"}
CATEGORIES = [(slug, c.key) for slug, key in PACKS.items() for c in get_pack(key).categories]


@pytest.mark.parametrize(("slug", "category"), CATEGORIES)
def test_the_applicants_pages_show_pack_texts_in_english(login: Login, slug: str, category: str) -> None:
    nature = DEFAULT_NATURE.get(category, RegistrationNature.ENTERPRISE)
    application = ApplicationFactory(province=slug, institution__category=category, institution__nature=nature,
                                     occupations=1)
    client = _english(login(member_of(application.institution)))
    problems = []
    for page in ("", "facts/"):
        response = client.get(f"/{slug}/applications/{application.pk}/{page}")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'lang="en"' in html  # the switch took effect, so the check below reads the English page
        problems += [f"{page or 'detail'}: {w}" for w in chinese_words(html, _data_of(application))]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("category", [c.key for c in get_pack("guizhou").categories])
def test_the_renewal_page_shows_materials_and_conditions_in_english(login: Login, category: str) -> None:
    import datetime as dt

    from supervision import services

    filing = renewing_filing(category=category, occupations=1)
    member = member_of(filing.institution)
    with at(dt.date(2026, 4, 1)):
        renewal = services.start_renewal(filing, acting_user=member, today=dt.date(2026, 4, 1))
        html = _english(login(member)).get(f"/gz/supervision/renewals/{renewal.pk}/").content.decode()
    data = {filing.institution.name, filing.institution.city.name, filing.province.name}
    data |= {line.occupation.name for line in filing.occupations.select_related("occupation")}
    assert chinese_words(html, data) == []


@pytest.mark.parametrize("slug", ["gd", "sd"])
def test_the_renewal_home_of_a_province_without_renewal_is_english(login: Login, slug: str) -> None:
    filing = renewing_filing(slug, category=get_pack(PACKS[slug]).categories[0].key, occupations=1)
    html = _english(login(member_of(filing.institution))).get(f"/{slug}/supervision/renewal/").content.decode()
    data = {filing.institution.name, filing.province.name, filing.institution.city.name, filing.filing_number}
    assert chinese_words(html, data) == []


def test_the_check_finds_chinese_words_and_ignores_data() -> None:
    html = '<h2>材料</h2><p class="help">Upload 营业执照</p><td class="condition">Rule<code data-internal-id>规则</code></td>'
    assert chinese_words(html, {"营业执照"}) == ["材料"]
