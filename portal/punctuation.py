"""Joining display fragments with the active language's punctuation: "、" and "；" in Chinese, ", " and "; " in English.

Code that builds a visible phrase from several translated pieces (level labels, form errors, a question and its unit)
joins them here, so English mode shows no full-width punctuation. Documents of record render under Chinese
(portal.documents), where these give the Chinese marks.
"""

from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import get_language


def is_english() -> bool:
    """Whether the active language is English (the page's words, marks included, are then English)."""
    return (get_language() or "").startswith("en")


def enumeration(items: Iterable[object]) -> str:
    """A list of like things: 五级、四级 / Level 5, Level 4."""
    return (", " if is_english() else "、").join(str(item) for item in items)


def clauses(items: Iterable[object]) -> str:
    """Separate statements: 甲；乙 / A; B."""
    return ("; " if is_english() else "；").join(str(item) for item in items)


def parenthetical(text: object, note: object) -> str:
    """A note after a text: 面积（m²）/ Area (m²); the text alone when the note is empty."""
    if not str(note):
        return str(text)
    return f"{text} ({note})" if is_english() else f"{text}（{note}）"


def sentence(text: object) -> str:
    """A statement ended with the language's full stop: 已上传。/ Uploaded."""
    return f"{text}." if is_english() else f"{text}。"


def labelled(label: object, text: object) -> str:
    """A label before its text: 电工：人数 / Electrician: number."""
    return f"{label}: {text}" if is_english() else f"{label}：{text}"


enumeration_lazy = lazy(enumeration, str)  # for module-level texts: joined when shown, in the language of the moment
