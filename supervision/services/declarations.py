"""Declarations by the organization: enrolment per occupation and period, and course prices — each a new row, so
the history stays; the latest row counts."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Filing, FilingOccupation, FilingStatus
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Institution, Occupation, Role, SkillLevel, User
from portal.roles import require_role

from ..errors import Codes
from ..models import CoursePriceDeclaration, EnrolmentDeclaration
from ..periods import parse_period

MAX_ENROLMENT = 1_000_000
MAX_PRICE = Decimal("1000000")


def filed_occupations(institution: Institution) -> list[Occupation]:
    """The occupations in the organization's live filing scope: what it may declare for."""
    filings = Filing.objects.filter(institution=institution).exclude(status=FilingStatus.TERMINATED)
    ids = FilingOccupation.objects.filter(filing__in=filings).values("occupation_id")
    return list(Occupation.objects.filter(pk__in=ids).order_by("code"))


def _check_scope(institution: Institution, occupation: Occupation, acting_user: User) -> None:
    require_role(acting_user, institution.province, Role.INSTITUTION_MEMBER, institution=institution,
                 message=_("只有本机构用户可以申报。"))
    if occupation.pk not in {o.pk for o in filed_occupations(institution)}:
        raise DomainError(_("“%(name)s”不在本机构的备案范围内。") % {"name": occupation.name},
                          code=Codes.OCCUPATION_NOT_FILED, field="occupation")


def declare_enrolment(institution: Institution, *, acting_user: User, occupation: Occupation, period: str,
                      enrolled: int, note: str = "") -> EnrolmentDeclaration:
    """招生规模: a new declaration for (occupation, period); an earlier one for the same stays as history."""
    _check_scope(institution, occupation, acting_user)
    parsed = parse_period(period)
    if parsed is None:
        raise DomainError(_("期间格式应为“2026”（年度）或“2026Q1”（季度）。"), code=Codes.PERIOD_INVALID, field="period")
    if isinstance(enrolled, bool) or not isinstance(enrolled, int) or not 0 <= enrolled <= MAX_ENROLMENT:
        raise DomainError(_("招生人数应为0–1000000之间的整数。"), code=Codes.DECLARATION_INVALID, field="enrolled")
    with transaction.atomic():
        row = EnrolmentDeclaration.objects.create(
            province_id=institution.province_id, institution=institution, occupation=occupation,
            period_kind=parsed.kind, period=parsed.key, period_start=parsed.start, enrolled=enrolled,
            note=note.strip()[:200], declared_by=acting_user, declared_at=timezone.now())
        record_event(actor=acting_user, action="enrolment_declared", obj=row, province=institution.province,
                     changes={"occupation": occupation.code, "period": parsed.key, "enrolled": enrolled})
    return row


def _clean_price(price: object) -> Decimal:
    try:
        value = Decimal(str(price))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("价格应为数字（元）。"), code=Codes.DECLARATION_INVALID, field="price") from exc
    if not value.is_finite() or value < 0 or value >= MAX_PRICE or value != value.quantize(Decimal("0.01")):
        raise DomainError(_("价格应为0–999999.99元，最多两位小数。"), code=Codes.DECLARATION_INVALID, field="price")
    return value


def declare_course_price(institution: Institution, *, acting_user: User, occupation: Occupation, level: int,
                         price: object, effective_from: dt.date, hours: int | None = None,
                         note: str = "") -> CoursePriceDeclaration:
    """课程价格 (seed 000 三(三)): a new price row from a date on; earlier prices stay as history."""
    _check_scope(institution, occupation, acting_user)
    if level not in SkillLevel.values:
        raise DomainError(_("请选择有效的等级。"), code=Codes.DECLARATION_INVALID, field="level")
    value = _clean_price(price)
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int) or not 0 < hours <= 10_000):
        raise DomainError(_("课时应为1–10000之间的整数。"), code=Codes.DECLARATION_INVALID, field="hours")
    with transaction.atomic():
        row = CoursePriceDeclaration.objects.create(
            province_id=institution.province_id, institution=institution, occupation=occupation, level=level,
            price=value, hours=hours, effective_from=effective_from, note=note.strip()[:200],
            declared_by=acting_user, declared_at=timezone.now())
        record_event(actor=acting_user, action="course_price_declared", obj=row, province=institution.province,
                     changes={"occupation": occupation.code, "level": level, "price": str(value),
                              "effective_from": effective_from.isoformat()})
    return row
