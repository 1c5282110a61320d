"""Certificate numbers (证书编号) under the national rule (人社鉴发〔2019〕2号): 22 characters, never repeated.

    S 0000 44 000123 26 3 000045
    │ │    │  │      │  │ └ certificate sequence, 6 digits, per organization × year of issue × level (resets yearly)
    │ │    │  │      │  └ level digit 1–5 (portal.models.SkillLevel)
    │ │    │  │      └ year of issue, 2 digits
    │ │    │  └ organization sequence (机构顺序号) the province assigned at filing (filings.Filing.organization_sequence)
    │ │    └ province code, the first two digits of GB/T 2260
    │ └ organization code: 0000 when the organization filed first with the province; otherwise see
    │   `organization_code`
    └ organization type: Y employer (用人单位), S social training evaluation organization (社会培训评价组织)

The sequence resets each year and is counted per level: year and level are part of the number, so
(organization, year, level) already makes the number unique. It is reserved as a range with one locked update of a
counter row (CertificateCounter) inside the issuing transaction: a batch that rolls back gives its range back, and
two batches of one organization at the same moment get consecutive ranges — no repeat, no gap.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from filings.models import Filing, Route
from portal.errors import DomainError

from .errors import Codes
from .models.issuance import CertificateCounter

EMPLOYER = "Y"
SOCIAL_ORGANIZATION = "S"
PROVINCE_FIRST_CODE = "0000"
SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
NUMBER_LENGTH = 22
NUMBER_PATTERN = re.compile(r"^[YS]\d{21}$")

# Organization type per province pack and applicant category (Institution.category holds the pack's key).
#  - Guangdong (001, 004): every category filed through the selection is a social training evaluation organization,
#    leading enterprises included ("为其他相关中小企业和社会人员提供人才培养和评价服务"); an enterprise evaluating its
#    own staff does so under the separate enterprise self-evaluation route, not through this portal.
#  - Shandong (002): the pilot files 社会培训评价组织 only; an enterprise applicant already holds its own
#    self-evaluation qualification and evaluates here as a social organization.
#  - Guizhou (003): 用人单位 (employer) is Y; schools and social training evaluation organizations are S.
# A pack not listed here (a fourth province) needs no change: its category named "employer" is Y, any other S.
ORGANIZATION_TYPES: dict[str, dict[str, str]] = {
    "guangdong": {
        "leading_enterprise": SOCIAL_ORGANIZATION,
        "school": SOCIAL_ORGANIZATION,
        "key_private_training": SOCIAL_ORGANIZATION,
        "other": SOCIAL_ORGANIZATION,
    },
    "shandong": {
        "enterprise": SOCIAL_ORGANIZATION,
        "industry_association": SOCIAL_ORGANIZATION,
        "university": SOCIAL_ORGANIZATION,
        "technical_school": SOCIAL_ORGANIZATION,
        "private_training": SOCIAL_ORGANIZATION,
    },
    "guizhou": {
        "employer": EMPLOYER,
        "school": SOCIAL_ORGANIZATION,
        "social_organization": SOCIAL_ORGANIZATION,
    },
}
EMPLOYER_CATEGORY_KEYS = frozenset({"employer"})


def organization_type(policy_pack: str, category: str) -> str:
    """Y or S for an institution of `category` under the province's pack (see ORGANIZATION_TYPES)."""
    by_category = ORGANIZATION_TYPES.get(policy_pack, {})
    if category in by_category:
        return by_category[category]
    return EMPLOYER if category in EMPLOYER_CATEGORY_KEYS else SOCIAL_ORGANIZATION


def filed_with_province(filing: Filing) -> bool:
    """Whether the organization filed first with the province (省级首次备案): its application took the province
    route, or (Shandong) its institution code carries 00 for the filing city; a filing without an application was
    made by the province itself."""
    if filing.institution_code:
        return filing.institution_code[2:4] == "00"
    application = filing.application
    return application is None or application.route == Route.PROVINCE


def organization_code(filing: Filing) -> str:
    """The 4-digit organization code of the number.

    - 0000 when the organization filed first with the province (`filed_with_province`);
    - Shandong: the last four digits of its institution code (机构代码 = 37 + filing city 2 digits + a 4-digit serial
      the province assigned, 002 三(二)4), e.g. 37020015 → 0015;
    - other provinces, which assign no institution code: the GB/T 2260 code of the city it filed with, e.g. 4403.
    """
    if filed_with_province(filing):
        return PROVINCE_FIRST_CODE
    if filing.institution_code:
        return filing.institution_code[-4:]
    return filing.city.code


@dataclass(frozen=True)
class NumberParts:
    organization_type: str
    organization_code: str
    province_code: str
    organization_sequence: str
    year: str
    level: int
    sequence: int


def prefix(filing: Filing, year: int, level: int) -> str:
    """The first 16 characters: everything but the 6-digit certificate sequence."""
    province = filing.province
    letter = organization_type(province.policy_pack, filing.institution.category)
    sequence = filing.organization_sequence
    if not (len(sequence) == 6 and sequence.isdigit()):
        raise DomainError(_("备案的机构顺序号“%(seq)s”不是6位数字，不能编制证书编号。") % {"seq": sequence},
                          code=Codes.ORGANIZATION_SEQUENCE_INVALID)
    if level not in (1, 2, 3, 4, 5):
        raise DomainError(_("等级“%(level)s”无效。") % {"level": level}, code=Codes.LEVEL_INVALID)
    return f"{letter}{organization_code(filing)}{province.code}{sequence}{year % 100:02d}{level}"


def format_number(number_prefix: str, sequence: int) -> str:
    return f"{number_prefix}{sequence:0{SEQUENCE_DIGITS}d}"


def parse_number(number: str) -> NumberParts:
    """Split a number into its parts; raises ValueError for anything but 22 well-formed characters."""
    value = normalize_number(number)
    if not NUMBER_PATTERN.match(value) or value[15] not in "12345":
        raise ValueError(f"not a certificate number: {number!r}")
    return NumberParts(value[0], value[1:5], value[5:7], value[7:13], value[13:15], int(value[15]), int(value[16:]))


def normalize_number(value: str) -> str:
    return "".join((value or "").split()).upper()


def is_well_formed(value: str) -> bool:
    try:
        parse_number(value)
    except ValueError:
        return False
    return True


def reserve(filing: Filing, year: int, level: int, count: int) -> int:
    """Reserve `count` consecutive sequence values for (filing, year, level); returns the first.

    One locked update of the counter row, inside the caller's transaction: a concurrent batch of the same
    organization, year and level waits for this transaction and continues after its range. Raises DomainError when
    the 6 digits would run out.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve() must run inside the transaction that issues the certificates")
    if count < 1:
        raise ValueError("count must be positive")
    key = {"filing": filing, "year": year, "level": level}
    # Create the row if it is missing without failing the transaction when another one creates it at the same moment.
    CertificateCounter.objects.bulk_create([CertificateCounter(province_id=filing.province_id, **key)],
                                           ignore_conflicts=True)
    counter = CertificateCounter.objects.select_for_update().get(**key)
    first = counter.value + 1
    if counter.value + count > MAX_SEQUENCE:
        raise DomainError(
            _("%(year)d年该等级证书顺序号仅剩%(left)d个，不足本批%(count)d张。")
            % {"year": year, "left": MAX_SEQUENCE - counter.value, "count": count},
            code=Codes.CERTIFICATE_SEQUENCE_EXHAUSTED,
        )
    counter.value += count
    counter.save(update_fields=["value"])
    return first
