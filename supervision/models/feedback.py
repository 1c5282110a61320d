"""Feedback collected where it happens: trainees on their certificate, employers on the holders they employ, and what
organizations declare (enrolment, course prices) — every declaration a new row, never overwritten."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from portal.models import Institution, Occupation, Province, SkillLevel


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("受雇就业")
    SELF_EMPLOYED = "self_employed", _("自主创业/灵活就业")
    UNEMPLOYED = "unemployed", _("未就业")
    STUDYING = "studying", _("在校/继续学习")


EMPLOYED_STATUSES = (EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED)


class WageBand(models.IntegerChoices):
    """月工资区间 — ordered, so the median of a group is a band."""

    BELOW_3000 = 1, _("3000元以下")
    FROM_3000 = 2, _("3000–4999元")
    FROM_5000 = 3, _("5000–6999元")
    FROM_7000 = 4, _("7000–9999元")
    FROM_10000 = 5, _("10000元及以上")


class Satisfaction(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("1 很不满意")
    DISSATISFIED = 2, _("2 不满意")
    NEUTRAL = 3, _("3 一般")
    SATISFIED = 4, _("4 满意")
    VERY_SATISFIED = 5, _("5 很满意")


class TraineeFeedback(models.Model):
    """学员反馈 — one response per certificate, given by its holder, editable for a while after it is first sent.

    organization, occupation and ``certified_on`` are copied from the certificate so that indicators group by them
    without joining ten million certificates.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="trainee_feedback")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="trainee_feedback")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    certified_on = models.DateField(_("发证日期"))
    employment_status = models.CharField(_("就业状态"), max_length=20, choices=EmploymentStatus.choices)
    employer_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    employer_credit_code = models.CharField(_("工作单位统一社会信用代码"), max_length=18, blank=True)
    job_matches = models.BooleanField(_("工作与所取证职业对口"), null=True, blank=True)
    wage_band = models.PositiveSmallIntegerField(_("月工资"), choices=WageBand.choices, null=True, blank=True)
    training_satisfaction = models.PositiveSmallIntegerField(_("对培训的满意度"), choices=Satisfaction.choices)
    evaluation_satisfaction = models.PositiveSmallIntegerField(_("对评价（考核）的满意度"), choices=Satisfaction.choices)
    comment = models.TextField(_("意见和建议"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    editable_until = models.DateTimeField(_("可修改至"))
    updated_at = models.DateTimeField(_("最后修改时间"), db_index=True)

    class Meta:
        verbose_name = _("学员反馈")
        verbose_name_plural = _("学员反馈")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["institution", "occupation", "certified_on"], name="trainee_feedback_cell")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(training_satisfaction__gte=1, training_satisfaction__lte=5)
                & models.Q(evaluation_satisfaction__gte=1, evaluation_satisfaction__lte=5),
                name="trainee_feedback_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.get_employment_status_display()}"


class EmployerFeedback(models.Model):
    """用人单位评价 — an employer rates a certificate holder it employs; one rating per employer and certificate."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="employer_feedback")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="employer_feedback_received")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    certified_on = models.DateField(_("发证日期"))
    employer = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="employer_feedback_given",
        verbose_name=_("已注册的用人单位"),
    )
    employer_name = models.CharField(_("用人单位名称"), max_length=200)
    employer_credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    skill_match = models.PositiveSmallIntegerField(_("技能与证书等级相符程度"), choices=Satisfaction.choices)
    would_hire_again = models.BooleanField(_("愿意再次录用该职业（工种）持证人员"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("最后修改时间"), db_index=True)

    class Meta:
        verbose_name = _("用人单位评价")
        verbose_name_plural = _("用人单位评价")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["institution", "occupation", "certified_on"], name="employer_feedback_cell")]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "employer_credit_code"], name="one_employer_rating"),
            models.CheckConstraint(condition=models.Q(skill_match__gte=1, skill_match__lte=5),
                                   name="employer_feedback_skill_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} → {self.certificate_id}"


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class EnrolmentDeclaration(models.Model):
    """招生规模申报 — how many trainees an organization enrolled for an occupation in a period; the latest row counts."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="enrolment_declarations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业"))
    period_kind = models.CharField(_("统计周期"), max_length=10, choices=PeriodKind.choices)
    period = models.CharField(_("期间"), max_length=7, help_text=_("如 2026 或 2026Q1"))
    period_start = models.DateField(_("期间起"))
    enrolled = models.PositiveIntegerField(_("招生人数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("招生规模申报")
        verbose_name_plural = _("招生规模申报")
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["institution", "occupation", "period", "-id"], name="enrolment_latest")]

    def __str__(self) -> str:
        return f"{self.period} {self.enrolled}"


class CoursePriceDeclaration(models.Model):
    """课程价格申报 (seed 000 三(三)) — an organization's price for a course from a date on; the latest row counts."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="course_prices")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业"))
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    price = models.DecimalField(_("培训价格（元）"), max_digits=9, decimal_places=2)
    hours = models.PositiveIntegerField(_("课时"), null=True, blank=True)
    effective_from = models.DateField(_("执行日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("课程价格申报")
        verbose_name_plural = _("课程价格申报")
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["institution", "occupation", "level", "-id"], name="course_price_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="course_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.level} {self.price}"
