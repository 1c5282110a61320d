"""Helpers shared by the supervision services: the feedback rate limit and field validation."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from certificates.services import lookup_rate
from portal.errors import DomainError
from portal.identifiers import normalize_credit_code, validate_credit_code
from portal.ratelimit import enforce, hash_ip

FEEDBACK_SCOPE = "supervision.feedback"


def admit_feedback(ip: str) -> None:
    """Count a feedback lookup against the address's limit, as the certificate lookup does (429 past it)."""
    limit, window = lookup_rate()
    enforce(FEEDBACK_SCOPE, hash_ip(ip), limit=limit, window=window,
            message=_("提交过于频繁：同一来源每%(minutes)d分钟最多%(n)d次，请稍后再试。")
            % {"minutes": max(1, window // 60), "n": limit})


def clean_credit_code(value: str, *, field: str, code: str, required: bool = False) -> str:
    """A normalized USCC, or "" when optional and empty; DomainError naming the field otherwise."""
    text = normalize_credit_code(value or "")
    if not text:
        if required:
            raise DomainError(_("请填写统一社会信用代码。"), code=code, field=field)
        return ""
    try:
        validate_credit_code(text)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=code, field=field) from exc
    return text


def check_range(value: Any, low: int, high: int, *, field: str, label: str, code: str) -> int:
    """An integer in low..high, or a DomainError saying which field and what range."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(_("%(label)s应为%(low)d–%(high)d之间的整数。") % {"label": label, "low": low, "high": high},
                          code=code, field=field)
    return value
