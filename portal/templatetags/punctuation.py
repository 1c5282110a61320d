"""Template filters joining display fragments with the active language's punctuation (portal.punctuation)."""

from django import template

from portal import punctuation

register = template.Library()


@register.filter
def with_note(text: object, note: object) -> str:
    """{{ name|with_note:number }}: 机构（编号） in Chinese, Organization (number) in English."""
    return punctuation.parenthetical(text, note)
