"""A rule's source clause ("000 一(二)1 培训/评价场所") in the reader's language: the seed document by its name and the
clause by its numbers (sections, articles, items); the Chinese heading quoted after the numbers is left to Chinese."""

import re

from django.utils.translation import gettext_lazy as _

from portal.punctuation import is_english

DOCUMENTS = {
    "000": _("广东省工作指引（附件3）"),
    "001": _("广东省2023年遴选通知"),
    "002": _("鲁人社字〔2020〕50号"),
    "003": _("贵州省遴选及退出实施细则"),
    "004": _("粤人社函〔2021〕76号"),
}
DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL = "[一二三四五六七八九十]+"
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_number(text: str) -> int:
    """一 … 九十九: 十一 is 11, 二十 is 20."""
    if "十" not in text:
        return DIGITS[text]
    tens, _sep, ones = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


def _clause_in_english(clause: str) -> str:
    clause = re.sub(rf"第({NUMERAL})条", lambda m: f"art. {chinese_number(m.group(1))}", clause)
    clause = re.sub(rf"\(({NUMERAL})\)", lambda m: f"({chinese_number(m.group(1))})", clause)
    clause = re.sub(r"附件(\d+)", r"annex \1", clause)
    clause = re.sub(rf"(^|[\s；、])({NUMERAL})(?=[\s(\d]|$)",
                    lambda m: f"{m.group(1)}sec. {chinese_number(m.group(2))}", clause)
    clause = clause.replace("；", "; ").replace("、", ", ")
    kept = []
    for word in clause.split(" "):  # the numbers end where the quoted Chinese heading begins
        if CJK.search(word):
            break
        kept.append(word)
    return re.sub(r"\s+", " ", " ".join(kept)).strip(" ;,")


def citation(source: object) -> str:
    """The source as written in Chinese; in English, "Shandong HRSS [2020] No. 50, sec. 1(3); sec. 3(1)4"."""
    text = str(source)
    if not is_english():
        return text
    note = ""
    if "（未规定续期条件；政策包默认设置）" in text:
        text = text.replace("（未规定续期条件；政策包默认设置）", "")
        note = f" ({_('未规定续期条件；政策包默认设置')})"
    code, _sep, clause = text.partition(" ")
    if code not in DOCUMENTS:
        return text + note
    numbers = _clause_in_english(clause)
    return f"{DOCUMENTS[code]}, {numbers}{note}" if numbers else f"{DOCUMENTS[code]}{note}"
