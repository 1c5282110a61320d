"""Inspection campaigns drawn at random (双随机、一公开): the campaign and its published commitment, declared conflicts,
the picks of the RFC 3797 draw, inspections with their inspectors, checklist, files and findings.

State fields are protected django-fsm fields: only the transitions below change them, and only supervision.services
calls them (under a row lock, with one audit event each).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certificates.models import ExamPlan
from portal.models import City, Institution, Province
from portal.models.fsm import StateMachineModel


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMMITTED = "committed", _("抽取方案已公示，待录入随机数")
    DRAWN = "drawn", _("已抽取，检查中")
    CLOSED = "closed", _("已结束")


class Campaign(StateMachineModel, models.Model):
    """抽查任务 — who may be drawn (the frame), who may inspect (the pool), the rules, and the public random source.

    ``commitment`` is what was published before the draw (frame, pool, exclusions, weights, rules); ``sources`` the
    public numbers typed in afterwards; ``key`` the RFC 3797 key built from them.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("抽查范围（地市）"), help_text=_("留空为全省"))
    occupation_group = models.CharField(_("职业分组（中类）"), max_length=10, blank=True,
                                        help_text=_("职业编码的前两段，如 6-18；留空为全部职业"))
    title = models.CharField(_("任务名称"), max_length=200)
    organizations_to_draw = models.PositiveSmallIntegerField(_("抽取机构数"))
    inspectors_per_organization = models.PositiveSmallIntegerField(_("每家机构检查人员数"), default=2)
    exclude_months = models.PositiveSmallIntegerField(_("近期已检查机构排除（月）"), default=12)
    weighted = models.BooleanField(_("按风险评分加权"), default=False)
    own_city_rule = models.BooleanField(_("检查人员回避本市机构"), default=False)
    announced = models.BooleanField(_("提前告知被检查机构"), default=False)
    random_source = models.CharField(_("公开随机数来源"), max_length=200,
                                     help_text=_("如：中国福利彩票双色球 2026年12月10日开奖号码"))
    random_source_date = models.DateField(_("随机数产生日期"))
    inspect_from = models.DateField(_("检查开始日期"))
    inspect_until = models.DateField(_("检查截止日期"))
    state = FSMField(_("状态"), max_length=12, choices=CampaignState.choices, default=CampaignState.DRAFT,
                     protected=True)
    commitment = models.JSONField(_("抽取方案"), default=dict)
    commitment_sha256 = models.CharField(_("抽取方案SHA-256"), max_length=64, blank=True)
    committed_at = models.DateTimeField(_("方案公示时间"), null=True, blank=True)
    sources = models.JSONField(_("公开随机数"), default=list)
    key = models.TextField(_("抽取密钥"), blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "inspect_until"], name="campaign_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state != CampaignState.DRAFT

    @transition(field=state, source=CampaignState.DRAFT, target=CampaignState.COMMITTED)
    def commit(self, *, commitment: dict[str, Any], sha256: str) -> None:
        self.commitment = commitment
        self.commitment_sha256 = sha256
        self.committed_at = timezone.now()

    @transition(field=state, source=CampaignState.COMMITTED, target=CampaignState.DRAWN)
    def draw(self, *, sources: list[list[int]], key: str) -> None:
        self.sources = sources
        self.key = key
        self.drawn_at = timezone.now()

    @transition(field=state, source=CampaignState.DRAWN, target=CampaignState.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()


class InspectorConflict(models.Model):
    """利益冲突申报 — an inspector will not be drawn for this organization (published by code, never the reason)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("检查人员"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("评价机构"))
    reason = models.CharField(_("冲突情形"), max_length=300)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        ordering = ["-declared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["province", "inspector", "institution"],
                                               name="one_inspector_conflict_per_pair")]

    def __str__(self) -> str:
        return f"{self.inspector} × {self.institution}"


class DrawPick(models.Model):
    """One pick of the campaign's RFC 3797 sequence: the index, the MD5 hash, the list size and what it picked."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="picks")
    index = models.PositiveIntegerField(_("序号"))
    sequence = models.CharField(_("抽取对象"), max_length=20)  # draw.ORGANIZATIONS / draw.INSPECTORS
    digest = models.CharField(_("MD5"), max_length=32)
    remaining = models.PositiveIntegerField(_("剩余数"))
    position = models.PositiveIntegerField(_("位置"))
    member = models.CharField(_("抽中"), max_length=300)
    organization = models.CharField(_("所配机构"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("抽取记录")
        verbose_name_plural = _("抽取记录")
        ordering = ["campaign", "index"]
        constraints = [models.UniqueConstraint(fields=["campaign", "index"], name="one_pick_per_index")]

    def __str__(self) -> str:
        return f"#{self.index} {self.member}"


class InspectionState(models.TextChoices):
    SCHEDULED = "scheduled", _("待检查")
    COMPLETED = "completed", _("已检查")


class Inspection(StateMachineModel, models.Model):
    """检查 — one drawn organization with its drawn inspectors: the date, the scope, the checklist and findings."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="inspections",
                                    verbose_name=_("被检查机构"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地监管地市"))
    draw_order = models.PositiveSmallIntegerField(_("抽中顺序"))
    scheduled_on = models.DateField(_("检查日期"), null=True, blank=True)
    announced = models.BooleanField(_("提前告知"), default=False)
    scope_session = models.BooleanField(_("考核现场"), default=False)
    scope_site = models.BooleanField(_("场所设施"), default=True)
    scope_documents = models.BooleanField(_("档案资料"), default=True)
    exam_plan = models.ForeignKey(ExamPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("检查的考核计划"))
    state = FSMField(_("状态"), max_length=12, choices=InspectionState.choices, default=InspectionState.SCHEDULED,
                     protected=True)
    report = models.TextField(_("检查结论"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["campaign", "draw_order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "institution"], name="one_inspection_per_org")]
        indexes = [models.Index(fields=["province", "state"], name="inspection_state")]

    def __str__(self) -> str:
        return f"{self.campaign.title}：{self.institution.name}"

    @transition(field=state, source=InspectionState.SCHEDULED, target=InspectionState.COMPLETED)
    def complete(self, *, report: str) -> None:
        self.report = report
        self.completed_at = timezone.now()


class InspectorAssignment(models.Model):
    """A drawn inspector of an inspection; replaced (with the reason) by the next pick of the campaign's sequence."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("检查人员"))
    code = models.CharField(_("检查人员编号"), max_length=20)
    pick = models.OneToOneField(DrawPick, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(_("替换时间"), null=True, blank=True)
    replaced_reason = models.CharField(_("替换原因"), max_length=300, blank=True)
    replacement_number = models.PositiveIntegerField(_("替换顺序"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        ordering = ["inspection", "pick__index"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.replaced_at is None


class ChecklistGroup(models.TextChoices):
    BASIC = "basic", _("基本条件")
    EXAM_AFFAIRS = "exam_affairs", _("考务规范")


class ChecklistResult(models.TextChoices):
    NOT_CHECKED = "not_checked", _("未检查")
    CONFORMING = "conforming", _("符合")
    NONCONFORMING = "nonconforming", _("不符合")


class ChecklistItem(models.Model):
    """检查项 — one condition of the pack or one exam-affairs rule, and what the inspectors found."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField(_("序号"))
    group = models.CharField(_("类别"), max_length=20, choices=ChecklistGroup.choices)
    key = models.CharField(_("标识"), max_length=60)
    text = models.TextField(_("检查内容"))
    result = models.CharField(_("检查结果"), max_length=15, choices=ChecklistResult.choices,
                              default=ChecklistResult.NOT_CHECKED)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["inspection", "position"]

    def __str__(self) -> str:
        return self.text[:50]


def inspection_file_path(instance: "InspectionFile", filename: str) -> str:
    return f"inspections/{instance.inspection.province.slug}/{instance.inspection_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class InspectionFile(models.Model):
    """A photo or file of the inspection (checked by portal.uploads), attached to one checklist item or to the whole."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="files")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    file = models.FileField(_("文件"), upload_to=inspection_file_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查文件")
        verbose_name_plural = _("检查文件")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    MINOR = "minor", _("一般问题")
    SERIOUS = "serious", _("较重问题")
    CRITICAL = "critical", _("严重问题")


class Finding(models.Model):
    """检查发现的问题 — with its severity; each opens a rectification order. A critical one may propose suspension
    (recorded here; acting on it is the filing lifecycle's business)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("对应检查项"))
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    text = models.TextField(_("问题描述"))
    proposes_suspension = models.BooleanField(_("建议暂停备案"), default=False)
    suspension_reason = models.TextField(_("暂停建议理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查发现的问题")
        verbose_name_plural = _("检查发现的问题")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}：{self.text[:40]}"
