"""Revocation and correction of certificates: the organization asks, the city or the province approves."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Filing
from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.identifiers import normalize_id_number, validate_id_number
from portal.models import Province, Role, User
from portal.notifications import notify
from portal.roles import has_role, users_with_role

from .. import numbering, selectors
from ..errors import Codes
from ..models.exams import IdType
from ..models.issuance import (
    NO_WORK_TYPE,
    BatchKind,
    Certificate,
    CertificateChange,
    CertificateStatus,
    ChangeKind,
    ChangeState,
    IssuanceBatch,
    RevocationReason,
)
from ._common import _members, _provincial_officers, _require_member
from .issuance import start_pipeline_on_commit

CORRECTABLE_FIELDS = ("holder_name", "id_type", "id_number", "work_type_name")
# Who approves an organization's revocation or correction, per pack: "city" — an officer of the city that supervises
# the organization (or any provincial officer); "province" — provincial officers only. Shandong's centre reviews
# results last and holds the certificate query system (002 三(三)、(四)), so it approves there.
CHANGE_APPROVERS: dict[str, str] = {"guangdong": "city", "shandong": "province", "guizhou": "city"}
DEFAULT_CHANGE_APPROVER = "city"


def change_approver_level(province: Province) -> str:
    return CHANGE_APPROVERS.get(province.policy_pack, DEFAULT_CHANGE_APPROVER)


def may_approve_changes(user: User, filing: Filing) -> bool:
    if has_role(user, filing.province, Role.PROVINCIAL_OFFICER):
        return True
    return (change_approver_level(filing.province) == "city" and filing.city_id is not None
            and has_role(user, filing.province, Role.CITY_OFFICER, city=filing.city))


def _change_approvers(filing: Filing) -> list[User]:
    if change_approver_level(filing.province) == "city":
        return users_with_role(filing.province, Role.CITY_OFFICER, city=filing.city)
    return _provincial_officers(filing.province)


def _open_change(certificate: Certificate, *, acting_user: User, kind: str, reason_code: str, reason: str,
                 corrections: dict[str, str]) -> CertificateChange:
    filing = certificate.filing
    _require_member(acting_user, filing.institution)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因说明。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != CertificateStatus.VALID:
            raise InvalidTransition(_("证书状态为“%(status)s”，不能再申请撤销或更正。")
                                    % {"status": locked.get_status_display()}, code=Codes.CERTIFICATE_NOT_VALID)
        if CertificateChange.objects.filter(certificate=locked, state=ChangeState.REQUESTED).exists():
            raise ConflictError(_("该证书已有待审批的撤销或更正申请。"), code=Codes.CHANGE_PENDING)
        change = CertificateChange.objects.create(
            province_id=locked.province_id, certificate=locked, kind=kind, reason_code=reason_code, reason=reason,
            corrections=corrections, requested_by=acting_user,
        )
        record_event(actor=acting_user, action=f"certificate_{kind}_requested", obj=locked,
                     province=filing.province, from_state=locked.status, to_state=locked.status, reason=reason,
                     changes={"change": {"before": None, "after": change.pk}, "reason_code": {"before": None,
                                                                                               "after": reason_code}}
                     | {f: {"before": getattr(locked, f), "after": v} for f, v in corrections.items()})
    notify(_change_approvers(filing),
           title=_("证书%(kind)s待审批：%(number)s") % {"kind": change.get_kind_display(), "number": locked.number},
           body=_("%(org)s申请%(kind)s证书%(number)s：%(reason)s") % {
               "org": locked.organization_name, "kind": change.get_kind_display(), "number": locked.number,
               "reason": reason},
           link=reverse("certificates:change_detail", kwargs={"province": filing.province.slug, "pk": change.pk}),
           province=filing.province)
    return change


def request_revocation(certificate: Certificate, *, acting_user: User, reason_code: str, reason: str) -> CertificateChange:
    if reason_code not in RevocationReason.values:
        raise DomainError(_("请选择撤销原因。"), code=Codes.REASON_CODE_INVALID)
    return _open_change(certificate, acting_user=acting_user, kind=ChangeKind.REVOKE, reason_code=reason_code,
                        reason=reason, corrections={})


def clean_corrections(certificate: Certificate, corrections: dict[str, str]) -> dict[str, str]:
    """The printed fields that change (only those that differ), checked; DomainError when nothing changes."""
    cleaned: dict[str, str] = {}
    for field, raw in corrections.items():
        if field not in CORRECTABLE_FIELDS:
            raise DomainError(_("“%(field)s”不能更正。") % {"field": field}, code=Codes.CORRECTION_FIELD)
        value = " ".join(str(raw or "").split())
        if field == "holder_name":
            value = selectors.normalize_holder_name(value)
        if field == "id_number":
            value = normalize_id_number(value)
        if field == "work_type_name":
            value = value or NO_WORK_TYPE
        if not value:
            raise DomainError(_("更正后的内容不能为空。"), code=Codes.CORRECTION_EMPTY)
        if field == "id_type" and value not in IdType.values:
            raise DomainError(_("证件类型无效。"), code=Codes.CORRECTION_ID_TYPE)
        if value != getattr(certificate, field):
            cleaned[field] = value
    id_type = cleaned.get("id_type", certificate.id_type)
    if "id_number" in cleaned and id_type == IdType.RESIDENT_ID:
        try:
            validate_id_number(cleaned["id_number"])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code=exc.code or "id_number_invalid") from exc
    if "|" in cleaned.get("holder_name", ""):
        raise DomainError(_("姓名含有不允许的字符“|”。"), code=Codes.CORRECTION_NAME)
    if not cleaned:
        raise DomainError(_("更正内容与原证书相同，无需换发。"), code=Codes.CORRECTION_UNCHANGED)
    return cleaned


def request_correction(certificate: Certificate, *, acting_user: User, corrections: dict[str, str],
                       reason: str) -> CertificateChange:
    return _open_change(certificate, acting_user=acting_user, kind=ChangeKind.CORRECT, reason_code="",
                        reason=reason, corrections=clean_corrections(certificate, corrections))


def _reissue(old: Certificate, corrections: dict[str, str], *, actor: User, today: dt.date) -> Certificate:
    """A new certificate (new number, today's date) with the corrections, for the same result (inside a transaction)."""
    filing = Filing.objects.select_for_update(of=("self",)).select_related(
        "province", "institution", "city", "application").get(pk=old.filing_id)
    batch = IssuanceBatch.objects.create(
        province_id=old.province_id, filing=filing, institution_id=old.institution_id, kind=BatchKind.REISSUE,
        issued_on=today, total=1, created_by=actor,
    )
    sequence = numbering.reserve(filing, today.year, old.level, 1)
    number = numbering.format_number(numbering.prefix(filing, today.year, old.level), sequence)
    new = Certificate.objects.create(
        province_id=old.province_id, filing=filing, institution_id=old.institution_id, batch=batch,
        candidate_id=old.candidate_id, number=number, holder_name=corrections.get("holder_name", old.holder_name),
        id_type=corrections.get("id_type", old.id_type), id_number=corrections.get("id_number", old.id_number),
        occupation_id=old.occupation_id, occupation_code=old.occupation_code, occupation_name=old.occupation_name,
        work_type_name=corrections.get("work_type_name", old.work_type_name), level=old.level,
        organization_name=old.organization_name, issued_on=today, photo=old.photo.name,
    )
    batch.number_ranges = [{"level": old.level, "count": 1, "first": number, "last": number}]
    batch.save(update_fields=["number_ranges"])
    return new


def approve_change(change: CertificateChange, *, acting_user: User, note: str = "") -> CertificateChange:
    """The approver agrees: a revocation takes effect (the lookup shows it at once), or a correction reissues the
    certificate with a new number and marks the old one superseded, pointing to the new."""
    certificate = change.certificate
    if not may_approve_changes(acting_user, certificate.filing):
        raise NotPermitted(_("只有机构所在地市或省级经办人员可以审批证书撤销与更正。")
                           if change_approver_level(certificate.province) == "city"
                           else _("只有省级经办人员可以审批证书撤销与更正。"))
    today = timezone.localdate()
    with transaction.atomic():
        locked_change = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked_change.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked_change.get_state_display()},
                                code=Codes.CHANGE_DECIDED)
        cert = Certificate.objects.select_for_update().select_related("province").get(pk=certificate.pk)
        if cert.status != CertificateStatus.VALID:
            raise InvalidTransition(_("证书状态为“%(status)s”，不能办理。") % {"status": cert.get_status_display()},
                                    code=Codes.CERTIFICATE_NOT_VALID)
        from_state = cert.status
        locked_change.approve(by=acting_user, note=(note or "").strip())
        locked_change.decided_at = timezone.now()
        if locked_change.kind == ChangeKind.REVOKE:
            cert.revoke(on=today, reason_code=locked_change.reason_code, reason=locked_change.reason)
            cert.save(update_fields=["status", "status_changed_on", "revocation_reason_code", "revocation_reason"])
            record_event(actor=acting_user, action="certificate_revoked", obj=cert, province=cert.province,
                         from_state=from_state, to_state=cert.status, reason=locked_change.reason,
                         changes={"status": {"before": from_state, "after": cert.status},
                                  "revocation_reason_code": {"before": "", "after": cert.revocation_reason_code},
                                  "change": {"before": None, "after": locked_change.pk}})
        else:
            cert.supersede(on=today)
            cert.save(update_fields=["status", "status_changed_on"])
            new = _reissue(cert, locked_change.corrections, actor=acting_user, today=today)
            cert.superseded_by = new
            cert.save(update_fields=["superseded_by"])
            locked_change.replacement = new
            record_event(actor=acting_user, action="certificate_superseded", obj=cert, province=cert.province,
                         from_state=from_state, to_state=cert.status, reason=locked_change.reason,
                         changes={"status": {"before": from_state, "after": cert.status},
                                  "superseded_by": {"before": None, "after": new.number},
                                  "change": {"before": None, "after": locked_change.pk}})
            record_event(actor=acting_user, action="certificate_reissued", obj=new, province=cert.province,
                         to_state=new.status, reason=locked_change.reason,
                         changes={"supersedes": {"before": None, "after": cert.number}}
                         | {f: {"before": getattr(cert, f), "after": v} for f, v in locked_change.corrections.items()})
            start_pipeline_on_commit(new.batch_id)
        locked_change.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "replacement"])
    filing = certificate.filing
    notify(_members(filing.institution),
           title=_("证书%(kind)s已批准：%(number)s") % {"kind": locked_change.get_kind_display(), "number": cert.number},
           body=(_("新证书编号%(new)s。") % {"new": locked_change.replacement.number}
                 if locked_change.replacement else locked_change.decision_note),
           link=reverse("certificates:certificate_detail",
                        kwargs={"province": cert.province.slug, "pk": cert.pk}),
           province=cert.province)
    return locked_change


def reject_change(change: CertificateChange, *, acting_user: User, note: str) -> CertificateChange:
    certificate = change.certificate
    if not may_approve_changes(acting_user, certificate.filing):
        raise NotPermitted(_("只有机构所在地市或省级经办人员可以审批证书撤销与更正。"))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("不予批准须填写理由。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        locked = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked.get_state_display()},
                                code=Codes.CHANGE_DECIDED)
        from_state = locked.state
        locked.reject(by=acting_user, note=note)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        record_event(actor=acting_user, action=f"certificate_{locked.kind}_rejected", obj=certificate,
                     province=certificate.province, from_state=from_state, to_state=locked.state, reason=note,
                     changes={"change": {"before": None, "after": locked.pk}})
    notify(_members(certificate.filing.institution),
           title=_("证书%(kind)s未获批准：%(number)s") % {"kind": locked.get_kind_display(), "number": certificate.number},
           body=note,
           link=reverse("certificates:certificate_detail",
                        kwargs={"province": certificate.province.slug, "pk": certificate.pk}),
           province=certificate.province)
    return locked


def withdraw_change(change: CertificateChange, *, acting_user: User) -> CertificateChange:
    """The organization takes back a request that is not decided yet."""
    certificate = change.certificate
    _require_member(acting_user, certificate.filing.institution)
    with transaction.atomic():
        locked = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked.get_state_display()},
                                code=Codes.CHANGE_DECIDED)
        from_state = locked.state
        locked.withdraw()
        locked.save(update_fields=["state"])
        record_event(actor=acting_user, action=f"certificate_{locked.kind}_withdrawn", obj=certificate,
                     province=certificate.province, from_state=from_state, to_state=locked.state,
                     changes={"change": {"before": None, "after": locked.pk}})
    return locked
