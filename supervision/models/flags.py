"""Fraud flags (真实性疑点): what the authenticity sweep found, with its evidence, and the sweep's high-water marks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Institution, Province


class FlagKind(models.TextChoices):
    DUPLICATE_SCORES = "duplicate_scores", _("同场次多名考生成绩完全相同")
    OVERLAPPING_SESSIONS = "overlapping_sessions", _("同一考生同时段在不同场所参加考核")
    OVER_CAPACITY = "over_capacity", _("考生人数超过场所容纳人数")
    PASS_RATE_OUTLIER = "pass_rate_outlier", _("合格率超出全省同职业99.8%控制限")
    CERTIFICATE_WITHOUT_PLAN = "certificate_without_plan", _("证书对应的考核计划未经审核通过")
    SHARED_MOBILE = "shared_mobile", _("多名考生共用同一手机号码")
    BAND_TWICE_OUTSIDE = "band_twice_outside", _("连续两期排名超出99.8%控制限")


class FlagState(models.TextChoices):
    OPEN = "open", _("待核查")
    DISMISSED = "dismissed", _("已排除")


class FraudFlag(models.Model):
    """疑点 — one pattern found once: ``key`` names it (kind + the objects), so a later sweep never raises it twice.

    ``evidence`` lists the objects behind it (model label, id, a line of text) for the page to link to.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="fraud_flags", verbose_name=_("评价机构"))
    plan_id = models.PositiveBigIntegerField(_("考核计划"), null=True, blank=True)
    kind = models.CharField(_("疑点类型"), max_length=30, choices=FlagKind.choices)
    key = models.CharField(_("疑点标识"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300)
    evidence = models.JSONField(_("证据"), default=list)
    state = models.CharField(_("状态"), max_length=10, choices=FlagState.choices, default=FlagState.OPEN)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("督导员"))
    found_at = models.DateTimeField(_("发现时间"))
    dismissed_reason = models.TextField(_("排除理由"), blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    dismissed_at = models.DateTimeField(_("排除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("真实性疑点")
        verbose_name_plural = _("真实性疑点")
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["province", "state", "-found_at"], name="fraud_flag_open")]
        constraints = [models.UniqueConstraint(fields=["province", "key"], name="one_flag_per_pattern")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"


class FlagRun(models.Model):
    """一次疑点扫描 — the high-water marks (candidate and certificate ids) it reached, and how many flags it raised."""

    started_at = models.DateTimeField(_("开始时间"))
    marks = models.JSONField(_("高水位"), default=dict)
    raised = models.PositiveIntegerField(_("新增疑点"), default=0)

    class Meta:
        verbose_name = _("疑点扫描")
        verbose_name_plural = _("疑点扫描")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.raised})"
