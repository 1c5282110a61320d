"""Template filters joining display fragments with the active language's punctuation (portal.punctuation)."""

from django import template

from portal import punctuation

register = template.Library()


@register.filter
def with_note(text: object, note: object) -> str:
    """{{ name|with_note:number }}: 机构（编号） in Chinese, Organization (number) in English."""
    return punctuation.parenthetical(text, note)


# The marks a template writes between its own words and its data ({% translate "状态" %}{% colon %}{{ state }}): the
# full-width mark in Chinese, the English one in English, so English mode shows no full-width punctuation.
MARKS = {"colon": ("：", ": "), "stop": ("。", ". "), "lparen": ("（", " ("), "rparen": ("）", ")"),
         "comma": ("，", ", "), "listsep": ("、", ", "), "semicolon": ("；", "; ")}


def _mark_tag(name: str, chinese: str, english: str) -> None:
    def mark() -> str:
        return english if punctuation.is_english() else chinese

    register.simple_tag(mark, name=name)


for _name, (_chinese, _english) in MARKS.items():
    _mark_tag(_name, _chinese, _english)
