"""Exits of a filing (退出: voluntary, automatic, ordered — 003 articles 13–16) with their wrap-up tasks and evidence,
the termination notice (终止评价活动通知书), and suspensions (暂停) for a period with a reason."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from filings.models import ExitKind, Filing
from portal.models import Province
from portal.models.fsm import StateMachineModel


class ExitState(models.TextChoices):
    REQUESTED = "requested", _("已申请（待退出日）")
    WRAPPING_UP = "wrapping_up", _("收尾中")
    TERMINATED = "terminated", _("已终止")
    WITHDRAWN = "withdrawn", _("已撤回")


def exit_document_path(instance: "FilingExit", filename: str) -> str:
    return f"exits/{instance.province_id}/{instance.pk}/{timezone.now():%Y%m%d%H%M%S%f}-{filename}"


class FilingExit(StateMachineModel, models.Model):
    """退出 — one exit of a filing: its kind, dates, reason and evidence, wrap-up deadline and termination notice.

    Voluntary: requested for ``exit_on`` (at least the pack's notice days ahead), wrap-up from that day. Automatic:
    opened by the sweep on the day after expiry. Ordered: by an officer, at once (optionally proposed by an
    inspection's finding or an upheld complaint: ``proposal_type``/``proposal_id``). The province confirms.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="exits", verbose_name=_("备案"))
    kind = models.CharField(_("退出类型"), max_length=20, choices=ExitKind.choices)
    state = FSMField(_("状态"), default=ExitState.REQUESTED, choices=ExitState.choices, protected=True)
    reason = models.TextField(_("理由"))
    requested_on = models.DateField(_("申请（决定）日期"))
    exit_on = models.DateField(_("退出日期"), help_text=_("自愿退出：申请退出之日；自动：有效期满次日；责令：决定之日"))
    wrap_up_due_on = models.DateField(_("收尾截止日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    overdue_flagged_on = models.DateField(_("逾期标记日期"), null=True, blank=True)
    evidence = models.FileField(_("证据材料"), upload_to=exit_document_path, blank=True)
    proposal_type = models.CharField(_("提议来源类型"), max_length=100, blank=True,
                                     help_text=_("如检查发现的严重问题或经查实的投诉（对象类型）"))
    proposal_id = models.CharField(_("提议来源编号"), max_length=40, blank=True)
    announcement_id = models.PositiveBigIntegerField(_("公告"), null=True, blank=True)
    notice_number = models.CharField(_("通知书文号"), max_length=40, blank=True)
    notice_pdf = models.FileField(_("终止评价活动通知书"), upload_to=exit_document_path, blank=True)
    cancelled_plans = models.JSONField(_("取消的考核计划"), default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("机构退出")
        verbose_name_plural = _("机构退出")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["state", "exit_on"], name="exit_due",
                         condition=models.Q(state="requested")),
            models.Index(fields=["state", "wrap_up_due_on"], name="exit_wrap_up_due",
                         condition=models.Q(state="wrapping_up")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["filing"], condition=models.Q(state__in=["requested", "wrapping_up"]),
                                    name="one_open_exit_per_filing"),
        ]

    def __str__(self) -> str:
        return f"{self.filing.institution.name} {self.get_kind_display()}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Wrap-up past its last day and not yet confirmed (逾期未完成收尾)."""
        day = today or timezone.localdate()
        return self.state == ExitState.WRAPPING_UP and self.wrap_up_due_on is not None and day > self.wrap_up_due_on

    @transition(field=state, source=ExitState.REQUESTED, target=ExitState.WRAPPING_UP)
    def start_wrap_up(self, due_on: dt.date) -> None:
        self.wrap_up_due_on = due_on

    @transition(field=state, source=ExitState.WRAPPING_UP, target=ExitState.TERMINATED)
    def terminate(self, on: dt.date) -> None:
        self.terminated_on = on

    @transition(field=state, source=ExitState.REQUESTED, target=ExitState.WITHDRAWN)
    def withdraw(self) -> None:
        pass


class WrapUpKind(models.TextChoices):
    CERTIFICATE_DATA = "certificate_data", _("证书数据合规上报")
    ARCHIVES = "archives", _("评价资料整理归档")


def wrap_up_evidence_path(instance: "WrapUpTask", filename: str) -> str:
    return f"exits/{instance.exit.province_id}/{instance.exit_id}/wrap-up-{instance.kind}-{timezone.now():%Y%m%d%H%M%S%f}"


class WrapUpTask(models.Model):
    """收尾工作 — one wrap-up task of an exit, ticked off by the organization with its evidence (a checked upload)."""

    exit = models.ForeignKey(FilingExit, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("收尾事项"), max_length=30, choices=WrapUpKind.choices)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=wrap_up_evidence_path, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        verbose_name = _("收尾工作")
        verbose_name_plural = _("收尾工作")
        ordering = ["exit", "kind"]
        constraints = [models.UniqueConstraint(fields=["exit", "kind"], name="wrap_up_task_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class SuspensionState(models.TextChoices):
    IN_FORCE = "in_force", _("暂停中")
    ENDED = "ended", _("已恢复")
    SUPERSEDED = "superseded", _("转入退出")


class SuspensionEnd(models.TextChoices):
    DECISION = "decision", _("决定恢复")
    END_DATE = "end_date", _("期满自动恢复")
    EXIT = "exit", _("转入退出程序")


class Suspension(StateMachineModel, models.Model):
    """暂停 — a filing suspended from ``starts_on`` to ``ends_on`` (last day) with a reason: it files no exam plan and
    issues no certificate; it resumes by decision or on the day after ``ends_on`` (sweep)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("备案"))
    state = FSMField(_("状态"), default=SuspensionState.IN_FORCE, choices=SuspensionState.choices, protected=True)
    reason = models.TextField(_("暂停理由"))
    starts_on = models.DateField(_("暂停起始日"))
    ends_on = models.DateField(_("暂停截止日"))
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    ended_how = models.CharField(_("结束方式"), max_length=20, choices=SuspensionEnd.choices, blank=True)
    end_reason = models.TextField(_("恢复理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("暂停")
        verbose_name_plural = _("暂停")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["state", "ends_on"], name="suspension_due",
                                condition=models.Q(state="in_force"))]
        constraints = [models.UniqueConstraint(fields=["filing"], condition=models.Q(state="in_force"),
                                               name="one_suspension_in_force_per_filing")]

    def __str__(self) -> str:
        return f"{self.filing.institution.name} {self.starts_on}—{self.ends_on}"

    @transition(field=state, source=SuspensionState.IN_FORCE, target=SuspensionState.ENDED)
    def end(self, on: dt.date, how: str, reason: str) -> None:
        self.ended_on, self.ended_how, self.end_reason = on, how, reason

    @transition(field=state, source=SuspensionState.IN_FORCE, target=SuspensionState.SUPERSEDED)
    def supersede(self, on: dt.date) -> None:
        self.ended_on, self.ended_how = on, SuspensionEnd.EXIT
