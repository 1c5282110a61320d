"""Cultivation periods (培育辅导期) with their occupations, tasks, question-bank rounds and files."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal.models import City, Institution, Occupation, Province, SkillLevel, WorkType
from portal.punctuation import enumeration

from .applications import Application
from .filings import Filing, OccupationAddition


class CultivationState(models.TextChoices):
    ACTIVE = "active", _("培育辅导中")
    ENDED = "ended", _("培育期满，待备案")
    COMPLETED = "completed", _("已完成")
    ELIMINATED = "eliminated", _("自然淘汰")


def commitment_path(instance: "Cultivation", filename: str) -> str:
    return f"cultivation/{instance.province.slug}/{instance.pk}/commitment-{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class CultivationQuerySet(models.QuerySet["Cultivation"]):
    def in_province(self, province: Province) -> "CultivationQuerySet":
        return self.filter(province=province)

    def due_for_sweep(self, today: dt.date) -> "CultivationQuerySet":
        """Cultivations whose last day has ended and that are still open (index `cultivation_due`)."""
        return self.filter(state=CultivationState.ACTIVE, ends_on__lt=today)


class Cultivation(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """培育辅导 — the cultivation period of one selected application (or of an addition of occupations).

    Day 1 is `started_on`; `ends_on` is the last day (day pack.settings.cultivation_days, included). The sweep on
    the day after `ends_on` eliminates what is unfinished.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cultivations")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="cultivations")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="cultivations", verbose_name=_("属地地市"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="cultivation"
    )
    addition = models.OneToOneField(
        OccupationAddition, on_delete=models.PROTECT, null=True, blank=True, related_name="cultivation"
    )
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, null=True, blank=True, related_name="cultivations")
    state = FSMField(_("状态"), default=CultivationState.ACTIVE, choices=CultivationState.choices, protected=True)
    started_on = models.DateField(_("培育开始日期"))
    ends_on = models.DateField(_("培育期最后一天"))
    commitment_text = models.TextField(_("承诺书内容"), blank=True)
    commitment_signer_name = models.CharField(_("签署人"), max_length=50, blank=True)
    commitment_signer_title = models.CharField(_("签署人职务"), max_length=50, blank=True)
    commitment_signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commitment_pdf = models.FileField(_("承诺书 PDF"), upload_to=commitment_path, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CultivationQuerySet.as_manager()

    class Meta:
        verbose_name = _("培育辅导")
        verbose_name_plural = _("培育辅导")
        ordering = ["ends_on", "id"]
        indexes = [models.Index(fields=["state", "ends_on"], name="cultivation_due")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(application__isnull=False, addition__isnull=False),
                name="cultivation_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution.name} 培育辅导"

    @transition(field=state, source=CultivationState.ACTIVE, target=CultivationState.ENDED)
    def end(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=[CultivationState.ACTIVE, CultivationState.ENDED], target=CultivationState.COMPLETED)
    def complete(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=CultivationState.ACTIVE, target=CultivationState.ELIMINATED)
    def eliminate(self) -> None:
        self.closed_at = timezone.now()

    @property
    def is_signed(self) -> bool:
        return self.commitment_signed_at is not None

    @property
    def is_active(self) -> bool:
        return self.state == CultivationState.ACTIVE

    def day_number(self, today: dt.date) -> int:
        """Which day of the period `today` is (1 on the start date)."""
        return (today - self.started_on).days + 1

    def days_left(self, today: dt.date) -> int:
        """Days left including today: the period's length on the start date, 1 on the last day, 0 after it."""
        return max(0, (self.ends_on - today).days + 1)

    @property
    def days_left_today(self) -> int:
        return self.days_left(timezone.localdate())

    @property
    def total_days(self) -> int:
        return (self.ends_on - self.started_on).days + 1

    @property
    def day_number_today(self) -> int:
        return min(self.day_number(timezone.localdate()), self.total_days)


class CultivationReminder(models.Model):
    """A reminder sent before the end of a cultivation (30, 7, 1 days), recorded so it is sent once."""

    cultivation = models.ForeignKey(Cultivation, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培育期提醒")
        verbose_name_plural = _("培育期提醒")
        constraints = [
            models.UniqueConstraint(fields=["cultivation", "days_before"], name="cultivation_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.cultivation_id} -{self.days_before}d"


class CultivationOccupationState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("培育中")
    ACCEPTED = "accepted", _("已验收，待备案")
    FILED = "filed", _("已备案")
    ELIMINATED = "eliminated", _("自然淘汰")


class CultivationOccupation(FSMModelMixin, models.Model):
    """An occupation in cultivation: accepted when all its tasks are, then filed; eliminated if unfinished."""

    cultivation = models.ForeignKey(Cultivation, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("工种"))
    levels = models.JSONField(_("等级"), default=list)
    state = FSMField(
        _("状态"), default=CultivationOccupationState.IN_PROGRESS, choices=CultivationOccupationState.choices,
        protected=True,
    )
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("备案或淘汰时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("培育职业")
        verbose_name_plural = _("培育职业")
        ordering = ["occupation__code", "id"]

    def __str__(self) -> str:
        return f"{self.occupation.name}{'（' + self.work_type.name + '）' if self.work_type else ''}"

    def level_labels(self) -> str:
        return enumeration(SkillLevel(level).label for level in sorted(self.levels, reverse=True))

    @transition(field=state, source=CultivationOccupationState.IN_PROGRESS, target=CultivationOccupationState.ACCEPTED)
    def accept(self) -> None:
        self.accepted_at = timezone.now()

    @transition(field=state, source=CultivationOccupationState.ACCEPTED, target=CultivationOccupationState.FILED)
    def file(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=CultivationOccupationState.IN_PROGRESS, target=CultivationOccupationState.ELIMINATED)
    def eliminate(self) -> None:
        self.closed_at = timezone.now()


class TaskKind(models.TextChoices):
    QUESTION_BANK = "question_bank", _("试题资源开发")
    EXAM_TRAINING = "exam_training", _("考务业务培训")


class TaskState(models.TextChoices):
    OPEN = "open", _("待完成")
    SUBMITTED = "submitted", _("已提交，待评审")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已通过")


class CultivationTask(FSMModelMixin, models.Model):
    """A task of one occupation in cultivation: the question bank (reviewed by the province in rounds) or the
    exam-affairs training (attendance recorded by the city or the province)."""

    occupation = models.ForeignKey(CultivationOccupation, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("任务"), max_length=20, choices=TaskKind.choices)
    state = FSMField(_("状态"), default=TaskState.OPEN, choices=TaskState.choices, protected=True)
    attended_on = models.DateField(_("参训日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("培育任务")
        verbose_name_plural = _("培育任务")
        ordering = ["occupation_id", "kind"]
        indexes = [models.Index(fields=["kind", "state"], name="cultivation_task_worklist")]
        constraints = [models.UniqueConstraint(fields=["occupation", "kind"], name="cultivation_task_unique")]

    def __str__(self) -> str:
        return f"{self.occupation} · {self.get_kind_display()}"

    @transition(field=state, source=[TaskState.OPEN, TaskState.RETURNED], target=TaskState.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=TaskState.SUBMITTED, target=TaskState.RETURNED)
    def return_for_revision(self) -> None:
        pass

    @transition(field=state, source=TaskState.SUBMITTED, target=TaskState.ACCEPTED)
    def accept(self, by: Any) -> None:
        self.accepted_at = timezone.now()
        self.accepted_by = by

    @transition(field=state, source=TaskState.OPEN, target=TaskState.ACCEPTED)
    def record_attendance(self, by: Any, attended_on: dt.date, note: str) -> None:
        self.accepted_at = timezone.now()
        self.accepted_by = by
        self.attended_on = attended_on
        self.note = note


class ReviewDecision(models.TextChoices):
    PENDING = "", _("待评审")
    ACCEPTED = "accepted", _("通过")
    RETURNED = "returned", _("退回修改")


class QuestionBankRound(models.Model):
    """One submission of a question bank and the province's decision on it (any number of rounds)."""

    task = models.ForeignKey(CultivationTask, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    note = models.TextField(_("提交说明"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decision = models.CharField(_("评审结论"), max_length=20, choices=ReviewDecision.choices, blank=True)
    reasons = models.TextField(_("评审意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("试题评审轮次")
        verbose_name_plural = _("试题评审轮次")
        ordering = ["task_id", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="question_bank_round_unique")]

    def __str__(self) -> str:
        return f"{self.task} 第{self.number}轮"


class QuestionBankFileKind(models.TextChoices):
    ITEMS = "items", _("试题（题库）")
    DOCUMENTS = "documents", _("开发文档")


def question_bank_path(instance: "QuestionBankFile", filename: str) -> str:
    return f"question-banks/{instance.round.task_id}/{instance.round.number}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class QuestionBankFile(models.Model):
    round = models.ForeignKey(QuestionBankRound, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=20, choices=QuestionBankFileKind.choices)
    file = models.FileField(_("文件"), upload_to=question_bank_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("试题文件")
        verbose_name_plural = _("试题文件")
        ordering = ["round_id", "kind", "id"]

    def __str__(self) -> str:
        return self.original_name
