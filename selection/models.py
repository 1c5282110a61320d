"""Selection: the expert pool, panels and scoring sheets (评估表), the city's summary table (汇总表), and the leadership
group's approval of the province's selection.

The applications themselves belong to filings; selection moves them only through filings.services.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from filings.models import Application, ApplicationState, Call
from portal.identifiers import validate_credit_code
from portal.models import City, Province, User


def plain_number(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 20.00 → "20", 12.50 → "12.5"."""
    return format(value.normalize(), "f")


class SelectionRound(models.Model):
    """遴选评审 — the selection of one call: the per-call rubric and the aggregation option."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="selection_round")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    drop_extremes = models.BooleanField(
        _("去掉一个最高分和一个最低分"), default=True,
        help_text=_("评估表达到政策包规定份数（广东为5份）及以上时，去掉最高和最低总分后取平均"),
    )
    rubric_locked_at = models.DateTimeField(
        _("评估表锁定时间"), null=True, blank=True, help_text=_("首份评估表提交后，评估指标和计分规则不再修改")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("遴选评审")
        verbose_name_plural = _("遴选评审")

    def __str__(self) -> str:
        return str(self.call)


class Criterion(models.Model):
    """One line of the call's scoring sheet for one category, copied from the pack's rubric and editable until the
    first sheet of the call is submitted."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria")
    category = models.CharField(_("申请类别"), max_length=40)
    key = models.CharField(_("指标代码"), max_length=60)
    label = models.CharField(_("评估指标"), max_length=100)
    max_score = models.DecimalField(_("分值"), max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.01"))])
    description = models.TextField(_("评分要点"), blank=True)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["round", "category", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "category", "key"], name="criterion_unique")]

    def __str__(self) -> str:
        return f"{self.label}（{self.max_points}）"

    @property
    def max_points(self) -> str:
        """The maximum as people write it: "20", "12.5"."""
        return plain_number(self.max_score)


class Expert(models.Model):
    """评审专家 — one entry of a province's expert pool, linked to the account the expert logs in with."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="experts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="expert_entries", verbose_name=_("登录账户"))
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=200)
    employer_credit_code = models.CharField(
        _("工作单位统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code],
        help_text=_("用于识别与申请机构为同一单位的利益冲突"),
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所在地市"))
    fields = models.JSONField(
        _("专业领域"), default=list, blank=True,
        help_text=_("职业分类大典编码前缀，如 6-18（汽车制造人员）或 4（大类）；为空表示不限"),
    )
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["province", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "user"], condition=Q(user__isnull=False),
                                    name="expert_one_entry_per_user_and_province"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.employer}）"

    def covers(self, occupation_codes: list[str]) -> bool:
        """Whether one of the expert's fields covers one of the codes: "6-18" covers 6-18-01-01; no field covers all."""
        if not self.fields:
            return True
        return any(code == f or code.startswith(f"{f}-") for f in self.fields for code in occupation_codes)


class PanelLevel(models.TextChoices):
    CITY = "city", _("地市初评")
    PROVINCE = "province", _("省级集中评审")


class Panel(models.Model):
    """评审专家组 — the experts scoring a call's applications at one level (a city's first round, or the province)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="panels")
    level = models.CharField(_("评审层级"), max_length=10, choices=PanelLevel.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("地市"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")
        ordering = ["call", "level", "city__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city", city__isnull=False) | Q(level="province", city__isnull=True),
                name="panel_city_matches_level",
            ),
            models.UniqueConstraint(fields=["call", "city"], condition=Q(level="city"), name="one_city_panel_per_call"),
            models.UniqueConstraint(fields=["call"], condition=Q(level="province"),
                                    name="one_province_panel_per_call"),
        ]

    def __str__(self) -> str:
        where = self.city.name if self.city_id and self.city else self.province.name
        return f"{self.call.title} · {where}{self.get_level_display()}"


class Draw(models.Model):
    """随机抽取 — one random draw of experts for an application, reproducible from its seed and candidate list:
    random.Random(seed).sample(candidates, k) == result."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="draws")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField(_("随机种子"))
    requested = models.PositiveSmallIntegerField(_("抽取人数"))
    match_fields = models.BooleanField(_("按专业领域筛选"), default=True)
    candidates = models.JSONField(_("候选专家"), default=list, help_text=_("按编号排序的候选专家编号"))
    excluded = models.JSONField(_("排除的专家"), default=dict, help_text=_("专家编号 → 排除原因"))
    result = models.JSONField(_("抽取结果"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} · seed {self.seed}"


class SheetState(models.TextChoices):
    ASSIGNED = "assigned", _("待评分")
    SUBMITTED = "submitted", _("已提交")
    RECUSED = "recused", _("已回避")


def _all_scored(sheet: models.Model) -> bool:
    """Guard of submit: every criterion of the sheet has a score."""
    return isinstance(sheet, ScoreSheet) and not sheet.unscored_labels()


def _application_undecided(sheet: models.Model) -> bool:
    """Guard of reopen: the application is still being scored (no recommendation or selection decided yet)."""
    return isinstance(sheet, ScoreSheet) and sheet.application.state in (
        ApplicationState.CITY_SCORING, ApplicationState.PROVINCE_REVIEW)


class ScoreSheet(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """评估表 — one expert's scores for one application in one panel; locked once submitted.

    The state is a protected django-fsm field: assigned → submitted (every criterion scored) → assigned again when an
    organizer reopens it (while the application is undecided); assigned or submitted → recused when the expert
    declares a conflict. Only selection.services calls the transitions.
    """

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="sheets")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="score_sheets")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="sheets")
    state = FSMField(_("状态"), max_length=10, choices=SheetState.choices, default=SheetState.ASSIGNED,
                     protected=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("综合评价"), blank=True)
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="sheets")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(_("保存时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("退回重评次数"), default=0)

    class Meta:
        verbose_name = _("评估表")
        verbose_name_plural = _("评估表")
        ordering = ["panel", "application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "application", "expert"], name="one_sheet_per_expert"),
        ]
        indexes = [models.Index(fields=["expert", "state"], name="sheet_expert_state")]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert.name}"

    @property
    def is_submitted(self) -> bool:
        return self.state == SheetState.SUBMITTED

    def unscored_labels(self) -> list[str]:
        """The labels of the criteria not scored yet, in the sheet's order."""
        return [s.criterion.label for s in self.scores.select_related("criterion") if s.score is None]

    # --- transitions: called only by selection.services ---
    @transition(field=state, source=SheetState.ASSIGNED, target=SheetState.SUBMITTED, conditions=[_all_scored])
    def submit(self, at: dt.datetime) -> None:
        self.submitted_at = at
        self.saved_at = at

    @transition(field=state, source=SheetState.SUBMITTED, target=SheetState.ASSIGNED,
                conditions=[_application_undecided])
    def reopen(self) -> None:
        self.reopened_count += 1

    @transition(field=state, source=[SheetState.ASSIGNED, SheetState.SUBMITTED], target=SheetState.RECUSED)
    def recuse(self) -> None:
        pass


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["sheet", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.label}: {self.score}"


class ConflictKind(models.TextChoices):
    SAME_EMPLOYER = "same_employer", _("与申请机构为同一单位")
    RELATION = "relation", _("与申请机构存在利害关系")
    OTHER = "other", _("其他应当回避的情形")


class ConflictDeclaration(models.Model):
    """利益冲突声明 — an expert declares a conflict with an application and is never assigned it."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("回避情形"), max_length=20, choices=ConflictKind.choices)
    reason = models.TextField(_("说明"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        ordering = ["-declared_at"]
        constraints = [models.UniqueConstraint(fields=["expert", "application"], name="one_conflict_per_pair")]

    def __str__(self) -> str:
        return f"{self.expert.name} · {self.application}"


class TableState(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SENT = "sent", _("已报送")


def _before_city_deadline(table: models.Model) -> bool:
    """Guard of send: the call's city-review deadline has not passed."""
    return isinstance(table, SummaryTable) and timezone.now() <= table.call.city_review_deadline


class SummaryTable(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """汇总表 — a city's recommendations for one call, sent to the province before the city-review deadline.

    The state is a protected django-fsm field: draft → sent, once, before the deadline (selection.services).
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="summary_tables")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("状态"), max_length=10, choices=TableState.choices, default=TableState.DRAFT, protected=True)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("遴选推荐汇总表")
        verbose_name_plural = _("遴选推荐汇总表")
        ordering = ["call", "city__code"]
        constraints = [models.UniqueConstraint(fields=["call", "city"], name="one_table_per_city_and_call")]

    def __str__(self) -> str:
        return f"{self.call.title} · {self.city.name}"

    @property
    def is_sent(self) -> bool:
        return self.state == TableState.SENT

    # --- transitions: called only by selection.services ---
    @transition(field=state, source=TableState.DRAFT, target=TableState.SENT, conditions=[_before_city_deadline])
    def send(self, by: User) -> None:
        self.sent_at = timezone.now()
        self.sent_by = by


class TableRow(models.Model):
    """One application on a city's table: recommended or not (with the reason), and at sending, its score and rank."""

    table = models.ForeignKey(SummaryTable, on_delete=models.CASCADE, related_name="rows")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    recommended = models.BooleanField(_("是否推荐"), null=True, blank=True)
    reason = models.TextField(_("推荐意见/不予推荐理由"), blank=True)
    score = models.DecimalField(_("评估得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    sheets = models.CharField(_("评估表"), max_length=20, blank=True, help_text=_("已提交/应提交"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("汇总表条目")
        verbose_name_plural = _("汇总表条目")
        ordering = ["table", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "application"], name="one_row_per_application")]

    def __str__(self) -> str:
        return f"{self.table} · {self.application}"


def approval_path(instance: "LeadershipApproval", filename: str) -> str:
    return f"selection/approvals/{instance.round.province.slug}/{instance.round_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class LeadershipApproval(models.Model):
    """领导小组审定 — the leadership group's approval of the province's selection, with its document."""

    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="approvals")
    meeting_date = models.DateField(_("会议日期"))
    document_number = models.CharField(_("文号"), max_length=100)
    attachment = models.FileField(_("审定文件"), upload_to=approval_path)
    attachment_name = models.CharField(_("文件名"), max_length=200)
    attachment_content_type = models.CharField(_("文件类型"), max_length=100)
    attachment_sha256 = models.CharField(max_length=64)
    applications = models.ManyToManyField(Application, related_name="+", verbose_name=_("审定同意的申请"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("领导小组审定")
        verbose_name_plural = _("领导小组审定")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.document_number}（{self.meeting_date}）"
