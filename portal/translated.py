"""Translations kept per language, for the few fixed texts the public lookup asks on every request (its checklist's
lines, the labels of a certificate's level, ID type and status): Django's gettext looks each one up in the active
language's catalogs, a few microseconds each, a dozen times per lookup. These ask it once per language and process;
the catalogs do not change while a process runs.
"""

from collections.abc import Callable
from enum import Enum

from django.utils.translation import get_language, gettext, override

_kept: dict[tuple[str, object], str] = {}


def gettext_kept(message: str) -> str:
    """gettext(message), asked once per language."""
    key = (get_language() or "", message)
    text = _kept.get(key)
    if text is None:
        text = _kept[key] = gettext(message)
    return text


def kept_gettext() -> Callable[[str], str]:
    """gettext_kept for the active language, which is asked once, here: for a caller with several texts to translate
    (asking Django for the active language costs a few microseconds, a dozen times per lookup)."""
    language = get_language() or ""

    def text(message: str) -> str:
        key = (language, message)
        found = _kept.get(key)
        if found is None:  # in the language it was made for, whatever is active now
            with override(language or None):
                found = _kept[key] = gettext(message)
        return found

    return text


def label_kept(choice: Enum, language: str | None = None) -> str:
    """The translated label of a member of a Django choices enum, asked once per language (`language`: the active
    one, when the caller already asked)."""
    key = (language if language is not None else get_language() or "", choice)
    text = _kept.get(key)
    if text is None:
        text = _kept[key] = str(choice.label)  # type: ignore[attr-defined]  # TextChoices/IntegerChoices members
    return text
