"""Calls for applications, filing applications with their occupations, facts and evidence, and city corrections.

The application's state is a protected django-fsm field: only the transitions below change it, and only
filings.services calls them (each with a lock, an audit event and notifications after commit).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal.models import City, Institution, Occupation, Province, SkillLevel, WorkType


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
        indexes = [models.Index(fields=["province", "city", "state"], name="application_worklist")]
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

    @transition(field=state, source=S.PROVINCE_REVIEW, target=S.SELECTED)
    def select(self) -> None:
        pass

    @transition(field=state, source=[S.PROVINCE_REVIEW, S.SELECTED, S.IN_PUBLICITY], target=S.NOT_SELECTED)
    def not_select(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @transition(field=state, source=S.SELECTED, target=S.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=S.APPROVED, target=S.IN_PUBLICITY)
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
        return "、".join(str(SkillLevel(level).label) for level in sorted(self.levels, reverse=True))


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


# --- Cultivation (培育辅导期), filings (备案), filing letters and receipts, added occupations (issue 5) ---
#
# A selected Guangdong application enters a cultivation of pack.settings.cultivation_days (day 1 = the start date,
# the last day included); each occupation has its tasks (question bank, exam-affairs training) and is accepted when
# all are accepted; the province files the accepted occupations in batches ("成熟一批公布一批"); what is not accepted
# when the last day has ended is eliminated by a sweep (filings.tasks). A filing (备案) holds the organization's
# scope, validity, letters and status, and feeds the public catalog.


class NumberCounter(models.Model):
    """A per-province counter (organization sequence, Shandong institution codes, letter numbers).

    Services take the next number by locking this row (select_for_update), so two filings at the same moment never
    get the same number.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("计数器"), max_length=40)
    value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["province", "key"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.province_id}:{self.key}={self.value}"


class FilingStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂停")
    EXITING = "exiting", _("退出中")
    TERMINATED = "terminated", _("已终止")


class ExitKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("自愿终止")
    AUTOMATIC = "automatic", _("自动终止")
    ORDERED = "ordered", _("责令终止")


class FilingQuerySet(models.QuerySet["Filing"]):
    def in_province(self, province: Province) -> "FilingQuerySet":
        return self.filter(province=province)

    def published(self) -> "FilingQuerySet":
        return self.filter(published_at__isnull=False)


class Filing(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """备案 — an evaluation organization filed by the province: scope, validity, letters, status and history.

    History is the audit trail (portal.AuditEvent on this object); the status changes only through its transitions.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="filings")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="filings")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="filings", verbose_name=_("属地监管地市"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="filings",
        verbose_name=_("备案申请"),
    )
    filing_number = models.CharField(_("备案编号"), max_length=40, help_text=_("首份备案函（回执）的文号"))
    filed_on = models.DateField(_("备案日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    status = FSMField(_("状态"), default=FilingStatus.ACTIVE, choices=FilingStatus.choices, protected=True)
    exit_kind = models.CharField(_("终止类型"), max_length=20, choices=ExitKind.choices, blank=True)
    organization_sequence = models.CharField(
        _("机构顺序号"), max_length=6, help_text=_("省级赋予的6位机构顺序号，用于证书编号")
    )
    institution_code = models.CharField(
        _("机构代码"), max_length=8, blank=True, help_text=_("山东：省代码2位 + 受理地市代码2位（省级受理为00）+ 4位顺序号")
    )
    reported_at = models.DateTimeField(_("地市报省时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("目录公布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["province", "status"], name="filing_province_status")]
        constraints = [
            models.UniqueConstraint(fields=["province", "organization_sequence"], name="filing_sequence_unique"),
            models.UniqueConstraint(fields=["province", "filing_number"], name="filing_number_unique"),
            models.UniqueConstraint(
                fields=["province", "institution_code"], condition=~models.Q(institution_code=""),
                name="filing_institution_code_unique",
            ),
            models.UniqueConstraint(
                fields=["institution"], condition=~models.Q(status="terminated"), name="one_live_filing_per_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name}（{self.filing_number}）"

    # --- transitions: called only by filings.services ---
    @transition(field=status, source=FilingStatus.ACTIVE, target=FilingStatus.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=FilingStatus.SUSPENDED, target=FilingStatus.ACTIVE)
    def reinstate(self) -> None:
        pass

    @transition(field=status, source=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED], target=FilingStatus.EXITING)
    def start_exit(self, kind: str) -> None:
        self.exit_kind = kind

    @transition(
        field=status, source=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED, FilingStatus.EXITING],
        target=FilingStatus.TERMINATED,
    )
    def terminate(self, kind: str) -> None:
        self.exit_kind = kind

    @property
    def is_active(self) -> bool:
        return self.status == FilingStatus.ACTIVE


class LetterKind(models.TextChoices):
    LETTER = "letter", _("备案函")
    RECEIPT = "receipt", _("回执")


def filing_document_path(instance: "FilingLetter", filename: str) -> str:
    return f"filings/{instance.province.slug}/{instance.filing_id}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class FilingLetter(models.Model):
    """备案函 (or Shandong's 回执): the document of one filing decision, with the scope it filed; PDF rendered once."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    number = models.CharField(_("文号"), max_length=40)
    issued_on = models.DateField(_("出具日期"))
    issuing_body = models.CharField(_("出具单位"), max_length=100)
    is_addition = models.BooleanField(_("新增职业"), default=False)
    scope = models.JSONField(_("备案范围"), default=list, help_text=_("本函所列职业（工种）及等级"))
    pdf = models.FileField(_("PDF"), upload_to=filing_document_path, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("备案函")
        verbose_name_plural = _("备案函")
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "number"], name="filing_letter_number_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def filename(self) -> str:
        return f"{self.get_kind_display()}-{self.number}.pdf"


class FilingOccupation(models.Model):
    """One line of a filing's scope: an occupation (and work type) with its levels, valid until the filing's end."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("工种"))
    levels = models.JSONField(_("等级"), default=list)
    added_on = models.DateField(_("纳入日期"))
    valid_until = models.DateField(_("有效期至"))
    letter = models.ForeignKey(FilingLetter, on_delete=models.PROTECT, null=True, blank=True, related_name="occupations")

    class Meta:
        verbose_name = _("备案职业")
        verbose_name_plural = _("备案职业")
        ordering = ["occupation__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "occupation", "work_type"], name="filing_occupation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name}{'（' + self.work_type.name + '）' if self.work_type else ''}"

    def level_labels(self) -> str:
        return "、".join(str(SkillLevel(level).label) for level in sorted(self.levels, reverse=True))


class AdditionState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    CULTIVATING = "cultivating", _("培育辅导中")
    ADDED = "added", _("已纳入备案")
    REFUSED = "refused", _("不予新增")
    ELIMINATED = "eliminated", _("自然淘汰")


class OccupationAddition(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """新增职业申请 — a filed, active organization applies to add occupations to its filing (001 二(二)).

    Guangdong: it enters cultivation for the new occupations at once; elsewhere the province decides. Added
    occupations expire with the original filing.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="additions")
    state = FSMField(_("状态"), default=AdditionState.SUBMITTED, choices=AdditionState.choices, protected=True)
    has_completed_question_bank = models.BooleanField(_("已自主完成至少一个职业试题审核备案"), default=False)
    operating_normally = models.BooleanField(_("已正常开展职业技能等级认定工作"), default=False)
    note = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("新增职业申请")
        verbose_name_plural = _("新增职业申请")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filing.institution.name} 新增职业申请"

    @transition(field=state, source=AdditionState.SUBMITTED, target=AdditionState.CULTIVATING)
    def start_cultivation(self) -> None:
        pass

    @transition(field=state, source=[AdditionState.SUBMITTED, AdditionState.CULTIVATING], target=AdditionState.ADDED)
    def add(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=AdditionState.SUBMITTED, target=AdditionState.REFUSED)
    def refuse(self, reason: str) -> None:
        self.decision_reason = reason
        self.decided_at = timezone.now()

    @transition(field=state, source=AdditionState.CULTIVATING, target=AdditionState.ELIMINATED)
    def eliminate(self) -> None:
        self.decided_at = timezone.now()


class AdditionOccupation(models.Model):
    addition = models.ForeignKey(OccupationAddition, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, verbose_name=_("职业"))
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("工种"))
    levels = models.JSONField(_("等级"), default=list)

    class Meta:
        verbose_name = _("新增职业")
        verbose_name_plural = _("新增职业")
        ordering = ["occupation__code", "id"]

    def __str__(self) -> str:
        return f"{self.occupation.name}{'（' + self.work_type.name + '）' if self.work_type else ''}"


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
        return "、".join(str(SkillLevel(level).label) for level in sorted(self.levels, reverse=True))

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
