"""Indicators stored per organization × occupation × period, the runs of the sweep that refreshes them, and the
monthly certificate counts it keeps for the dashboards."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import City, Institution, Occupation, Province

from .feedback import PeriodKind


class IndicatorCell(models.Model):
    """指标 — the counts and means of one organization for one occupation in one period (quarter or year).

    Counts are stored, rates are derived (numerator / denominator, with a Wilson interval) so that the page, the API
    and the ranking compute them one way: supervision.stats and supervision.selectors.indicators.
    ``complaints`` counts the complaints filed in the period (those found not upheld left out); null only in cells
    computed before complaints were collected.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="indicator_cells")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业"))
    period_kind = models.CharField(_("统计周期"), max_length=10, choices=PeriodKind.choices)
    period = models.CharField(_("期间"), max_length=7, help_text=_("如 2026 或 2026Q1"))
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    # authenticity and participation: rosters of plans whose results were published, by the plan's last exam day
    registered = models.PositiveIntegerField(_("报名人数"), default=0)
    sat = models.PositiveIntegerField(_("参评人数"), default=0)
    passed = models.PositiveIntegerField(_("合格人数"), default=0)
    certificates = models.PositiveIntegerField(_("发证数"), default=0)
    complaints = models.PositiveIntegerField(_("投诉件数"), null=True, blank=True)
    complaints_answered = models.PositiveIntegerField(_("已答复投诉件数"), default=0)
    complaints_on_time = models.PositiveIntegerField(_("按时答复投诉件数"), default=0)
    enrolment = models.PositiveIntegerField(_("申报招生人数"), null=True, blank=True)
    # effectiveness: trainee feedback on certificates issued in the period
    feedback_responses = models.PositiveIntegerField(_("学员反馈数"), default=0)
    employed = models.PositiveIntegerField(_("已就业人数"), default=0)
    match_answered = models.PositiveIntegerField(_("回答对口情况人数"), default=0)
    matched = models.PositiveIntegerField(_("对口就业人数"), default=0)
    wage_answered = models.PositiveIntegerField(_("回答工资人数"), default=0)
    wage_median_band = models.PositiveSmallIntegerField(_("月工资中位区间"), null=True, blank=True)
    training_satisfaction_mean = models.DecimalField(
        _("培训满意度均值"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    evaluation_satisfaction_mean = models.DecimalField(
        _("评价满意度均值"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    # employer ratings of holders certified in the period
    employer_ratings = models.PositiveIntegerField(_("用人单位评价数"), default=0)
    employer_skill_mean = models.DecimalField(
        _("技能相符度均值"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    employer_rehire = models.PositiveIntegerField(_("愿再次录用数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("机构指标")
        verbose_name_plural = _("机构指标")
        ordering = ["-period_start", "institution_id", "occupation_id"]
        indexes = [
            models.Index(fields=["province", "period_kind", "period"], name="indicator_province_period"),
            models.Index(fields=["institution", "period_kind", "-period_start"], name="indicator_institution"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "occupation", "period_kind", "period"], name="one_indicator_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.occupation_id}/{self.period}"


class IndicatorRun(models.Model):
    """一次指标刷新 — the high-water marks of the source rows the sweep had seen when it finished, and what it did.

    The next run reads only rows past these marks and recomputes the cells they touch.
    """

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    marks = models.JSONField(_("高水位"), default=dict)
    rows_seen = models.JSONField(_("新增/变更的源记录数"), default=dict)
    cells = models.PositiveIntegerField(_("重算的指标格数"), default=0)

    class Meta:
        verbose_name = _("指标刷新")
        verbose_name_plural = _("指标刷新")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.cells})"


class CertificateMonth(models.Model):
    """发证月度统计 — certificates issued in a month by the organizations one city supervises (the filing's city), kept
    by the indicator sweep so that the officers' dashboards read a few stored rows instead of counting millions of
    certificates. The dashboard adds the certificates issued since the sweep's last mark."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    certificates = models.PositiveIntegerField(_("发证数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("发证月度统计")
        verbose_name_plural = _("发证月度统计")
        ordering = ["month", "city_id"]
        indexes = [models.Index(fields=["province", "month"], name="certificate_month_province")]
        constraints = [models.UniqueConstraint(fields=["city", "month"], name="one_certificate_month_per_city")]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.month:%Y-%m}={self.certificates}"
