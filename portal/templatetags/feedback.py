"""Template tags for feedback beside its row: {% row_feedback "material-" key as message %}, messages|page_messages."""

from typing import Any

from django import template
from django.contrib.messages.storage.base import Message

from portal import feedback

register = template.Library()


@register.filter
def page_messages(stored: Any) -> list[Message]:
    """The messages of the whole page: those keyed to a row are shown in that row instead."""
    return feedback.page_messages(stored or [])


@register.simple_tag(takes_context=True)
def row_feedback(context: template.Context, *parts: Any) -> Message | None:
    """The message keyed to this row by the last request, if any; the row's anchor is the parts joined
    ({% row_feedback "task-" task.pk as message %})."""
    return feedback.message_for_row(context.get("messages") or [], "".join(str(p) for p in parts))


@register.filter
def row_anchor(message: Message) -> str:
    """The anchor of the row a message is keyed to."""
    return feedback.row_of(message) or ""
