"""The tasks of a cultivation: question banks (试题资源) reviewed by the province, exam-affairs training."""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.models import (
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import has_role, require_role, users_with_role
from portal.uploads import check_upload

from ..errors import Codes
from ..models import (
    Cultivation,
    CultivationOccupation,
    CultivationTask,
    QuestionBankFile,
    QuestionBankFileKind,
    QuestionBankRound,
    ReviewDecision,
    TaskKind,
    TaskState,
)
from ._common import (
    CO,
    _cultivation_link,
    _institution_members,
    _lock_cultivation,
    _require_active,
)


def _lock_task(task: CultivationTask) -> tuple[Cultivation, CultivationTask]:
    """Lock the cultivation, then the task (always in this order), and refuse a task that moved meanwhile."""
    cultivation = _lock_cultivation(task.occupation.cultivation)
    locked = CultivationTask.objects.select_for_update(of=("self",)).select_related("occupation").get(pk=task.pk)
    if locked.state != task.state:
        raise ConflictError(
            _("该任务刚刚已被处理（当前状态：%(state)s），请刷新页面查看。") % {"state": locked.get_state_display()}
        )
    return cultivation, locked


def _require_signed(cultivation: Cultivation) -> None:
    if not cultivation.is_signed:
        raise DomainError(_("请先签署培育机构工作承诺书，再办理培育任务。"), code=Codes.COMMITMENT_NOT_SIGNED)


def submit_question_bank(
    task: CultivationTask, *, acting_user: User, items: UploadedFile, documents: Sequence[UploadedFile] = (),
    note: str = "",
) -> QuestionBankRound:
    """The organization submits its question bank for one occupation (试题与开发文档) for the province's review."""
    cultivation = task.occupation.cultivation
    require_role(acting_user, cultivation.institution.province, Role.INSTITUTION_MEMBER, institution=cultivation.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    if task.kind != TaskKind.QUESTION_BANK:
        raise DomainError(_("该任务不是试题资源开发任务。"), code=Codes.TASK_KIND)
    checked = [(QuestionBankFileKind.ITEMS, items, check_upload(items))]
    checked += [(QuestionBankFileKind.DOCUMENTS, f, check_upload(f)) for f in documents]
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        _require_signed(locked_cultivation)
        if not can_proceed(locked.submit):
            raise InvalidTransition(
                _("试题当前状态为“%(state)s”，不能提交。") % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        round_ = QuestionBankRound.objects.create(
            task=locked, number=locked.rounds.count() + 1, note=note.strip(), submitted_by=acting_user
        )
        for kind, upload, check in checked:
            stored = QuestionBankFile(
                round=round_, kind=kind, original_name=(upload.name or "file")[:200], content_type=check.content_type,
                size=check.size, sha256=check.sha256,
            )
            stored.file.save("upload.bin", upload, save=False)
            stored.save()
        locked.submit()
        locked.save(update_fields=["state"])
        record_event(
            actor=acting_user, action="question_bank_submitted", obj=locked, province=locked_cultivation.province,
            from_state=from_state, to_state=locked.state, reason=note.strip(),
            changes={"round": {"before": round_.number - 1, "after": round_.number},
                     "files": {"before": None, "after": [f"{u.name} {c.sha256[:12]}" for _, u, c in checked]}},
        )
    notify(
        users_with_role(locked_cultivation.province, Role.PROVINCIAL_OFFICER),
        title=_("试题资源待评审：%(name)s · %(occupation)s") % {
            "name": locked_cultivation.institution.name, "occupation": locked.occupation},
        body=_("第%(n)d轮提交。") % {"n": round_.number},
        link=_cultivation_link(locked_cultivation), province=locked_cultivation.province,
    )
    return round_


def review_question_bank(
    task: CultivationTask, *, acting_user: User, accept: bool, reasons: str = ""
) -> QuestionBankRound:
    """The province accepts a question bank, or returns it with reasons (any number of rounds)."""
    cultivation = task.occupation.cultivation
    require_role(acting_user, cultivation.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    reasons = reasons.strip()
    if not accept and not reasons:
        raise DomainError(_("退回修改必须写明理由。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        if locked.kind != TaskKind.QUESTION_BANK or locked.state != TaskState.SUBMITTED:
            raise InvalidTransition(
                _("试题当前状态为“%(state)s”，不能评审。") % {"state": locked.get_state_display()}
            )
        round_ = locked.rounds.select_for_update(of=("self",)).order_by("-number")[0]
        from_state = locked.state
        if accept:
            locked.accept(acting_user)
        else:
            locked.return_for_revision()
        locked.save()
        round_.decision = ReviewDecision.ACCEPTED if accept else ReviewDecision.RETURNED
        round_.reasons = reasons
        round_.reviewed_by = acting_user
        round_.reviewed_at = timezone.now()
        round_.save(update_fields=["decision", "reasons", "reviewed_by", "reviewed_at"])
        record_event(
            actor=acting_user, action="question_bank_accepted" if accept else "question_bank_returned", obj=locked,
            province=locked_cultivation.province, from_state=from_state, to_state=locked.state, reason=reasons,
            changes={"state": {"before": from_state, "after": locked.state},
                     f"round {round_.number}": {"before": "", "after": round_.decision}},
        )
        if accept:
            _accept_occupation_if_done(locked.occupation, locked_cultivation, actor=acting_user)
    title = _("试题资源已通过评审：%(occupation)s") if accept else _("试题资源被退回修改：%(occupation)s")
    notify(_institution_members(locked_cultivation.institution), title=title % {"occupation": locked.occupation},
           body=reasons, link=_cultivation_link(locked_cultivation), province=locked_cultivation.province)
    return round_


def _may_record_training(user: User, cultivation: Cultivation) -> None:
    if has_role(user, cultivation.province, Role.PROVINCIAL_OFFICER):
        return
    if has_role(user, cultivation.province, Role.CITY_OFFICER, city=cultivation.city):
        return
    raise NotPermitted(_("只有培育机构所在地市的经办人员或省级经办人员可以登记考务培训。"))


def record_training_attendance(
    task: CultivationTask, *, acting_user: User, attended_on: dt.date, note: str = ""
) -> CultivationTask:
    """The city or province records that the organization attended the exam-affairs training for an occupation."""
    cultivation = task.occupation.cultivation
    _may_record_training(acting_user, cultivation)
    if attended_on > timezone.localdate():
        raise DomainError(_("参训日期不能晚于今天。"), code=Codes.ATTENDED_ON_FUTURE)
    with transaction.atomic():
        locked_cultivation, locked = _lock_task(task)
        _require_active(locked_cultivation)
        _require_signed(locked_cultivation)
        if attended_on < locked_cultivation.started_on:
            raise DomainError(_("参训日期不能早于培育辅导期开始日期%(start)s。") % {
                "start": locked_cultivation.started_on.isoformat()}, code=Codes.ATTENDED_ON_BEFORE_START)
        if locked.kind != TaskKind.EXAM_TRAINING or not can_proceed(locked.record_attendance):
            raise InvalidTransition(
                _("考务培训当前状态为“%(state)s”，不能登记。") % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        locked.record_attendance(acting_user, attended_on, note.strip())
        locked.save()
        record_event(
            actor=acting_user, action="training_attendance_recorded", obj=locked,
            province=locked_cultivation.province, from_state=from_state, to_state=locked.state, reason=note.strip(),
            changes={"attended_on": {"before": None, "after": attended_on}},
        )
        _accept_occupation_if_done(locked.occupation, locked_cultivation, actor=acting_user)
    notify(_institution_members(locked_cultivation.institution),
           title=_("已登记考务培训：%(occupation)s") % {"occupation": locked.occupation},
           link=_cultivation_link(locked_cultivation), province=locked_cultivation.province, email=False)
    return locked


def _accept_occupation_if_done(item: CultivationOccupation, cultivation: Cultivation, *, actor: User) -> bool:
    """An occupation whose tasks are all accepted is accepted (inside the caller's transaction)."""
    locked = CultivationOccupation.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if locked.state != CO.IN_PROGRESS or locked.tasks.exclude(state=TaskState.ACCEPTED).exists():
        return False
    locked.accept()
    locked.save(update_fields=["state", "accepted_at"])
    record_event(
        actor=actor, action="cultivation_occupation_accepted", obj=cultivation, province=cultivation.province,
        from_state=CO.IN_PROGRESS, to_state=locked.state,
        changes={str(locked): {"before": CO.IN_PROGRESS, "after": locked.state}},
    )
    notify(users_with_role(cultivation.province, Role.PROVINCIAL_OFFICER),
           title=_("职业已通过验收，可作出备案决定：%(name)s · %(occupation)s") % {
               "name": cultivation.institution.name, "occupation": locked},
           link=_cultivation_link(cultivation), province=cultivation.province)
    return True


def record_question_bank_download(stored: QuestionBankFile, *, acting_user: User) -> bool:
    """Audit a download of a question-bank file by anyone but its own institution; returns whether it was audited."""
    task = stored.round.task
    cultivation = task.occupation.cultivation
    if has_role(acting_user, cultivation.province, Role.INSTITUTION_MEMBER, institution=cultivation.institution):
        return False
    record_event(actor=acting_user, action="question_bank_downloaded", obj=task, province=cultivation.province,
                 changes={"file": stored.original_name})
    return True
