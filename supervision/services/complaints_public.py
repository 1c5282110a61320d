"""The complainant's side of a complaint (no login): filing it with a tracking code, finding it again by that code
alone, answering a request for information, and saying whether the answer satisfies them (reopening it once)."""

import base64
import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, ExamPlan
from certificates.services import lookup_rate
from filings.models import Filing
from filings.selectors import catalog, pack_for
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Institution, Occupation, Province
from portal.ratelimit import enforce, hash_ip
from portal.uploads import CheckedUpload, check_upload

from ..errors import Codes
from ..models import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintSatisfaction,
    ComplaintState,
    ComplaintSubject,
    HandlingLevel,
    MessageKind,
)
from . import complaint_deadlines as clock
from .declarations import filed_occupations

SUBMIT_SCOPE = "supervision.complaint"
TRACK_SCOPE = "supervision.complaint_track"
SUBMIT_LIMIT, SUBMIT_WINDOW = 5, 3600  # complaints per address per hour, as objections to publicity notices
MAX_ATTACHMENTS = 5
MOBILE = re.compile(r"^1\d{10}$")
CODE_BYTES = 10  # 80 bits: 16 base32 characters


# --- the tracking code ---

def new_tracking_code() -> str:
    """A fresh code from the system's CSPRNG: 80 bits, as four groups of four base32 characters (no 0/1/8/9)."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def code_hash(code: str) -> str:
    """What is stored: the SHA-256 of the code without separators, upper case (80 random bits need no salt)."""
    return hashlib.sha256(re.sub(r"[^A-Z2-7]", "", (code or "").upper()).encode()).hexdigest()


def find_by_code(code: str, *, ip: str) -> Complaint:
    """The complaint of a tracking code; every attempt counts against the address's limit, like the lookup's."""
    limit, window = lookup_rate()
    enforce(TRACK_SCOPE, hash_ip(ip), limit=limit, window=window,
            message=_("查询过于频繁：同一来源每%(minutes)d分钟最多%(n)d次，请稍后再试。")
            % {"minutes": max(1, window // 60), "n": limit})
    found = Complaint.objects.select_related("province", "institution", "occupation").filter(
        tracking_hash=code_hash(code)).first()
    if found is None:
        raise DomainError(_("查询码不正确，请核对后重新输入。"), code=Codes.TRACKING_CODE_NOT_FOUND, field="code",
                          status=404)
    return found


# --- filing a complaint ---

@dataclass(frozen=True)
class ComplaintInput:
    subject_kind: str
    category: str
    text: str
    organization_id: int | None = None
    exam_date: dt.date | None = None
    certificate_number: str = ""
    occupation_id: int | None = None
    anonymous: bool = False
    name: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class Subject:
    institution: Institution
    occupation: Occupation | None = None
    plan: ExamPlan | None = None
    certificate: Certificate | None = None


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(message, code=Codes.COMPLAINT_INVALID, field=field)


def _not_found(message: str, field: str) -> DomainError:
    return DomainError(message, code=Codes.COMPLAINT_SUBJECT_NOT_FOUND, field=field)


def _catalog_organization(province: Province, organization_id: int | None) -> Institution:
    filing = catalog(province).filter(institution_id=organization_id).first() if organization_id else None
    if filing is None:
        raise _not_found(_("请从评价机构目录中选择被投诉的机构。"), "organization")
    return filing.institution


def _occupation_of(institution: Institution, occupation_id: int | None) -> Occupation | None:
    scope = filed_occupations(institution)
    if occupation_id is None:
        return scope[0] if len(scope) == 1 else None
    for occupation in scope:
        if occupation.pk == occupation_id:
            return occupation
    raise _invalid(_("所选职业不在该机构的备案范围内。"), "occupation")


def resolve_subject(province: Province, data: ComplaintInput) -> Subject:
    """The organization complained about: chosen from the catalog, through an exam it held on a date, or through a
    certificate number (the occupation comes with the exam or certificate)."""
    if data.subject_kind == ComplaintSubject.CERTIFICATE:
        number = data.certificate_number.strip().upper()
        certificate = Certificate.objects.filter(province=province, number=number).select_related(
            "institution", "occupation").first() if number else None
        if certificate is None:
            raise _not_found(_("未找到该证书编号，请核对，或改为直接选择评价机构。"), "certificate_number")
        return Subject(certificate.institution, certificate.occupation, certificate=certificate)
    institution = _catalog_organization(province, data.organization_id)
    if data.subject_kind == ComplaintSubject.EXAM:
        if data.exam_date is None:
            raise _invalid(_("请填写考核日期。"), "exam_date")
        plans = list(ExamPlan.objects.filter(institution=institution, sessions__date=data.exam_date)
                     .select_related("occupation").distinct()[:2])
        if not plans:
            raise _not_found(_("该机构在%(date)s没有已报备的考核，请核对日期。") % {"date": data.exam_date.isoformat()},
                             "exam_date")
        plan = plans[0] if len(plans) == 1 else None
        return Subject(institution, plan.occupation if plan else _occupation_of(institution, data.occupation_id), plan)
    if data.subject_kind != ComplaintSubject.ORGANIZATION:
        raise _invalid(_("请选择投诉对象。"), "subject_kind")
    return Subject(institution, _occupation_of(institution, data.occupation_id))


def _check_contact(data: ComplaintInput) -> None:
    if data.mobile and not MOBILE.match(data.mobile):
        raise _invalid(_("手机号码应为11位数字，以1开头。"), "mobile")
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError as exc:
            raise _invalid(_("电子邮箱格式不正确。"), "email") from exc
    if not data.anonymous and not data.name.strip():
        raise _invalid(_("请填写姓名，或选择匿名投诉。"), "name")
    if not data.anonymous and not (data.mobile or data.email):
        raise _invalid(_("请留下手机号码或电子邮箱，或选择匿名投诉。"), "mobile")


def route(province: Province, institution: Institution) -> tuple[str, int | None]:
    """Who handles it, by the pack: the city supervising the organization (its filing's city) or the province."""
    city_id = (Filing.objects.filter(province=province, institution=institution).order_by("-id")
               .values_list("city_id", flat=True).first())
    if pack_for(province).settings.complaint_routing == "city" and city_id:
        return HandlingLevel.CITY, city_id
    return HandlingLevel.PROVINCE, city_id


def check_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, CheckedUpload]]:
    if len(files) > MAX_ATTACHMENTS:
        raise _invalid(_("附件最多%(n)d个。") % {"n": MAX_ATTACHMENTS}, "attachments")
    return [(f, check_upload(f)) for f in files]


def save_files(complaint: Complaint, checked: list[tuple[UploadedFile, CheckedUpload]], *,
               message: ComplaintMessage | None = None, from_organization: bool = False) -> None:
    for upload, result in checked:
        attachment = ComplaintAttachment(complaint=complaint, message=message, name=(upload.name or "附件")[:200],
                                         content_type=result.content_type, from_organization=from_organization)
        attachment.file.save("attachment.bin", upload, save=False)
        attachment.save()


def _new_complaint(province: Province, data: ComplaintInput, subject: Subject, code: str, ip: str) -> Complaint:
    category = clock.category_of(province, data.category)
    level, city_id = route(province, subject.institution)
    now = timezone.now()
    complaint = Complaint(
        province=province, tracking_hash=code_hash(code), subject_kind=data.subject_kind,
        institution=subject.institution, occupation=subject.occupation, plan=subject.plan,
        certificate=subject.certificate, category=category.key, category_label=category.label,
        text=data.text.strip(), anonymous=data.anonymous, complainant_name="" if data.anonymous else data.name.strip(),
        contact_mobile=data.mobile, contact_email=data.email, ip_hash=hash_ip(ip), level=level, city_id=city_id,
        filed_at=now, filed_on=timezone.localdate(now), clock_started_on=timezone.localdate(now),
        legal_days=category.legal_days, service_days=category.service_days)
    clock.set_deadlines(complaint)
    complaint.save()
    return complaint


def submit_complaint(province: Province, data: ComplaintInput, *, ip: str,
                     files: list[UploadedFile] | None = None) -> tuple[Complaint, str]:
    """File a complaint; returns it and its tracking code (shown once, e-mailed when an address was given)."""
    enforce(SUBMIT_SCOPE, hash_ip(ip), limit=SUBMIT_LIMIT, window=SUBMIT_WINDOW,
            message=_("提交过于频繁：同一来源每小时最多提交%(n)d件投诉，请稍后再试。") % {"n": SUBMIT_LIMIT})
    if not data.text.strip():
        raise _invalid(_("请填写投诉内容。"), "text")
    clock.category_of(province, data.category)
    _check_contact(data)
    subject = resolve_subject(province, data)
    checked = check_files(files or [])
    code = new_tracking_code()
    with transaction.atomic():
        complaint = _new_complaint(province, data, subject, code, ip)
        save_files(complaint, checked)
        record_event(actor=None, action="complaint_filed", obj=complaint, province=province,
                     to_state=complaint.state, changes={
                         "institution": subject.institution.name, "category": complaint.category,
                         "level": complaint.level, "city": complaint.city_id, "attachments": len(checked),
                         "legal_due_on": complaint.legal_due_on, "service_due_on": complaint.service_due_on})
        if complaint.contact_email:
            mail_complainant(complaint, _("您的投诉已受理"), _(
                "您对“%(org)s”的投诉已受理。查询码：%(code)s（请妥善保存，凭此码查询办理进度；本码不会再次发送）。"
                "法定办结期限：%(due)s。") % {"org": subject.institution.name, "code": code,
                                         "due": due_text(complaint.legal_due_on)})
    return complaint, code


def due_text(day: dt.date | None) -> str:
    """A deadline for a person: its date, or that it waits for the next year's working-day calendar."""
    return day.isoformat() if day else _("待下一年度工作日历公布后确定")


def mail_complainant(complaint: Complaint, subject: str, body: str) -> None:
    """E-mail the complainant after commit, when they left an address (Django's mail backend)."""
    address = complaint.contact_email
    if not address:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address],
                                            fail_silently=True))


# --- the complainant's actions ---

def _locked(complaint: Complaint) -> Complaint:
    return (Complaint.objects.select_for_update(of=("self",)).select_related("province", "institution")
            .get(pk=complaint.pk))


def _wrong_state(message: str) -> DomainError:
    return DomainError(message, code=Codes.COMPLAINT_STATE, status=409)


def provide_information(complaint: Complaint, *, text: str, files: list[UploadedFile] | None = None) -> Complaint:
    """The complainant answers a request for information: the clock resumes today, moved by the days suspended."""
    if not text.strip():
        raise _invalid(_("请填写补充说明。"), "text")
    checked = check_files(files or [])
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.state != ComplaintState.AWAITING_COMPLAINANT:
            raise _wrong_state(_("该投诉目前不需要补充材料。"))
        before = locked.state
        locked.resume()
        suspension = clock.resume_clock(locked, timezone.localdate())
        locked.save()
        message = ComplaintMessage.objects.create(complaint=locked, kind=MessageKind.INFORMATION_REPLY,
                                                  text=text.strip())
        save_files(locked, checked, message=message)
        record_event(actor=None, action="complaint_information_provided", obj=locked, province=locked.province,
                     from_state=before, to_state=locked.state, changes={
                         "suspended_working_days": suspension.working_days if suspension else 0,
                         "legal_due_on": locked.legal_due_on, "service_due_on": locked.service_due_on})
    return locked


def react_to_answer(complaint: Complaint, *, satisfied: bool, comment: str = "") -> Complaint:
    """Within the pack's days after the answer: satisfied closes the complaint; not satisfied reopens it the first
    time (handled again, on a new clock) and closes it, recorded as not satisfied, after the second answer."""
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.state != ComplaintState.ANSWERED:
            raise _wrong_state(_("该投诉尚未答复或已办结，不能评价。"))
        before = locked.state
        today = timezone.localdate()
        locked.satisfaction_comment = comment.strip()
        locked.satisfaction_at = timezone.now()
        _check_window(locked, today)
        if satisfied or locked.reopened:
            # the second answer ends it either way: a complaint reopens once; the dissatisfaction stays on record
            locked.close(satisfaction=ComplaintSatisfaction.SATISFIED if satisfied
                         else ComplaintSatisfaction.DISSATISFIED)
            locked.next_sweep_on = None
            kind = MessageKind.SATISFIED if satisfied else MessageKind.DISSATISFIED
            action = "complaint_closed"
        else:
            locked.satisfaction = ComplaintSatisfaction.DISSATISFIED
            locked.reopen()
            clock.restart_clock(locked, today)
            kind, action = MessageKind.DISSATISFIED, "complaint_reopened"
        locked.save()
        ComplaintMessage.objects.create(complaint=locked, kind=kind, text=comment.strip())
        record_event(actor=None, action=action, obj=locked, province=locked.province, from_state=before,
                     to_state=locked.state, reason=comment.strip(), changes={"satisfaction": locked.satisfaction})
    return locked


def _check_window(complaint: Complaint, today: dt.date) -> None:
    if complaint.reply_window_ends_on and today > complaint.reply_window_ends_on:
        raise DomainError(_("已超过答复后可以评价的期限（%(date)s）。")
                          % {"date": complaint.reply_window_ends_on.isoformat()},
                          code=Codes.COMPLAINT_REOPEN_CLOSED, status=409)
