"""Calls for applications and applications with their occupations, evidence, corrections and submissions."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal.models import City, Institution, Occupation, Province, SkillLevel, WorkType
from portal.punctuation import enumeration


class Call(models.Model):
    """申报批次 — a province's call for applications, with its deadlines and admitted occupations."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    occupations = models.ManyToManyField(
        Occupation, blank=True, verbose_name=_("可申报职业"), help_text=_("不选则为政策包允许的全部职业")
    )
    application_deadline = models.DateTimeField(_("申报截止时间"))
    city_review_deadline = models.DateTimeField(_("地市初审截止时间"))
    options = models.JSONField(_("批次选项"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-application_deadline"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return timezone.now() <= self.application_deadline


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CITY_REVIEW = "city_review", _("地市初审中")
    RETURNED = "returned", _("退回补正")
    NOT_RECOMMENDED = "not_recommended", _("不予推荐")
    CITY_SCORING = "city_scoring", _("初审通过，待评估推荐")
    RECOMMENDED = "recommended", _("已推荐")
    PROVINCE_REVIEW = "province_review", _("省级评审中")
    NOT_SELECTED = "not_selected", _("未入选")
    SELECTED = "selected", _("拟入选")
    APPROVED = "approved", _("领导小组已审定")
    IN_PUBLICITY = "in_publicity", _("公示中")
    PUBLICITY_ENDED = "publicity_ended", _("公示期满")
    CULTIVATING = "cultivating", _("培育辅导中")
    FILED = "filed", _("已备案")
    ELIMINATED = "eliminated", _("自然淘汰")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationState


# States in which the applicant may still withdraw: no decision has been made yet.
WITHDRAWABLE = [S.DRAFT, S.SUBMITTED, S.CITY_REVIEW, S.RETURNED, S.CITY_SCORING]


FINAL_STATES = [S.NOT_RECOMMENDED, S.NOT_SELECTED, S.FILED, S.ELIMINATED, S.WITHDRAWN]


class Route(models.TextChoices):
    CITY = "city", _("向所在地市申报")
    PROVINCE = "province", _("直接向省申报")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def in_province(self, province: Province) -> "ApplicationQuerySet":
        return self.filter(province=province)


class Application(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """备案申请 — one institution's application in one call."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="applications")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="applications", verbose_name=_("所在地市"))
    category = models.CharField(_("申请类别"), max_length=40)
    state = FSMField(_("状态"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    route = models.CharField(_("申报途径"), max_length=20, choices=Route.choices, blank=True)
    prefers_province_route = models.BooleanField(
        _("选择直接向省申报"), default=False, help_text=_("省属机构可选择向所在地市或直接向省申报")
    )
    facts = models.JSONField(_("申报信息"), default=dict, blank=True)
    pledge_confirmed_at = models.DateTimeField(_("诚信承诺确认时间"), null=True, blank=True)
    pledge_signer = models.CharField(_("承诺人"), max_length=50, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submission_count = models.PositiveIntegerField(_("提交次数"), default=0)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("初审经办人"),
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("备案申请")
        verbose_name_plural = _("备案申请")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["province", "city", "state"], name="application_worklist"),
            # the officers' dashboard counts the province's applications by state in this index alone
            models.Index(fields=["province", "state"], name="application_province_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "institution"], condition=~models.Q(state="withdrawn"), name="one_application_per_call"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution.name}（{self.call.year}）"

    # --- transitions: called only by filings.services ---
    @transition(field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()
        self.submission_count += 1

    @transition(field=state, source=S.SUBMITTED, target=S.CITY_REVIEW)
    def start_city_review(self, reviewer: Any) -> None:
        self.reviewer = reviewer

    @transition(field=state, source=S.CITY_REVIEW, target=S.RETURNED)
    def return_for_correction(self) -> None:
        pass

    @transition(field=state, source=[S.CITY_REVIEW, S.CITY_SCORING], target=S.NOT_RECOMMENDED)
    def not_recommend(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @transition(field=state, source=S.CITY_REVIEW, target=S.CITY_SCORING)
    def pass_city_review(self) -> None:
        pass

    @transition(field=state, source=S.CITY_SCORING, target=S.RECOMMENDED)
    def recommend(self, reason: str = "") -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @transition(field=state, source=[S.RECOMMENDED, S.SUBMITTED], target=S.PROVINCE_REVIEW)
    def start_province_review(self) -> None:
        pass

    # From city_scoring: a city centre decides itself (SelectionBy.CENTRE, Shandong); filings.services guards it.
    @transition(field=state, source=[S.PROVINCE_REVIEW, S.CITY_SCORING], target=S.SELECTED)
    def select(self) -> None:
        pass

    @transition(field=state, source=[S.PROVINCE_REVIEW, S.SELECTED, S.IN_PUBLICITY], target=S.NOT_SELECTED)
    def not_select(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @transition(field=state, source=S.SELECTED, target=S.APPROVED)
    def approve(self) -> None:
        pass

    # From selected: no leadership approval where the centre decides (SelectionBy.CENTRE); filings.services guards it.
    @transition(field=state, source=[S.APPROVED, S.SELECTED], target=S.IN_PUBLICITY)
    def publish(self) -> None:
        pass

    @transition(field=state, source=S.IN_PUBLICITY, target=S.PUBLICITY_ENDED)
    def end_publicity(self) -> None:
        pass

    @transition(field=state, source=[S.PUBLICITY_ENDED, S.SUBMITTED], target=S.CULTIVATING)
    def start_cultivation(self) -> None:
        pass

    @transition(field=state, source=[S.CULTIVATING, S.PUBLICITY_ENDED], target=S.FILED)
    def file(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=S.CULTIVATING, target=S.ELIMINATED)
    def eliminate(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=WITHDRAWABLE, target=S.WITHDRAWN)
    def withdraw(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @property
    def is_editable(self) -> bool:
        return self.state in (S.DRAFT, S.RETURNED)


class ApplicationOccupation(models.Model):
    """An occupation (and work type) applied for, with its levels and the facts declared for it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("工种"))
    levels = models.JSONField(_("申报等级"), default=list)
    facts = models.JSONField(_("该职业申报信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("申报职业")
        verbose_name_plural = _("申报职业")
        ordering = ["occupation__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "occupation", "work_type"], name="application_occupation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name}{'（' + self.work_type.name + '）' if self.work_type else ''}"

    def level_labels(self) -> str:
        return enumeration(SkillLevel(level).label for level in sorted(self.levels, reverse=True))


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.application.province.slug}/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class Evidence(models.Model):
    """An uploaded material for one checklist item; kept outside the web root, served by a checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    checklist_key = models.CharField(_("材料项"), max_length=60)
    file = models.FileField(_("文件"), upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["checklist_key", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Correction(models.Model):
    """补正通知 — one return for correction, with its itemized list."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    round = models.PositiveSmallIntegerField(_("轮次"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resubmitted_at = models.DateTimeField(_("重新提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")
        ordering = ["-round"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="correction_round_unique")]

    def __str__(self) -> str:
        return f"{self.application} 第{self.round}次补正"


class CorrectionItem(models.Model):
    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="items")
    target = models.CharField(_("补正项"), max_length=80, help_text=_("字段或材料项的键"))
    target_label = models.CharField(_("补正项名称"), max_length=200)
    problem = models.TextField(_("问题说明"))

    class Meta:
        verbose_name = _("补正项")
        verbose_name_plural = _("补正项")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.target_label}：{self.problem}"


class Submission(models.Model):
    """A snapshot of what was submitted, so the officer sees what changed between two submissions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("第几次提交"))
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提交记录")
        verbose_name_plural = _("提交记录")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="submission_number_unique")]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"
