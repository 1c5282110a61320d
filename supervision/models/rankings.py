"""Risk formulas (versioned weights per indicator) and rankings per occupation group and period with funnel bands."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Institution, Province, PublicityNotice


class RiskFormula(models.Model):
    """风险评分公式 — the weights of one version; a new edit is a new version, a ranking keeps the one it used."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    weights = models.JSONField(_("权重"))
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险评分公式")
        verbose_name_plural = _("风险评分公式")
        ordering = ["province", "-version"]
        constraints = [models.UniqueConstraint(fields=["province", "version"], name="one_formula_version")]

    def __str__(self) -> str:
        return f"v{self.version}"


class Band(models.TextChoices):
    """Where a rate falls in the funnel: inside the 95% limits, between 95% and 99.8%, or beyond 99.8%."""

    TOO_FEW = "too_few", _("样本过少，不参与排名")
    INSIDE = "inside", _("正常范围")
    HIGH_95 = "high_95", _("高于95%控制限")
    HIGH_998 = "high_998", _("高于99.8%控制限")
    LOW_95 = "low_95", _("低于95%控制限")
    LOW_998 = "low_998", _("低于99.8%控制限")
    NO_DATA = "no_data", _("暂无数据")


class RankingState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公示")


class Ranking(models.Model):
    """排名 — one occupation group in one period: each organization against the province's rate (funnel bands)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("职业分组"), max_length=10, help_text=_("职业编码的中类，如 4-01"))
    period_kind = models.CharField(_("统计周期"), max_length=10)
    period = models.CharField(_("期间"), max_length=7)
    period_start = models.DateField(_("期间起"))
    formula = models.ForeignKey(RiskFormula, on_delete=models.PROTECT, related_name="rankings",
                                verbose_name=_("评分公式"))
    min_n = models.PositiveIntegerField(_("最少样本数"))
    pass_rate_norm = models.FloatField(_("全省合格率"), null=True, blank=True)
    complaint_rate_norm = models.FloatField(_("全省投诉率"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=RankingState.choices, default=RankingState.DRAFT)
    notice = models.ForeignKey(PublicityNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构排名")
        verbose_name_plural = _("机构排名")
        ordering = ["-period_start", "group", "-id"]
        indexes = [models.Index(fields=["province", "state", "group", "-period_start"], name="ranking_published")]

    def __str__(self) -> str:
        return f"{self.group} {self.period}"


class RankingRow(models.Model):
    """One organization in a ranking: its counts, bands and risk score."""

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="ranking_rows")
    sat = models.PositiveIntegerField(_("参评人数"))
    passed = models.PositiveIntegerField(_("合格人数"))
    complaints = models.PositiveIntegerField(_("投诉件数"), null=True, blank=True)
    pass_band = models.CharField(_("合格率区间"), max_length=10, choices=Band.choices)
    complaint_band = models.CharField(_("投诉率区间"), max_length=10, choices=Band.choices)
    risk_score = models.DecimalField(_("风险评分"), max_digits=7, decimal_places=2, null=True, blank=True)
    signals = models.JSONField(_("评分因子"), default=dict)

    class Meta:
        verbose_name = _("排名行")
        verbose_name_plural = _("排名行")
        ordering = ["ranking", "-risk_score", "institution_id"]
        constraints = [models.UniqueConstraint(fields=["ranking", "institution"], name="one_row_per_organization")]

    def __str__(self) -> str:
        return f"{self.ranking_id}/{self.institution_id}"

    @property
    def too_few(self) -> bool:
        return self.pass_band == Band.TOO_FEW
