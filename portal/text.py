"""Free text the portal accepts: no control characters, on every text field of every form and API serializer.

PostgreSQL refuses NUL (\\x00) in text, so a NUL that reached a query or a row would be a server error; other C0
controls and the bidirectional overrides (U+202A–U+202E, U+2066–U+2069) have no place in a name or a reason and can
make a printed name read differently from what is stored. `install()` (PortalConfig.ready) makes the check a default
validator of Django's and DRF's CharField, so every text input has it without each form repeating it, and gives
the NUL check both frameworks already run the same clear message.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MESSAGE = _("不能包含控制字符（如空字符、响铃符或文字方向控制符），请删除后重新输入。")
CODE = "control_characters"
# NUL is left to ProhibitNullCharactersValidator, which every CharField of both frameworks already runs.
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def validate_plain_text(value: object) -> None:
    """Refuse control characters other than tab and line breaks, and bidirectional overrides."""
    if isinstance(value, str) and _CONTROLS.search(value):
        raise ValidationError(MESSAGE, code=CODE)


def install() -> None:
    """Make the check a default validator of every text field (forms and API) and word the NUL refusal clearly."""
    forms.CharField.default_validators = [validate_plain_text]
    setattr(serializers.CharField, "default_validators", [validate_plain_text])  # noqa: B010 - a class attribute the stubs type per instance
    ProhibitNullCharactersValidator.message = MESSAGE


def plain(value: str) -> str:
    """A value a view reads from the request without a form (an action, a reason), with NUL and the other control
    characters left out: such a value is compared or stored as it is, and PostgreSQL refuses NUL in either."""
    return _CONTROLS.sub("", value.replace("\x00", ""))
