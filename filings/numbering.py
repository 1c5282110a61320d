"""Numbers a province assigns at filing: the organization sequence, Shandong's institution code, letter numbers.

Each comes from a per-province counter row (filings.models.NumberCounter) locked with select_for_update inside the
filing's transaction, so two filings made at the same moment never get the same number, and a rolled-back filing
gives its number back. The schemes are documented in docs/architecture.md ("Numbering").
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.models import City, Province

from .errors import Codes
from .models import LetterKind, NumberCounter

# 省级行政区简称 by GB/T 2260 code, for letter numbers (粤…〔2026〕1号). A province missing here uses its name.
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑", "31": "沪",
    "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘",
    "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕",
    "62": "甘", "63": "青", "64": "宁", "65": "新",
}

ORGANIZATION_SEQUENCE_DIGITS = 6
INSTITUTION_CODE_SERIAL_DIGITS = 4
PROVINCE_LEVEL_CITY_PART = "00"  # an institution code of an organization filed with the province itself


def next_value(province: Province, key: str) -> int:
    """The next value of the province's counter `key` (1 for a new counter). Call inside transaction.atomic().

    The row is created on first use; when two transactions create it at once, one insert fails on the unique
    constraint (in its own savepoint) and that transaction then waits for the other's lock like any later one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside the transaction that uses the number")
    counter = NumberCounter.objects.select_for_update().filter(province=province, key=key).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(province=province, key=key, value=0)
        except IntegrityError:
            pass  # created by a concurrent transaction a moment ago
        counter = NumberCounter.objects.select_for_update().get(province=province, key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def next_organization_sequence(province: Province) -> str:
    """The 6-digit organization sequence (机构顺序号) of certificate numbers (人社鉴发〔2019〕2号), per province."""
    value = next_value(province, "organization_sequence")
    if value >= 10**ORGANIZATION_SEQUENCE_DIGITS:
        raise DomainError(_("本省机构顺序号已用尽。"), code=Codes.ORGANIZATION_SEQUENCE_EXHAUSTED)
    return f"{value:0{ORGANIZATION_SEQUENCE_DIGITS}d}"


def institution_code_prefix(province: Province, city: City | None) -> str:
    """Province code + the filing city's two digits, or 00 when the organization filed with the province."""
    return province.code + (city.code[2:4] if city is not None else PROVINCE_LEVEL_CITY_PART)


def next_institution_code(province: Province, city: City | None) -> str:
    """Shandong's institution code (机构代码, 002 三(二)4): 8 digits, e.g. 37010001 for Jinan's first organization.

    2 digits province + 2 digits of the city that selected it (00: filed with the province) + a 4-digit serial
    counted per province and filing body.
    """
    prefix = institution_code_prefix(province, city)
    value = next_value(province, f"institution_code:{prefix}")
    if value >= 10**INSTITUTION_CODE_SERIAL_DIGITS:
        raise DomainError(_("机构代码%(prefix)s段已用尽。") % {"prefix": prefix}, code=Codes.INSTITUTION_CODE_EXHAUSTED)
    return f"{prefix}{value:0{INSTITUTION_CODE_SERIAL_DIGITS}d}"


def abbreviation(province: Province) -> str:
    return PROVINCE_ABBREVIATIONS.get(province.code, province.name)


LETTER_WORDS = {LetterKind.LETTER: "技评备", LetterKind.RECEIPT: "技评回执"}


def next_letter_number(province: Province, kind: str, year: int) -> str:
    """A filing letter's number, 粤技评备〔2026〕3号, or a receipt's, 鲁技评回执〔2026〕3号; counted per kind and year."""
    value = next_value(province, f"{kind}:{year}")
    return f"{abbreviation(province)}{LETTER_WORDS[LetterKind(kind)]}〔{year}〕{value}号"


def next_renewal_letter_number(province: Province, year: int) -> str:
    """A renewal letter's number (续期函), 黔技评续〔2026〕1号, counted per province and year."""
    value = next_value(province, f"renewal:{year}")
    return f"{abbreviation(province)}技评续〔{year}〕{value}号"
