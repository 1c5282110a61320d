"""The applicant's draft: creating it, its occupations, declared facts, evidence and the integrity pledge."""

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import diff, record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import (
    Institution,
    Occupation,
    Role,
    SkillLevel,
    User,
    WorkType,
)
from portal.punctuation import enumeration
from portal.roles import has_role, require_role
from portal.uploads import check_upload

from .. import selectors
from ..errors import Codes
from ..models import (
    Application,
    ApplicationOccupation,
    Call,
    Evidence,
)
from ._common import S, _new_draft


def create_application(call: Call, institution: Institution, *, acting_user: User) -> Application:
    require_role(acting_user, institution.province, Role.INSTITUTION_MEMBER, institution=institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    if call.province_id != institution.province_id:
        raise DomainError(_("该批次不属于本机构所在省份。"), code=Codes.CALL_OTHER_PROVINCE)
    if not call.is_open:
        raise DomainError(_deadline_message(call), code=Codes.DEADLINE_PASSED)
    existing = Application.objects.filter(call=call, institution=institution).exclude(state=S.WITHDRAWN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            application = _new_draft(call, institution, city=institution.city, actor=acting_user)
    except IntegrityError:
        return Application.objects.filter(call=call, institution=institution).exclude(state=S.WITHDRAWN).get()
    return application


def _deadline_message(call: Call) -> str:
    return _("本批次申报截止时间为%(deadline)s，已截止，不能再提交。草稿已保留。") % {
        "deadline": timezone.localtime(call.application_deadline).strftime("%Y-%m-%d %H:%M")
    }


def _resubmission_deadline_message(call: Call) -> str:
    return _("本批次地市初审截止时间为%(deadline)s，已截止，不能再重新提交。修改已保留。") % {
        "deadline": timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")
    }


def _lock_editable(application: Application, acting_user: User) -> Application:
    require_role(acting_user, application.institution.province, Role.INSTITUTION_MEMBER, institution=application.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_editable:
        raise InvalidTransition(
            _("申请当前状态为“%(state)s”，不能修改。") % {"state": locked.get_state_display()},
            code=Codes.APPLICATION_NOT_EDITABLE,
        )
    return locked


def add_occupation(
    application: Application, *, acting_user: User, occupation: Occupation, work_type: WorkType | None,
    levels: Sequence[int],
) -> ApplicationOccupation:
    levels = sorted({int(level) for level in levels}, reverse=True)
    if not levels or any(level not in SkillLevel.values for level in levels):
        raise DomainError(_("请至少选择一个有效的技能等级。"), code=Codes.LEVELS_INVALID)
    if work_type is not None and work_type.occupation_id != occupation.pk:
        raise DomainError(_("工种“%(w)s”不属于职业“%(o)s”。") % {"w": work_type.name, "o": occupation.name},
                          code=Codes.WORK_TYPE_MISMATCH)
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        if not selectors.admissible_occupations(locked).filter(pk=occupation.pk).exists():
            raise DomainError(_("职业“%(o)s”不在本批次可申报范围内。") % {"o": occupation.name},
                              code=Codes.OCCUPATION_NOT_ADMITTED)
        pack = selectors.pack_for(locked.province)
        if pack.settings.max_occupations is not None and locked.occupations.count() >= pack.settings.max_occupations:
            raise DomainError(
                _("每个评价机构申报职业（工种）不得超过%(n)d个。") % {"n": pack.settings.max_occupations},
                code=Codes.TOO_MANY_OCCUPATIONS,
            )
        not_allowed = [level for level in levels if level not in pack.settings.allowed_levels]
        if not_allowed:
            raise DomainError(
                _("本省只受理以下等级：%(allowed)s；不能申报%(levels)s。") % {
                    "allowed": enumeration(SkillLevel(x).label for x in pack.settings.allowed_levels),
                    "levels": enumeration(SkillLevel(x).label for x in not_allowed),
                },
                code=Codes.LEVEL_NOT_ALLOWED,
            )
        if locked.occupations.filter(occupation=occupation, work_type=work_type).exists():
            raise DomainError(_("已申报该职业（工种）。"), code=Codes.OCCUPATION_DUPLICATE)
        item = ApplicationOccupation.objects.create(
            application=locked, occupation=occupation, work_type=work_type, levels=levels
        )
        record_event(actor=acting_user, action="occupation_added", obj=locked, province=locked.province,
                     changes={"occupation": {"before": None, "after": f"{occupation.code} {item} {levels}"}})
    return item


def remove_occupation(item: ApplicationOccupation, *, acting_user: User) -> None:
    with transaction.atomic():
        locked = _lock_editable(item.application, acting_user)
        label = f"{item.occupation.code} {item}"
        item.delete()
        record_event(actor=acting_user, action="occupation_removed", obj=locked, province=locked.province,
                     changes={"occupation": {"before": label, "after": None}})


def save_facts(
    application: Application, *, acting_user: User, facts: dict[str, Any],
    occupation_facts: dict[int, dict[str, Any]] | None = None, prefers_province_route: bool | None = None,
) -> Application:
    """Save the declared facts (a draft saves whatever is entered; the pre-check judges it)."""
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        before: dict[str, Any] = {"facts": dict(locked.facts), "prefers_province_route": locked.prefers_province_route}
        locked.facts = {**locked.facts, **facts}
        if prefers_province_route is not None:
            locked.prefers_province_route = prefers_province_route
        locked.save(update_fields=["facts", "prefers_province_route", "updated_at"])
        changes = diff(
            {**before["facts"], "prefers_province_route": before["prefers_province_route"]},
            {**locked.facts, "prefers_province_route": locked.prefers_province_route},
        )
        for item in locked.occupations.select_for_update():
            new = (occupation_facts or {}).get(item.pk)
            if new is None:
                continue
            merged = {**item.facts, **new}
            for key, change in diff(item.facts, merged).items():
                changes[f"{item.occupation.code}.{key}"] = change
            item.facts = merged
            item.save(update_fields=["facts"])
        if changes:
            record_event(actor=acting_user, action="facts_saved", obj=locked, province=locked.province,
                         changes=changes)
    return locked


def upload_evidence(application: Application, *, acting_user: User, checklist_key: str, upload: UploadedFile) -> Evidence:
    pack = selectors.pack_for(application.province)
    if checklist_key not in {i.key for i in pack.checklist_for(application.category)}:
        raise DomainError(_("材料项“%(k)s”不在本类别的材料清单中。") % {"k": checklist_key}, code=Codes.CHECKLIST_UNKNOWN)
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        evidence = Evidence(
            application=locked, checklist_key=checklist_key, original_name=(upload.name or "file")[:200],
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=acting_user,
        )
        evidence.file.save("upload.bin", upload, save=False)
        evidence.save()
        record_event(actor=acting_user, action="evidence_uploaded", obj=locked, province=locked.province,
                     changes={checklist_key: {"before": None, "after": f"{evidence.original_name} {checked.sha256[:12]}"}})
    return evidence


def remove_evidence(evidence: Evidence, *, acting_user: User) -> None:
    """Take a file off the checklist; the file itself is kept (nothing saved is lost), marked removed."""
    with transaction.atomic():
        locked = _lock_editable(evidence.application, acting_user)
        updated = Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).update(removed_at=timezone.now())
        if updated:
            record_event(actor=acting_user, action="evidence_removed", obj=locked, province=locked.province,
                         changes={evidence.checklist_key: {"before": evidence.original_name, "after": None}})


def confirm_pledge(application: Application, *, acting_user: User, signer: str) -> Application:
    if not signer.strip():
        raise DomainError(_("请填写承诺人姓名。"), code=Codes.PLEDGE_SIGNER_MISSING)
    with transaction.atomic():
        locked = _lock_editable(application, acting_user)
        locked.pledge_confirmed_at = timezone.now()
        locked.pledge_signer = signer.strip()
        locked.save(update_fields=["pledge_confirmed_at", "pledge_signer", "updated_at"])
        record_event(actor=acting_user, action="pledge_confirmed", obj=locked, province=locked.province,
                     reason=selectors.pack_for(locked.province).integrity_pledge,
                     changes={"pledge_signer": {"before": None, "after": locked.pledge_signer}})
    return locked


def record_evidence_download(evidence: Evidence, *, acting_user: User) -> bool:
    """Audit a download of a material by anyone but its own institution; returns whether it was audited."""
    application = evidence.application
    if has_role(acting_user, application.province, Role.INSTITUTION_MEMBER, institution=application.institution):
        return False
    record_event(actor=acting_user, action="evidence_downloaded", obj=application, province=application.province,
                 changes={"file": evidence.original_name})
    return True
