"""The marks a page writes between its own words and its data are the reader's language's: full-width in Chinese,
English in English mode. Documents of record (templates/documents/) are Chinese and keep their marks."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tests.factories import approved_plan, the_member

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TOKEN = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})", re.S)
MARKS = "。：（），、；"
CJK_WORD = re.compile(r"[\u4e00-\u9fff]")


def _stray_marks(source: str) -> list[str]:
    """Full-width marks a template writes outside its translated strings: in the literal text between its tags and
    variables (outside blocktranslate and scripts) where no Chinese word stands beside them."""
    found, depth = [], 0
    for part in TOKEN.split(source):
        if part.startswith("{%"):
            inner = part[2:-2].strip()
            depth += inner.startswith("blocktrans") - inner.startswith("endblocktrans")
            continue
        if part.startswith(("{{", "{#")) or depth:
            continue
        for piece in re.split(r"<[^>]*>", re.sub(r"<script.*?</script>", "", part, flags=re.S)):
            if any(mark in piece for mark in MARKS) and not CJK_WORD.search(piece):
                found.append(piece.strip())
    return found


def test_no_page_template_writes_a_full_width_mark_outside_its_translated_words() -> None:
    stray = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "documents" in path.relative_to(TEMPLATES).parts:
            continue
        if marks := _stray_marks(path.read_text()):
            stray[str(path.relative_to(TEMPLATES))] = marks
    assert not stray, f"use {{% colon %}}, {{% lparen %}} … (portal/templatetags/punctuation.py): {stray}"


def test_the_check_finds_a_stray_mark_and_leaves_translated_and_chinese_text_alone() -> None:
    assert _stray_marks('{% translate "状态" %}：<b>{{ s }}</b>') == ["："]
    assert _stray_marks("{{ a }}（{{ b }}）") == ["（", "）"]
    assert _stray_marks('{% blocktranslate %}共 {{ n }} 人（含缺考）{% endblocktranslate %}') == []
    assert _stray_marks('{% translate "状态：" %}<p>未翻译的中文：</p>') == []


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "状态：甲（乙）、丙，丁；戊。"),
                                                     ("en", "Status: 甲 (乙), 丙, 丁; 戊. ")])
def test_the_mark_tags_give_the_languages_marks(language: str, expected: str) -> None:
    template = Template('{% load i18n punctuation %}{% translate "状态" %}{% colon %}甲{% lparen %}乙{% rparen %}'
                        '{% listsep %}丙{% comma %}丁{% semicolon %}戊{% stop %}')
    with translation.override(language):
        assert template.render(Context()) == expected


@pytest.mark.django_db
def test_the_plan_page_in_english_shows_english_marks(client: Client) -> None:
    plan = approved_plan(candidates=2)
    client.force_login(the_member(plan.filing))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/{plan.province.slug}/exams/{plan.pk}/").content.decode()
    status_line = re.search(r'<p class="status-line">(.*?)</strong>', page, re.S)
    assert status_line is not None and "Status: <strong" in status_line.group(1)
    roster = re.search(r'<dd id="roster-count">(.*?)</dd>', page, re.S)
    assert roster is not None and roster.group(1).startswith("level ") and "级" not in roster.group(1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["甲、乙", "甲；乙", "面积（m²）", "场所：租赁", "已上传。"]),
        ("en", ["A, B", "A; B", "Area (m²)", "Premises: leased", "Uploaded."]),
    ],
)
def test_the_joining_functions_give_the_languages_marks(language: str, expected: list[str]) -> None:
    from portal.punctuation import clauses, enumeration, labelled, parenthetical, sentence

    words = {"zh-hans": ("甲", "乙", "面积", "场所", "租赁", "已上传"), "en": ("A", "B", "Area", "Premises", "leased",
                                                                   "Uploaded")}[language]
    with translation.override(language):
        got = [enumeration(words[:2]), clauses(words[:2]), parenthetical(words[2], "m²"), labelled(words[3], words[4]),
               sentence(words[5])]
    assert got == expected
