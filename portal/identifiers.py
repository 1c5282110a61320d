"""Validators for the identifiers the portal reads, built on python-stdnum, with messages that say what is wrong."""

import os
import re
import time
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def half_width(value: str) -> str:
    """Full-width digits and letters (１２３, Ｘ), as a Chinese input method types them, in their ASCII form (NFKC)."""
    return unicodedata.normalize("NFKC", value or "")


def normalize_credit_code(value: str) -> str:
    return uscc.compact(half_width(value)).upper()


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100): 18 characters, the last a check character over the first 17."""
    number = normalize_credit_code(value)
    if len(number) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(number)}, code="uscc_length"
        )
    for position, char in enumerate(number, start=1):
        allowed = "0123456789" if 3 <= position <= 8 else _USCC_ALPHABET
        if char not in allowed:
            raise ValidationError(
                _("统一社会信用代码第%(pos)d位“%(char)s”不是有效字符。") % {"pos": position, "char": char},
                code="uscc_character",
            )
    expected = uscc.calc_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”。")
            % {"expected": expected, "actual": number[17]},
            code="uscc_checksum",
        )


def credit_code_region(value: str) -> tuple[str, str]:
    """The registering authority's region of a credit code: its 3rd–8th characters (GB/T 2260 area code) and the
    name of the province the first two of them denote (from python-stdnum's area table; empty when unknown)."""
    region = normalize_credit_code(value)[2:8]
    found = dict(numdb.get("cn/loc").info(region)[0][1]) if len(region) == 6 else {}
    return region, str(found.get("province", ""))


def normalize_id_number(value: str) -> str:
    return ric.compact(half_width(value)).upper()


def normalize_mobile(value: str) -> str:
    """A mobile number as stored: ASCII digits, without the spaces or hyphens a person may type."""
    return re.sub(r"[\s-]", "", half_width(value))


def validate_id_number(value: str) -> None:
    """居民身份证号码 (GB 11643): 17 digits, then a check character 0–9 or X; the birth date must exist."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位，当前为%(n)d位。") % {"n": len(number)}, code="ric_length"
        )
    for position, char in enumerate(number[:17], start=1):
        if not char.isdigit():
            raise ValidationError(
                _("身份证号码第%(pos)d位“%(char)s”应为数字。") % {"pos": position, "char": char},
                code="ric_character",
            )
    if number[17] not in "0123456789X":
        raise ValidationError(
            _("身份证号码第18位“%(char)s”应为数字或X。") % {"char": number[17]}, code="ric_character"
        )
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            _("身份证号码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”。")
            % {"expected": expected, "actual": number[17]},
            code="ric_checksum",
        )
    try:
        ric.get_birth_date(number)
    except (InvalidComponent, InvalidFormat, InvalidLength, InvalidChecksum) as exc:
        raise ValidationError(
            _("身份证号码中的出生日期“%(date)s”不存在。") % {"date": number[6:14]}, code="ric_birth_date"
        ) from exc
    if number[:2] not in _PROVINCE_PREFIXES:
        raise ValidationError(
            _("身份证号码前两位“%(code)s”不是有效的省级行政区划代码。") % {"code": number[:2]},
            code="ric_region",
        )


# GB/T 2260 province-level codes; the first two digits of every resident identity number.
_PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def mask_id_number(value: str) -> str:
    """Show the first four and last four characters: 4401**********123X."""
    number = normalize_id_number(value)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def validate_occupation_code(value: str) -> None:
    if not _OCCUPATION_CODE.match(value or ""):
        raise ValidationError(
            _("职业编码“%(value)s”格式应为 D-DD-DD-DD，例如 6-18-02-04。") % {"value": value},
            code="occupation_code",
        )


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(value or ""):
        raise ValidationError(
            _("手机号码“%(value)s”应为以1开头的11位数字。") % {"value": value}, code="mobile"
        )


def uuid7_hex() -> str:
    """A version 7 UUID (RFC 9562, section 5.7) as 32 hex digits: the Unix time in milliseconds, then random bits.
    Ids made later sort later, so a table keyed by them grows at the right edge of its index instead of touching a
    random page per row (the lookup log: a third less of PostgreSQL's time per batch, docs/performance.md)."""
    milliseconds = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # 80 random bits: 12 for rand_a, 62 for rand_b
    value = ((milliseconds & (1 << 48) - 1) << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62
             | rand & (1 << 62) - 1)
    return f"{value:032x}"
