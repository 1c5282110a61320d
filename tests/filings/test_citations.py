"""A rule's source clause reads in the reader's language: the seed document by name, the clause by its numbers."""

import pytest
from django.test import Client
from django.utils import translation

from filings.policies import get_pack
from filings.policies.citations import chinese_number, citation
from tests.factories import ApplicationFactory, the_member

CASES = [
    ("002 一(三)；三(一)4", "Shandong HRSS [2020] No. 50, sec. 1(3); sec. 3(1)4"),
    ("003 第八条(三)、第十一条(四)", "Guizhou selection and exit rules, art. 8(3), art. 11(4)"),
    ("000 一(二)1 培训/评价场所", "Guangdong work guide (annex 3), sec. 1(2)1"),
    ("002 一(二)；附件1 二 评价经历时间、已评价人数", "Shandong HRSS [2020] No. 50, sec. 1(2); annex 1 sec. 2"),
    ("003 第十八条 按国家现行政策执行（人社部发〔2019〕90号）", "Guizhou selection and exit rules, art. 18"),
    ("004（未规定续期条件；政策包默认设置）",
     "Guangdong HRSS Letter [2021] No. 76 (no renewal conditions laid down; the pack's default)"),
]


@pytest.mark.parametrize(("source", "english"), CASES)
def test_a_source_in_english_names_the_document_and_the_clause(source: str, english: str) -> None:
    with translation.override("en"):
        assert citation(source) == english
    with translation.override("zh-hans"):
        assert citation(source) == source


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in ("一", "九", "十", "十一", "十八", "二十", "二十三")] == [1, 9, 10, 11, 18, 20, 23]


@pytest.mark.parametrize("pack", ["guangdong", "shandong", "guizhou"])
def test_every_rule_source_of_the_packs_reads_without_chinese_in_english(pack: str) -> None:
    with translation.override("en"):
        for category in get_pack(pack).categories:
            for rule in get_pack(pack).rules_for(category.key):
                english = citation(rule.source)
                assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), (rule.id, rule.source, english)


@pytest.mark.django_db
def test_the_precheck_table_shows_the_citation_in_english(client: Client) -> None:
    application = ApplicationFactory(province="sd")
    client.force_login(the_member(application))
    client.cookies["django_language"] = "en"
    page = client.get(f"/sd/applications/{application.pk}/").content.decode()
    assert "Shandong HRSS [2020] No. 50, sec. 1(" in page
