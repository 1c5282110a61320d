"""Renewals (续期) of filings: the application with its counted certificates, materials and review, and the
reminders sent before a filing expires."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from filings.models import Call, Filing
from portal.models import City, Institution, Province
from portal.models.fsm import StateMachineModel


class RenewalState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回补正")
    APPROVED = "approved", _("准予续期")
    REFUSED = "refused", _("不予续期")


# Under review: the automatic exit at expiry waits for the decision.
PENDING_STATES = (RenewalState.SUBMITTED, RenewalState.RETURNED)


class Renewal(StateMachineModel, models.Model):
    """续期申请 — one organization's application to renew its filing for the validity period ending `period_end`.

    The certificate counts are never typed: they are computed from the certificates issued from `period_start` to
    `period_end` when the application is submitted (kept in `counts` with the pre-check, so the officer reviews what
    the organization saw) and shown again live on the page.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="renewals", verbose_name=_("备案"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="renewals",
                                    verbose_name=_("评价机构"))
    state = FSMField(_("状态"), default=RenewalState.DRAFT, choices=RenewalState.choices, protected=True)
    period_start = models.DateField(_("统计期起"))
    period_end = models.DateField(_("原有效期至"))
    facts = models.JSONField(_("声明事项"), default=dict)
    occupations = models.JSONField(_("申请续期的职业"), default=list, help_text=_("备案职业（FilingOccupation）编号"))
    counts = models.JSONField(_("核发证书统计"), default=dict)
    precheck = models.JSONField(_("续期条件自查"), default=list)
    return_reason = models.TextField(_("退回理由"), blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    renewed_occupations = models.JSONField(_("准予续期的职业"), default=list)
    new_valid_until = models.DateField(_("续期后有效期至"), null=True, blank=True)
    letter_number = models.CharField(_("续期函文号"), max_length=40, blank=True)
    letter_pdf = models.FileField(_("续期函PDF"), upload_to="renewals/", blank=True)
    letter_rendered_at = models.DateTimeField(_("续期函生成时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("续期申请")
        verbose_name_plural = _("续期申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "state"], name="renewal_province_state")]
        constraints = [
            # One renewal per filing and validity period; a refused one is final for that period.
            models.UniqueConstraint(fields=["filing", "period_end"], name="renewal_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name} 续期申请（{self.period_end:%Y-%m-%d}到期）"

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in (RenewalState.DRAFT, RenewalState.RETURNED)

    @transition(field=state, source=[RenewalState.DRAFT, RenewalState.RETURNED], target=RenewalState.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()
        self.return_reason = ""

    @transition(field=state, source=RenewalState.SUBMITTED, target=RenewalState.RETURNED)
    def return_for_correction(self, reason: str) -> None:
        self.return_reason = reason

    @transition(field=state, source=RenewalState.SUBMITTED, target=RenewalState.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=RenewalState.SUBMITTED, target=RenewalState.REFUSED)
    def refuse(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()


def renewal_document_path(instance: "RenewalDocument", filename: str) -> str:
    return f"renewals/{instance.renewal.province.slug}/{instance.renewal_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class RenewalDocument(models.Model):
    """A material of the renewal checklist (续期申请表, 工作报告, 条件佐证, 待遇挂钩佐证), checked like every upload."""

    renewal = models.ForeignKey(Renewal, on_delete=models.CASCADE, related_name="documents")
    checklist_key = models.CharField(_("材料项"), max_length=60)
    file = models.FileField(_("文件"), upload_to=renewal_document_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("续期材料")
        verbose_name_plural = _("续期材料")
        ordering = ["checklist_key", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class RenewalReminder(models.Model):
    """A reminder sent before a filing's validity ends (90, 60, 30 days), recorded per period so it is sent once."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="renewal_reminders")
    valid_until = models.DateField(_("有效期至"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("续期提醒")
        verbose_name_plural = _("续期提醒")
        constraints = [
            models.UniqueConstraint(fields=["filing", "valid_until", "days_before"], name="renewal_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.valid_until} -{self.days_before}d"


class CityReviewReminder(models.Model):
    """A reminder to a city's officers before the city-review deadline of a call (地市初审截止), sent once each."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+", verbose_name=_("申报通知"))
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", verbose_name=_("地市"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("地市初审截止提醒")
        verbose_name_plural = _("地市初审截止提醒")
        constraints = [
            models.UniqueConstraint(fields=["call", "city", "days_before"], name="city_review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.city_id} -{self.days_before}d"
