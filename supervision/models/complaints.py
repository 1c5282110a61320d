"""Complaints (投诉) from the public: the complaint with its tracking code's hash, its working-day clock, its
messages, attachments and the suspensions of its clock while the complainant is asked for information."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certificates.models import Certificate, ExamPlan
from portal.models import City, Institution, Occupation, Province
from portal.models.fsm import StateMachineModel


class ComplaintSubject(models.TextChoices):
    ORGANIZATION = "organization", _("评价机构")
    EXAM = "exam", _("考核计划")
    CERTIFICATE = "certificate", _("证书")


class ComplaintState(models.TextChoices):
    OPEN = "open", _("处理中")
    AWAITING_COMPLAINANT = "awaiting_complainant", _("待投诉人补充材料（计时暂停）")
    AWAITING_ORGANIZATION = "awaiting_organization", _("待机构答复")
    ORGANIZATION_ANSWERED = "organization_answered", _("机构已答复，待认定")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


# States in which the clock runs (the complaint waits on the officer or the organization).
CLOCK_RUNNING = (ComplaintState.OPEN, ComplaintState.AWAITING_ORGANIZATION, ComplaintState.ORGANIZATION_ANSWERED)
# States in which the complaint is not finished (the homes count these).
UNFINISHED = (*CLOCK_RUNNING, ComplaintState.AWAITING_COMPLAINANT)


class HandlingLevel(models.TextChoices):
    CITY = "city", _("地市")
    PROVINCE = "province", _("省级")


class ComplaintDecision(models.TextChoices):
    UPHELD = "upheld", _("投诉属实")
    PARTLY = "partly", _("部分属实")
    NOT_UPHELD = "not_upheld", _("投诉不属实")


class ComplaintSatisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NOT_STATED = "not_stated", _("未评价")


class Complaint(StateMachineModel, models.Model):
    """投诉 — filed by anyone about an organization (directly, through an exam plan or a certificate number).

    The complainant holds a tracking code; only its SHA-256 is stored (``tracking_hash``). Deadlines are working days
    on the calendar from ``clock_started_on``, moved by the working days the clock was suspended; a deadline past the
    published calendar is null until the next year is entered (never guessed). ``next_sweep_on`` is the next day the
    deadline sweep must look at the complaint (null when nothing is due), indexed.

        open ─forward→ awaiting_organization ─organization_reply→ organization_answered
        open | organization_answered ─request_information→ awaiting_complainant ─resume→ open
        open | organization_answered ─decide→ answered ─reopen (once, dissatisfied)→ open
        answered ─close (satisfied, or the reply window passed)→ closed
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    tracking_hash = models.CharField(_("查询码散列"), max_length=64, unique=True)
    subject_kind = models.CharField(_("投诉对象类型"), max_length=20, choices=ComplaintSubject.choices)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="complaints",
                                    verbose_name=_("评价机构"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("职业"))
    plan = models.ForeignKey(ExamPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("考核计划"))
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("证书"))
    category = models.CharField(_("投诉类别"), max_length=40)
    category_label = models.CharField(_("投诉类别名称"), max_length=60)
    text = models.TextField(_("投诉内容"))
    anonymous = models.BooleanField(_("匿名投诉"), default=False)
    complainant_name = models.CharField(_("投诉人姓名"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    ip_hash = models.CharField(_("来源（散列）"), max_length=64, blank=True)
    level = models.CharField(_("承办层级"), max_length=10, choices=HandlingLevel.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("属地监管地市"))
    state = FSMField(_("状态"), max_length=30, choices=ComplaintState.choices, default=ComplaintState.OPEN,
                     protected=True)
    filed_at = models.DateTimeField(_("投诉时间"))
    filed_on = models.DateField(_("受理日期"))
    # the clock
    clock_started_on = models.DateField(_("计时起算日"))
    legal_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    service_days = models.PositiveSmallIntegerField(_("服务承诺时限（工作日）"))
    suspended_days = models.PositiveIntegerField(_("暂停的工作日数"), default=0)
    legal_due_on = models.DateField(_("法定办结期限"), null=True, blank=True)
    service_due_on = models.DateField(_("承诺办结期限"), null=True, blank=True)
    triple_due_on = models.DateField(_("三倍承诺期限"), null=True, blank=True)
    next_sweep_on = models.DateField(_("下次检查日"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    triple_overdue_at = models.DateTimeField(_("超期三倍时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("提级省级时间"), null=True, blank=True)
    # the organization's side
    forwarded_at = models.DateTimeField(_("转机构答复时间"), null=True, blank=True)
    organization_answer = models.TextField(_("机构答复"), blank=True)
    organization_answered_at = models.DateTimeField(_("机构答复时间"), null=True, blank=True)
    # the decision and the complainant's reaction
    decision = models.CharField(_("认定结果"), max_length=20, choices=ComplaintDecision.choices, blank=True)
    decision_reason = models.TextField(_("认定理由"), blank=True)
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("答复人"))
    first_answered_on = models.DateField(_("首次答复日期"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("按法定时限答复"), null=True, blank=True)
    reply_window_ends_on = models.DateField(_("评价截止日"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("重新办理时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=ComplaintSatisfaction.choices, blank=True)
    satisfaction_comment = models.TextField(_("评价说明"), blank=True)
    satisfaction_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    open_rectification = models.BooleanField(_("责令整改"), default=False)
    rectification_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    rectification_order_id = models.PositiveBigIntegerField(_("整改单"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["next_sweep_on"], name="complaint_sweep_due",
                         condition=models.Q(next_sweep_on__isnull=False)),
            models.Index(fields=["province", "state", "-filed_at"], name="complaint_worklist"),
            models.Index(fields=["institution", "state"], name="complaint_institution"),
            models.Index(fields=["updated_at"], name="complaint_updated"),
            models.Index(fields=["institution", "occupation", "filed_on"], name="complaint_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.category_label}：{self.institution.name}"

    @property
    def reopened(self) -> bool:
        return self.reopened_at is not None

    @staticmethod
    def not_reopened(instance: models.Model) -> bool:
        """The guard of reopen: a complaint reopens once."""
        return getattr(instance, "reopened_at", None) is None

    # --- transitions: called only by supervision.services (under the row lock, one audit event each) ---
    @transition(field=state, source=ComplaintState.OPEN, target=ComplaintState.AWAITING_ORGANIZATION)
    def forward(self) -> None:
        self.forwarded_at = timezone.now()

    @transition(field=state, source=ComplaintState.AWAITING_ORGANIZATION, target=ComplaintState.ORGANIZATION_ANSWERED)
    def organization_reply(self, *, text: str) -> None:
        self.organization_answer = text
        self.organization_answered_at = timezone.now()

    @transition(field=state, source=[ComplaintState.OPEN, ComplaintState.ORGANIZATION_ANSWERED],
                target=ComplaintState.AWAITING_COMPLAINANT)
    def request_information(self) -> None:
        pass

    @transition(field=state, source=ComplaintState.AWAITING_COMPLAINANT, target=ComplaintState.OPEN)
    def resume(self) -> None:
        pass

    @transition(field=state, source=[ComplaintState.OPEN, ComplaintState.ORGANIZATION_ANSWERED],
                target=ComplaintState.ANSWERED)
    def decide(self, *, decision: str, reason: str, by: Any) -> None:
        self.decision = decision
        self.decision_reason = reason
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(field=state, source=ComplaintState.ANSWERED, target=ComplaintState.OPEN, conditions=[not_reopened])
    def reopen(self) -> None:
        self.reopened_at = timezone.now()

    @transition(field=state, source=ComplaintState.ANSWERED, target=ComplaintState.CLOSED)
    def close(self, *, satisfaction: str) -> None:
        self.satisfaction = satisfaction
        self.closed_at = timezone.now()


class MessageKind(models.TextChoices):
    INFORMATION_REQUEST = "information_request", _("请投诉人补充材料")
    INFORMATION_REPLY = "information_reply", _("投诉人补充材料")
    FORWARDED = "forwarded", _("转评价机构答复")
    ORGANIZATION_ANSWER = "organization_answer", _("评价机构答复")
    DECISION = "decision", _("处理答复")
    DISSATISFIED = "dissatisfied", _("投诉人表示不满意")
    SATISFIED = "satisfied", _("投诉人表示满意")
    REASSIGNED = "reassigned", _("改派承办单位")
    ESCALATED = "escalated", _("超过法定时限，提级省级办理")


# What the complainant sees of the conversation (besides their own messages).
PUBLIC_KINDS = (MessageKind.INFORMATION_REQUEST, MessageKind.INFORMATION_REPLY, MessageKind.DECISION,
                MessageKind.DISSATISFIED, MessageKind.SATISFIED, MessageKind.ESCALATED)
# What the organization sees (never the complainant's contact or their own words beyond the complaint).
ORGANIZATION_KINDS = (MessageKind.FORWARDED, MessageKind.ORGANIZATION_ANSWER, MessageKind.DECISION)


class ComplaintMessage(models.Model):
    """One step of the conversation on a complaint, in order: requests, replies, answers, decisions."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(_("类型"), max_length=30, choices=MessageKind.choices)
    text = models.TextField(_("内容"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投诉办理记录")
        verbose_name_plural = _("投诉办理记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.complaint_id})"


def complaint_attachment_path(instance: "ComplaintAttachment", filename: str) -> str:
    return f"complaints/{instance.complaint.province.slug}/{instance.complaint_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class ComplaintAttachment(models.Model):
    """附件 — checked by portal.uploads on the way in, stored privately, served only through a permission check."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(ComplaintMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(_("文件"), upload_to=complaint_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    from_organization = models.BooleanField(_("机构提交"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投诉附件")
        verbose_name_plural = _("投诉附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ComplaintSuspension(models.Model):
    """计时暂停 — from the day the complainant was asked for information to the day they answered; the working days
    in (started_on, ended_on] move every deadline of the complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="suspensions")
    started_on = models.DateField(_("暂停日"))
    ended_on = models.DateField(_("恢复日"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("暂停工作日数"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉计时暂停")
        verbose_name_plural = _("投诉计时暂停")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.started_on}–{self.ended_on or ''}"
