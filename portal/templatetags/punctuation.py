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
def _mark(chinese: str, english: str) -> str:
    return english if punctuation.is_english() else chinese


@register.simple_tag
def colon() -> str:
    return _mark("：", ": ")


@register.simple_tag
def lparen() -> str:
    return _mark("（", " (")


@register.simple_tag
def rparen() -> str:
    return _mark("）", ")")


@register.simple_tag
def comma() -> str:
    return _mark("，", ", ")


@register.simple_tag
def listsep() -> str:
    return _mark("、", ", ")


@register.simple_tag
def semicolon() -> str:
    return _mark("；", "; ")


@register.simple_tag
def stop() -> str:
    return _mark("。", ". ")
