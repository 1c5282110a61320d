"""Rectification orders (整改通知): opened by an inspection finding or an upheld complaint, answered by the
organization with evidence, verified by the inspector (accepted → closed, rejected → back with a reason), with a
deadline in working days; the sweep marks overdue ones, and one closed after its deadline is marked late."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.models import City, Institution, Province
from portal.models.fsm import StateMachineModel

from .inspections import Finding, Severity


class SourceKind(models.TextChoices):
    INSPECTION_FINDING = "inspection_finding", _("检查发现问题")
    COMPLAINT = "complaint", _("投诉查实")


class OrderState(models.TextChoices):
    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("已提交整改，待验证")
    CLOSED = "closed", _("已整改销号")


class RectificationOrder(StateMachineModel, models.Model):
    """整改通知 — what must be put right, by when (working days on the portal's calendar), and its answers.

    ``source_kind`` says where it came from: a finding (``finding``), or another object named by ``source_ref``
    ("app.model:id", e.g. a complaint).
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="rectification_orders",
                                    verbose_name=_("整改机构"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地监管地市"))
    source_kind = models.CharField(_("来源"), max_length=20, choices=SourceKind.choices)
    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="order", verbose_name=_("检查发现的问题"))
    source_ref = models.CharField(_("来源对象"), max_length=80, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    findings_text = models.TextField(_("整改事项"))
    issued_on = models.DateField(_("下达日期"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改截止日期"))
    state = FSMField(_("状态"), max_length=12, choices=OrderState.choices, default=OrderState.OPEN, protected=True)
    overdue_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_late = models.BooleanField(_("逾期整改"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"], name="rectification_due"),
                   models.Index(fields=["province", "state"], name="rectification_state")]

    def __str__(self) -> str:
        return f"{self.institution.name}：{self.findings_text[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None and self.state != OrderState.CLOSED

    @transition(field=state, source=OrderState.OPEN, target=OrderState.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=OrderState.SUBMITTED, target=OrderState.CLOSED)
    def accept(self, *, late: bool) -> None:
        self.closed_at = timezone.now()
        self.closed_late = late

    @transition(field=state, source=OrderState.SUBMITTED, target=OrderState.OPEN)
    def reject(self) -> None:
        pass


class Decision(models.TextChoices):
    PENDING = "pending", _("待验证")
    ACCEPTED = "accepted", _("验证通过")
    REJECTED = "rejected", _("退回整改")


class RectificationResponse(models.Model):
    """整改报告 — the organization's answer with evidence, and the verifier's decision on it."""

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("整改情况"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_on = models.DateField(_("提交日期"))
    late = models.BooleanField(_("逾期提交"), default=False)
    decision = models.CharField(_("验证结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("验证意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.pk}"


def rectification_file_path(instance: "RectificationFile", filename: str) -> str:
    return f"rectification/{instance.response.order_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class RectificationFile(models.Model):
    """Evidence of an answer (checked by portal.uploads)."""

    response = models.ForeignKey(RectificationResponse, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to=rectification_file_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("整改证明材料")
        verbose_name_plural = _("整改证明材料")
        ordering = ["response", "id"]

    def __str__(self) -> str:
        return self.name
