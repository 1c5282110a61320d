"""Feedback writes: a trainee's response on their certificate (one per certificate, editable for 30 days) and an
employer's rating of a holder it employs (one per employer and certificate). Each write is audited."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateStatus
from certificates.selectors import find_by_number
from portal.audit import diff, record_event, snapshot
from portal.errors import DomainError
from portal.models import Institution, Role, User
from portal.roles import require_role

from ..errors import Codes
from ..models import EmployerFeedback, EmploymentStatus, TraineeFeedback, WageBand
from ._common import admit_feedback, check_range, clean_credit_code

EDIT_WINDOW = dt.timedelta(days=30)
TICKET_SALT = "supervision.feedback.ticket"
TICKET_MAX_AGE = 60 * 60  # an hour to fill in the form after proving the three factors
ID_TAIL = 6
TRAINEE_FIELDS = ("employment_status", "employer_name", "employer_credit_code", "job_matches", "wage_band",
                  "training_satisfaction", "evaluation_satisfaction", "comment")


@dataclass(frozen=True)
class TraineeAnswers:
    employment_status: str
    training_satisfaction: int
    evaluation_satisfaction: int
    employer_name: str = ""
    employer_credit_code: str = ""
    job_matches: bool | None = None
    wage_band: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Employer:
    """Who rates: a registered organization (``institution``) or a public visitor's declared company and contact."""

    name: str
    credit_code: str
    contact_name: str
    contact_phone: str
    institution: Institution | None = None


def find_certificate_for_trainee(number: str, holder_name: str, id_tail: str, *, ip: str) -> Certificate:
    """The certificate matching all three factors (number, holder's name, last 6 of the ID), rate-limited."""
    admit_feedback(ip)
    found = find_by_number(number, holder_name)
    tail = (id_tail or "").strip().upper()
    if found is None or len(tail) != ID_TAIL or found.id_number.upper()[-ID_TAIL:] != tail:
        raise DomainError(_("证书编号、姓名与证件号码后6位不匹配，请核对后重试。"), code=Codes.CERTIFICATE_NOT_MATCHED)
    if found.status != CertificateStatus.VALID:
        raise DomainError(_("该证书已撤销或已换发，不能对其反馈；请使用有效证书。"), code=Codes.CERTIFICATE_NOT_VALID)
    return Certificate.objects.select_related("province").get(pk=found.id)


def find_certificate_for_employer(number: str, holder_name: str, *, ip: str | None) -> Certificate:
    """The certificate of this number whose holder has this name (a public employer is rate-limited)."""
    if ip is not None:
        admit_feedback(ip)
    found = find_by_number(number, holder_name)
    if found is None:
        raise DomainError(_("证书编号与持证人姓名不匹配，请核对后重试。"), code=Codes.CERTIFICATE_NOT_MATCHED)
    if found.status != CertificateStatus.VALID:
        raise DomainError(_("该证书已撤销或已换发，不能对其评价。"), code=Codes.CERTIFICATE_NOT_VALID)
    return Certificate.objects.select_related("province").get(pk=found.id)


def trainee_ticket(certificate: Certificate) -> str:
    """A signed, short-lived proof that the visitor gave the three factors of this certificate."""
    return signing.dumps(certificate.pk, salt=TICKET_SALT)


def certificate_from_ticket(ticket: str) -> Certificate:
    try:
        pk = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(_("页面已过期，请重新输入证书信息。"), code=Codes.CERTIFICATE_NOT_MATCHED) from exc
    return Certificate.objects.select_related("province").get(pk=int(pk))


def _clean_trainee(answers: TraineeAnswers) -> dict[str, object]:
    code = Codes.FEEDBACK_INVALID
    if answers.employment_status not in EmploymentStatus.values:
        raise DomainError(_("请选择就业状态。"), code=code, field="employment_status")
    if answers.wage_band is not None and answers.wage_band not in WageBand.values:
        raise DomainError(_("请选择有效的月工资区间。"), code=code, field="wage_band")
    values = asdict(answers)
    values["training_satisfaction"] = check_range(answers.training_satisfaction, 1, 5, field="training_satisfaction",
                                                  label=_("对培训的满意度"), code=code)
    values["evaluation_satisfaction"] = check_range(answers.evaluation_satisfaction, 1, 5,
                                                    field="evaluation_satisfaction", label=_("对评价的满意度"), code=code)
    values["employer_credit_code"] = clean_credit_code(answers.employer_credit_code, field="employer_credit_code",
                                                       code=code)
    values["employer_name"] = answers.employer_name.strip()[:200]
    values["comment"] = answers.comment.strip()[:2000]
    return values


def submit_trainee_feedback(certificate: Certificate, answers: TraineeAnswers) -> TraineeFeedback:
    """Record or edit the holder's response; past 30 days after the first one it is closed (FEEDBACK_CLOSED)."""
    values = _clean_trainee(answers)
    now = timezone.now()
    with transaction.atomic():
        existing = TraineeFeedback.objects.select_for_update().filter(certificate=certificate).first()
        if existing is None:
            feedback = TraineeFeedback.objects.create(
                province_id=certificate.province_id, certificate=certificate, institution_id=certificate.institution_id,
                occupation_id=certificate.occupation_id, certified_on=certificate.issued_on, submitted_at=now,
                editable_until=now + EDIT_WINDOW, updated_at=now, **values)
            record_event(actor=None, action="trainee_feedback_submitted", obj=feedback,
                         province=certificate.province, changes=snapshot(feedback, TRAINEE_FIELDS))
            return feedback
        if now > existing.editable_until:
            raise DomainError(_("反馈提交已超过30天，不能再修改。"), code=Codes.FEEDBACK_CLOSED, status=409)
        before = snapshot(existing, TRAINEE_FIELDS)
        for name, value in values.items():
            setattr(existing, name, value)
        changes = diff(before, snapshot(existing, TRAINEE_FIELDS))
        if not changes:
            return existing
        existing.updated_at = now
        existing.save(update_fields=[*TRAINEE_FIELDS, "updated_at"])
        record_event(actor=None, action="trainee_feedback_edited", obj=existing, province=certificate.province,
                     changes=changes)
        return existing


def _clean_employer(employer: Employer, skill_match: int) -> Employer:
    code = Codes.EMPLOYER_INVALID
    check_range(skill_match, 1, 5, field="skill_match", label=_("技能与等级相符程度"), code=code)
    if employer.institution is not None:
        return employer
    credit_code = clean_credit_code(employer.credit_code, field="employer_credit_code", code=code, required=True)
    for field, value, label in (("employer_name", employer.name, _("单位名称")),
                                ("contact_name", employer.contact_name, _("联系人")),
                                ("contact_phone", employer.contact_phone, _("联系电话"))):
        if not value.strip():
            raise DomainError(_("请填写%(label)s。") % {"label": label}, code=code, field=field)
    return Employer(employer.name.strip()[:200], credit_code, employer.contact_name.strip()[:50],
                    employer.contact_phone.strip()[:20])


def submit_employer_feedback(certificate: Certificate, employer: Employer, *, skill_match: int,
                             would_hire_again: bool, acting_user: User | None = None) -> EmployerFeedback:
    """Record (or replace) this employer's rating of the holder; one rating per employer and certificate."""
    if employer.institution is not None:
        if acting_user is None:
            raise DomainError(_("请先登录。"), code=Codes.EMPLOYER_INVALID)
        require_role(acting_user, employer.institution.province, Role.INSTITUTION_MEMBER,
                     institution=employer.institution)
    employer = _clean_employer(employer, skill_match)
    now = timezone.now()
    with transaction.atomic():
        feedback, created = EmployerFeedback.objects.select_for_update().get_or_create(
            certificate=certificate, employer_credit_code=employer.credit_code,
            defaults={"province_id": certificate.province_id, "institution_id": certificate.institution_id,
                      "occupation_id": certificate.occupation_id, "certified_on": certificate.issued_on,
                      "submitted_at": now, "updated_at": now, "skill_match": skill_match,
                      "would_hire_again": would_hire_again, "employer_name": employer.name,
                      "contact_name": employer.contact_name, "contact_phone": employer.contact_phone,
                      "employer": employer.institution, "submitted_by": acting_user})
        fields = ("skill_match", "would_hire_again", "employer_name", "contact_name", "contact_phone")
        before = snapshot(feedback, fields)
        if not created:
            feedback.skill_match, feedback.would_hire_again = skill_match, would_hire_again
            feedback.employer_name = employer.name
            feedback.contact_name, feedback.contact_phone = employer.contact_name, employer.contact_phone
            if not diff(before, snapshot(feedback, fields)):
                return feedback
            feedback.updated_at = now
            feedback.save(update_fields=[*fields, "updated_at"])
        record_event(actor=acting_user, action="employer_feedback_submitted" if created else "employer_feedback_edited",
                     obj=feedback, province=certificate.province,
                     changes=snapshot(feedback, fields) if created else diff(before, snapshot(feedback, fields)))
    return feedback

