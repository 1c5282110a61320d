"""The holder's skill-bank account: opening it on three facts the portal knows, and the whole record it shows.

An account opens only when the identity number, the name and the number of one certificate of that person all match;
a miss says nothing about which fact was wrong, counts against the caller's address and the identity number's limits,
and is audited. The record holds every certificate of the identity number (any province), every exam the person sat
and the sections other apps register with portal.holder_record (the feedback they gave).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal import documents, ratelimit
from portal.audit import audit_personal_data_read, record_event
from portal.errors import ConflictError, DomainError
from portal.holder_record import RecordSection, sections_for
from portal.identifiers import mask_id_number, normalize_id_number, normalize_mobile
from portal.models import HolderAccount, SkillLevel, User
from portal.ratelimit import hash_ip

from .. import numbering, selectors
from ..errors import Codes
from ..models import Candidate, Certificate, PlanState
from .lookup import digest_identifier

OPEN_RATE_SCOPE = "certificates.holder_open"
OPEN_ID_RATE_SCOPE = "certificates.holder_open_id"
OPEN_RATE = (10, 3600)  # attempts per address per hour
OPEN_ID_RATE = (5, 3600)  # attempts per identity number per hour, from any address
OPEN_FAILED = "holder_account_open_failed"
OPENED = "holder_account_opened"
RECORD_PDF, RECORD_JSON = "holder_record_pdf", "holder_record_json"
RESULTS_PUBLISHED = (PlanState.IN_PUBLICITY, PlanState.CITY_REVIEW, PlanState.PROVINCE_REVIEW, PlanState.APPROVED)
NOT_SAT = (PlanState.DRAFT, PlanState.CANCELLED, PlanState.LAPSED)


def open_rates() -> tuple[tuple[int, int], tuple[int, int]]:
    """(limit, window) per address and per identity number; settings.HOLDER_OPEN_RATES overrides."""
    rates = getattr(settings, "HOLDER_OPEN_RATES", (OPEN_RATE, OPEN_ID_RATE))
    return (int(rates[0][0]), int(rates[0][1])), (int(rates[1][0]), int(rates[1][1]))


def _admit(ip: str, id_number: str) -> None:
    (limit, window), (id_limit, id_window) = open_rates()
    message = _("尝试次数过多，请一小时后再试。")
    ratelimit.enforce(OPEN_RATE_SCOPE, hash_ip(ip), limit=limit, window=window, message=message)
    ratelimit.enforce(OPEN_ID_RATE_SCOPE, digest_identifier(id_number or "-"), limit=id_limit, window=id_window,
                      message=message)


def _record_failure(id_number: str, ip: str) -> None:
    """Audit the refused attempt (its own transaction: the refusal must not roll it back), naming no fact."""
    with transaction.atomic():
        record_event(actor=None, action=OPEN_FAILED, obj=HolderAccount(id_number=""), province=None,
                     reason="facts_mismatch",
                     changes={"id_digest": digest_identifier(id_number), "ip_hash": hash_ip(ip)})


def _facts_match(id_number: str, name: str, number: str) -> bool:
    if not (id_number and name and numbering.is_well_formed(number)):
        return False
    return Certificate.objects.filter(number=number, id_number=id_number, holder_name=name).exists()


def _checked_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code=Codes.HOLDER_PASSWORD_WEAK) from exc


def open_account(*, id_number: str, holder_name: str, certificate_number: str, password: str, mobile: str = "",
                 ip: str) -> HolderAccount:
    """Open the account of the person these three facts name, with `password` (and `mobile` to log in with).

    Refusals: HOLDER_FACTS_MISMATCH (400, which fact is not said), RateLimited (429), HOLDER_ACCOUNT_EXISTS (409),
    HOLDER_MOBILE_TAKEN (409), HOLDER_PASSWORD_WEAK (400); the last three only once the facts are proven.
    """
    value = normalize_id_number(id_number)
    name = selectors.normalize_holder_name(holder_name)
    number = numbering.normalize_number(certificate_number)
    _admit(ip, value)
    if not _facts_match(value, name, number):
        _record_failure(value, ip)
        raise DomainError(_("信息核验未通过：请核对证件号码、姓名和证书编号是否与证书上的一致。"),
                          code=Codes.HOLDER_FACTS_MISMATCH)
    if HolderAccount.objects.filter(id_number=value).exists() or User.objects.filter(username=value).exists():
        raise ConflictError(_("该证件号码已开通技能银行账号，请直接登录（用户名为证件号码）。"),
                            code=Codes.HOLDER_ACCOUNT_EXISTS)
    phone = normalize_mobile(mobile) if mobile else ""
    if phone and User.objects.filter(mobile=phone).exists():
        raise ConflictError(_("该手机号码已被其他账号使用。"), code=Codes.HOLDER_MOBILE_TAKEN)
    return _create(value, name, number, password, phone, ip)


def _create(id_number: str, name: str, number: str, password: str, phone: str, ip: str) -> HolderAccount:
    certificate = Certificate.objects.get(number=number)
    user = User(username=id_number, display_name=name, mobile=phone or None)
    _checked_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            account = HolderAccount.objects.create(user=user, id_type=certificate.id_type, id_number=id_number,
                                                   holder_name=name)
            record_event(actor=user, action=OPENED, obj=account, province=None,
                         changes={"id_masked": mask_id_number(id_number), "mobile": bool(phone), "ip_hash": hash_ip(ip)})
    except IntegrityError as exc:  # two requests for one person at once: the second finds the first
        raise ConflictError(_("该证件号码已开通技能银行账号，请直接登录（用户名为证件号码）。"),
                            code=Codes.HOLDER_ACCOUNT_EXISTS) from exc
    return account


def account_of(user: Any) -> HolderAccount | None:
    """The holder account of a logged-in user, or None (an officer, an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return HolderAccount.objects.filter(user=user).first()


@dataclass(frozen=True)
class ExamLine:
    """One exam the holder sat: the plan, its date, occupation, level and the result once published."""

    plan_title: str
    organization: str
    date: dt.date | None
    occupation: str
    level: str
    result: str


@dataclass(frozen=True)
class HolderRecord:
    account: HolderAccount
    certificates: list[dict[str, Any]]
    exams: list[ExamLine]
    sections: list[RecordSection]
    as_of: dt.datetime


def _result_text(candidate: Candidate) -> str:
    if candidate.plan.state not in RESULTS_PUBLISHED or candidate.passed is None:
        return _("结果尚未公布")
    return _("合格") if candidate.passed else _("不合格")


def holder_exams(id_number: str) -> list[ExamLine]:
    """Every exam this identity number sat (plans filed, not cancelled), newest first."""
    candidates = (Candidate.objects.filter(id_number=id_number).exclude(plan__state__in=NOT_SAT)
                  .select_related("plan__occupation", "plan__institution").order_by("-plan__first_session_on", "-pk"))
    return [ExamLine(c.plan.title, c.plan.institution.name, c.plan.first_session_on, c.plan.occupation_label,
                     str(SkillLevel(c.level).label), _result_text(c)) for c in candidates]


def holder_certificates(id_number: str) -> list[dict[str, Any]]:
    """Every certificate of this identity number, in every province, newest first, as the public sees it plus the
    certificate's id (the holder chooses certificates to share by it)."""
    certificates = (Certificate.objects.filter(id_number=id_number).select_related("province", "superseded_by")
                    .order_by("-issued_on", "-number")[: selectors.LIFELONG_RECORD_LIMIT])
    return [{"id": c.pk, **selectors.public_view(c)} for c in certificates]


def holder_record(account: HolderAccount) -> HolderRecord:
    """The holder's whole record: certificates, exams and the other apps' sections; nothing of anyone else."""
    return HolderRecord(account, holder_certificates(account.id_number), holder_exams(account.id_number),
                        sections_for(account.id_number), timezone.now())


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, Promise) else value


def record_json(record: HolderRecord) -> dict[str, Any]:
    """The record as JSON: what the page shows, under stable keys."""
    return {
        "holder": {"name": record.account.holder_name, "id_number": record.account.id_number,
                   "id_type": record.account.id_type},
        "generated_at": record.as_of.isoformat(),
        "certificates": [{k: _plain(v) for k, v in c.items() if k != "superseded_by_url"}
                         for c in record.certificates],
        "exams": [{"plan": e.plan_title, "organization": e.organization, "date": e.date.isoformat() if e.date else None,
                   "occupation": e.occupation, "level": e.level, "result": e.result} for e in record.exams],
        "sections": {s.key: {"title": s.title, "columns": s.columns, "rows": s.rows} for s in record.sections},
    }


def record_pdf(record: HolderRecord) -> bytes:
    """The record as an A4 PDF (portal.documents, CJK font embedded)."""
    return documents.render_pdf("documents/holder_record.html", {"record": record})


def record_download(record: HolderRecord, *, acting_user: User, what: str) -> None:
    """Audit the holder's download of their whole record (PDF or JSON)."""
    audit_personal_data_read(acting_user, record.account, what=what, province=None)
