"""Exam plans (考核计划) with their sessions, venues, staff and rosters, and the results of each candidate.

A plan's state is a protected django-fsm field: only the transitions below change it, and only
certificates.services calls them (each with a row lock, an audit event and notifications after commit).

    draft ─file→ filed ─acknowledge→ acknowledged
    filed | acknowledged ─request_changes→ changes_requested ─file→ filed (a new version)
    filed | acknowledged ─start_amendment→ amending ─file→ filed (a new version)
    draft | changes_requested ─lapse→ lapsed                       (the lead time ran out before filing)
    draft | filed | acknowledged | changes_requested | amending ─cancel→ cancelled
    filed | acknowledged ─start_results→ results_entry ─publish_results→ in_publicity
    in_publicity ─end_publicity→ city_review ─city_approve→ province_review ─province_approve→ approved
    city_review | province_review ─return_results→ results_returned ─resubmit→ city_review | province_review
                                                                      └─republish→ in_publicity (pass list changed)
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from filings.models import Filing
from portal.identifiers import mask_id_number
from portal.models import City, Institution, Occupation, Province, SkillLevel, WorkType
from portal.punctuation import enumeration

__all__ = [
    "Candidate",
    "ExamPlan",
    "ExamPlanVersion",
    "ExamSession",
    "ExamStaff",
    "ExamVenue",
    "Gender",
    "IdType",
    "OccupationExamRule",
    "PlanState",
    "ResultCorrection",
    "SessionKind",
    "SessionStaff",
    "StaffDuty",
    "StaffQualification",
    "SupervisionVisit",
]


class SessionKind(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")
    REVIEW = "review", _("综合评审")


class StaffDuty(models.TextChoices):
    INVIGILATOR = "invigilator", _("监考员")
    ASSESSOR = "assessor", _("考评员")
    SUPERVISOR = "supervisor", _("内部质量督导员")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HMT_PERMIT = "hmt_permit", _("港澳台居民居住证")
    PASSPORT = "passport", _("护照")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class OccupationExamRule(models.Model):
    """An occupation's own exam figures where its national standard departs from the usual ones (each field left
    empty keeps the usual figure: 60 to pass, 15 candidates per invigilator and 2 per room, 5 per assessor and at
    least 3, a review panel of at least 3)."""

    occupation = models.OneToOneField(Occupation, on_delete=models.CASCADE, related_name="exam_rule")
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=1, null=True, blank=True)
    candidates_per_invigilator = models.PositiveSmallIntegerField(_("每名监考员对应考生数"), null=True, blank=True)
    min_invigilators_per_room = models.PositiveSmallIntegerField(_("每考场最少监考员"), null=True, blank=True)
    candidates_per_assessor = models.PositiveSmallIntegerField(_("每名考评员对应考生数"), null=True, blank=True)
    min_assessors = models.PositiveSmallIntegerField(_("实操最少考评员"), null=True, blank=True)
    min_review_panel = models.PositiveSmallIntegerField(_("综合评审最少人数"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("国家职业技能标准的条款"))

    class Meta:
        verbose_name = _("职业考核规则")
        verbose_name_plural = _("职业考核规则")

    def __str__(self) -> str:
        return str(self.occupation)


class ExamVenue(models.Model):
    """考核场所 — one of the organization's own venues, in a city of its province."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="exam_venues")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地市"))
    name = models.CharField(_("场所名称"), max_length=100)
    address = models.CharField(_("详细地址"), max_length=200)
    is_active = models.BooleanField(_("可用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核场所")
        verbose_name_plural = _("考核场所")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="exam_venue_name_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.city.name}{self.address}）"


class ExamStaff(models.Model):
    """考务人员 — one of the organization's own invigilators, assessors and internal quality supervisors."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="exam_staff")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    duty = models.CharField(_("岗位"), max_length=20, choices=StaffDuty.choices)
    certificate_number = models.CharField(_("资格证书编号"), max_length=60, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考务人员")
        verbose_name_plural = _("考务人员")
        ordering = ["duty", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "id_number", "duty"], name="exam_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_duty_display()}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


class StaffQualification(models.Model):
    """For which occupation and levels an assessor (or supervisor) is qualified."""

    staff = models.ForeignKey(ExamStaff, on_delete=models.CASCADE, related_name="qualifications")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    levels = models.JSONField(_("等级"), default=list)

    class Meta:
        verbose_name = _("考评资格")
        verbose_name_plural = _("考评资格")
        ordering = ["occupation__code", "id"]
        constraints = [models.UniqueConstraint(fields=["staff", "occupation"], name="staff_qualification_unique")]

    def __str__(self) -> str:
        return f"{self.occupation.name}（{level_labels(self.levels)}）"


def level_labels(levels: list[int]) -> str:
    return enumeration(SkillLevel(int(level)).label for level in sorted(levels, reverse=True))


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报备，待确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    CHANGES_REQUESTED = "changes_requested", _("要求修改")
    AMENDING = "amending", _("变更中")
    LAPSED = "lapsed", _("逾期未报备")
    CANCELLED = "cancelled", _("已取消")
    RESULTS_ENTRY = "results_entry", _("成绩录入中")
    IN_PUBLICITY = "in_publicity", _("结果公示中")
    CITY_REVIEW = "city_review", _("地市审核中")
    PROVINCE_REVIEW = "province_review", _("省级审核中")
    RESULTS_RETURNED = "results_returned", _("结果退回修改")
    APPROVED = "approved", _("审核通过，可发证")


P = PlanState
EDITABLE_STATES = (P.DRAFT, P.CHANGES_REQUESTED, P.AMENDING)
# Plans whose candidates hold a seat at their sessions (a person can't sit two overlapping exams).
LIVE_STATES = (P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING, P.RESULTS_ENTRY)
CANCELLABLE = [P.DRAFT, P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING]


class ExamPlanQuerySet(models.QuerySet["ExamPlan"]):
    def in_province(self, province: Province) -> "ExamPlanQuerySet":
        return self.filter(province=province)


class ExamPlan(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """考核计划 — one organization's exams of one occupation (and levels) in one city, filed ahead of time."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="exam_plans")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="exam_plans")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="exam_plans")
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("考核地市"),
        help_text=_("考核场所所在地市，由场次确定"),
    )
    title = models.CharField(_("计划名称"), max_length=200)
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("工种"))
    levels = models.JSONField(_("等级"), default=list)
    evaluation_process = models.TextField(_("评价流程"), blank=True)
    state = FSMField(_("状态"), default=P.DRAFT, choices=P.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0, help_text=_("每次报备（含变更）加一"))
    first_session_on = models.DateField(_("首场日期"), null=True, blank=True)
    last_session_on = models.DateField(_("末场日期"), null=True, blank=True)
    filed_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    officer_note = models.TextField(_("经办意见"), blank=True)
    publicity_notice = models.ForeignKey(
        "portal.PublicityNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("结果公示"),
    )
    returned_by = models.CharField(
        _("退回方"), max_length=20, blank=True, help_text=_("city 或 province：修改后重新提交给退回方")
    )
    city_approved_at = models.DateTimeField(_("地市审核通过时间"), null=True, blank=True)
    province_approved_at = models.DateTimeField(_("省级审核通过时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExamPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核计划")
        verbose_name_plural = _("考核计划")
        ordering = ["-first_session_on", "-id"]
        indexes = [
            models.Index(fields=["province", "city", "state"], name="exam_plan_worklist"),
            models.Index(fields=["state", "first_session_on"], name="exam_plan_due"),
            # the officers' dashboards (plans of the month) and the indicator sweep's mark on plan changes
            models.Index(fields=["province", "first_session_on"], name="exam_plan_province_month"),
            models.Index(fields=["updated_at"], name="exam_plan_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def level_labels(self) -> str:
        return level_labels(self.levels)

    @property
    def occupation_label(self) -> str:
        return f"{self.occupation.name}（{self.work_type.name}）" if self.work_type else self.occupation.name

    # --- transitions: called only by certificates.services ---
    @transition(field=state, source=list(EDITABLE_STATES), target=P.FILED)
    def file(self) -> None:
        self.version += 1
        self.filed_at = timezone.now()
        self.acknowledged_at = None

    @transition(field=state, source=P.FILED, target=P.ACKNOWLEDGED)
    def acknowledge(self, note: str) -> None:
        self.acknowledged_at = timezone.now()
        self.officer_note = note

    @transition(field=state, source=[P.FILED, P.ACKNOWLEDGED], target=P.CHANGES_REQUESTED)
    def request_changes(self, note: str) -> None:
        self.officer_note = note

    @transition(field=state, source=[P.FILED, P.ACKNOWLEDGED], target=P.AMENDING)
    def start_amendment(self) -> None:
        pass

    @transition(field=state, source=[P.DRAFT, P.CHANGES_REQUESTED], target=P.LAPSED)
    def lapse(self) -> None:
        pass

    @transition(field=state, source=CANCELLABLE, target=P.CANCELLED)
    def cancel(self) -> None:
        pass

    @transition(field=state, source=[P.FILED, P.ACKNOWLEDGED], target=P.RESULTS_ENTRY)
    def start_results(self) -> None:
        pass

    @transition(field=state, source=[P.RESULTS_ENTRY, P.RESULTS_RETURNED], target=P.IN_PUBLICITY)
    def publish_results(self, notice: Any) -> None:
        self.publicity_notice = notice
        self.returned_by = ""

    @transition(field=state, source=P.IN_PUBLICITY, target=P.CITY_REVIEW)
    def end_publicity(self) -> None:
        pass

    @transition(field=state, source=P.CITY_REVIEW, target=P.PROVINCE_REVIEW)
    def city_approve(self) -> None:
        self.city_approved_at = timezone.now()

    @transition(field=state, source=P.PROVINCE_REVIEW, target=P.APPROVED)
    def province_approve(self) -> None:
        self.province_approved_at = timezone.now()

    @transition(field=state, source=[P.CITY_REVIEW, P.PROVINCE_REVIEW], target=P.RESULTS_RETURNED)
    def return_results(self, by: str, note: str) -> None:
        self.returned_by = by
        self.officer_note = note

    @transition(field=state, source=P.RESULTS_RETURNED, target=P.CITY_REVIEW)
    def resubmit_to_city(self) -> None:
        self.returned_by = ""

    @transition(field=state, source=P.RESULTS_RETURNED, target=P.PROVINCE_REVIEW)
    def resubmit_to_province(self) -> None:
        self.returned_by = ""


class ExamPlanVersion(models.Model):
    """What was filed each time (版本): the first filing and every change after it, for comparison."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField()
    reason = models.TextField(_("变更说明"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核计划版本")
        verbose_name_plural = _("考核计划版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="exam_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class ExamSession(models.Model):
    """考核场次 — one sitting: a date and time, a venue and room, its kind, capacity and levels."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("考核方式"), max_length=20, choices=SessionKind.choices)
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    venue = models.ForeignKey(ExamVenue, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("考核场所"))
    room = models.CharField(_("考场"), max_length=50)
    capacity = models.PositiveIntegerField(_("容纳考生数"))
    levels = models.JSONField(_("适用等级"), default=list)

    class Meta:
        verbose_name = _("考核场次")
        verbose_name_plural = _("考核场次")
        ordering = ["date", "start_time", "room", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")),
                                   name="exam_session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}—{self.end_time:%H:%M} {self.get_kind_display()} {self.room}"

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time)

    def overlaps(self, other: "ExamSession") -> bool:
        return self.date == other.date and self.start_time < other.end_time and other.start_time < self.end_time


class SessionStaff(models.Model):
    """A person of the organization's staff on duty at one session."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="staff")
    staff = models.ForeignKey(ExamStaff, on_delete=models.PROTECT, related_name="sessions")
    duty = models.CharField(_("岗位"), max_length=20, choices=StaffDuty.choices)

    class Meta:
        verbose_name = _("场次考务人员")
        verbose_name_plural = _("场次考务人员")
        ordering = ["duty", "staff__name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="session_staff_unique")]

    def __str__(self) -> str:
        return f"{self.session}: {self.staff}"


class Candidate(models.Model):
    """考生 — one line of a plan's roster, and that candidate's results after the exam.

    A score is empty until entered; absence (缺考) is a state of its own, never a zero. `passed` is computed by the
    service that enters the scores (every required part at or above the pass mark).
    """

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="candidates")
    line = models.PositiveIntegerField(_("名册行号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("证件号码"), max_length=20, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    phone = models.CharField(_("手机号码"), max_length=11)
    level = models.PositiveSmallIntegerField(_("申报等级"), choices=SkillLevel.choices)
    training_class = models.CharField(_("培训班次"), max_length=100, blank=True)
    certified_warning_confirmed = models.BooleanField(
        _("已确认重复取证提示"), default=False, help_text=_("该人员已取得本职业同等级证书，机构确认仍安排考核")
    )
    theory_score = models.DecimalField(_("理论成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    theory_absent = models.BooleanField(_("理论缺考"), default=False)
    practical_score = models.DecimalField(_("实操成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    practical_absent = models.BooleanField(_("实操缺考"), default=False)
    review_score = models.DecimalField(_("综合评审成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_absent = models.BooleanField(_("综合评审缺考"), default=False)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    withheld_reason = models.TextField(_("公示异议成立理由"), blank=True)

    class Meta:
        verbose_name = _("考生")
        verbose_name_plural = _("考生")
        ordering = ["plan", "line"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "id_number"], name="candidate_unique_in_plan"),
            models.UniqueConstraint(fields=["plan", "line"], name="candidate_line_unique"),
        ]
        indexes = [models.Index(fields=["plan", "passed"], name="candidate_results")]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def needs_review(self) -> bool:
        """Levels 2 and 1 (技师, 高级技师) also sit a comprehensive review (综合评审)."""
        return self.level in (1, 2)

    @property
    def results_entered(self) -> bool:
        parts = [(self.theory_score, self.theory_absent), (self.practical_score, self.practical_absent)]
        if self.needs_review:
            parts.append((self.review_score, self.review_absent))
        return all(score is not None or absent for score, absent in parts)

    def score_label(self, part: str) -> str:
        score: Decimal | None = getattr(self, f"{part}_score")
        if getattr(self, f"{part}_absent"):
            return str(_("缺考"))
        return "" if score is None else f"{score:.1f}"

    @property
    def theory_label(self) -> str:
        return self.score_label("theory")

    @property
    def practical_label(self) -> str:
        return self.score_label("practical")

    @property
    def review_label(self) -> str:
        return self.score_label("review") if self.needs_review else "—"


class ResultCorrection(models.Model):
    """A correction of one candidate's results after a return (also in the audit log, with before and after)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="corrections")
    changes = models.JSONField(_("变更"))
    reason = models.TextField(_("更正理由"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成绩更正")
        verbose_name_plural = _("成绩更正")
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate} {self.corrected_at:%Y-%m-%d}"


class SupervisionVisit(models.Model):
    """督导检查安排 — an officer schedules a supervision visit to a plan's session (not announced to the organization)."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="visits")
    session = models.ForeignKey(ExamSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits",
                                verbose_name=_("场次"))
    visit_on = models.DateField(_("督导日期"))
    inspector = models.CharField(_("督导人员"), max_length=100)
    # The quality supervisor's account when the visit is theirs: it reaches their home; an external inspector
    # without an account stays a name in `inspector` only.
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="exam_visits", verbose_name=_("质量督导员"))
    note = models.TextField(_("说明"), blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督导检查安排")
        verbose_name_plural = _("督导检查安排")
        ordering = ["visit_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.visit_on:%Y-%m-%d}"
