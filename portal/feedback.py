"""Feedback beside the thing it concerns: a one-shot message for one row of the next page (an upload row), shown in it.

A view that redirects after an upload keys its message to the row (`row_message`) and sends the person to the
message's anchor in the row (`to_row`); the page renders the message inside that row (`{% row_feedback %}` in
portal's `feedback` tags, `includes/upload_feedback.html`), where it is announced (role="status", or role="alert"
for a refusal) and focused.
The page's own messages at the top leave keyed messages out. Nothing needs JavaScript: the messages framework
carries the message over the redirect, once.
"""

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ROW_TAG = "row:"


def row_message(request: HttpRequest, row: str, text: str, *, error: bool = False) -> None:
    """A message for the row whose anchor is `row` (e.g. "material-staff_list") on the next page."""
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, text, extra_tags=ROW_TAG + row)


def uploaded(name: str, size: int) -> str:
    """The words for an accepted upload: its name and size."""
    return _("已上传：%(name)s（%(size)s）") % {"name": name, "size": filesizeformat(size)}


def to_row(url: str, row: str) -> HttpResponseRedirect:
    """The redirect to a page's row, anchored at the row's message: the browser scrolls to it and, the message being
    focusable, moves focus there itself (a fragment naming an element that cannot take focus clears the focus)."""
    return HttpResponseRedirect(f"{url.split('#', 1)[0]}#{row}-feedback")


def row_of(message: Message) -> str | None:
    """The row a message is keyed to, or None for a message of the whole page."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(ROW_TAG):
            return tag[len(ROW_TAG):]
    return None


def page_messages(stored: Iterable[Message]) -> list[Message]:
    return [m for m in stored if row_of(m) is None]


def message_for_row(stored: Iterable[Message], row: str) -> Message | None:
    """The last message keyed to the row (one per upload; the newest wins)."""
    found = None
    for message in stored:
        if row_of(message) == row:
            found = message
    return found


def form_errors(form: forms.Form) -> str:
    """A form's errors in one line, each after its field's label, for a row's message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "；".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)
