"""Filings (备案) with their numbers, letters and occupations, and the occupations added to a filing later."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal.models import City, Institution, Occupation, Province, SkillLevel, WorkType
from portal.punctuation import enumeration

from .applications import Application


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
    exit_requested_on = models.DateField(
        _("申请退出日期"), null=True, blank=True, help_text=_("自愿退出申请提交之日起不再受理新的考核计划")
    )
    exit_started_on = models.DateField(_("进入退出程序日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["province", "status"], name="filing_province_status"),
            # the renewal-reminder sweep selects filings by their last valid day
            models.Index(fields=["valid_until"], name="filing_valid_until"),
            models.Index(fields=["status", "valid_until"], name="filing_expiry_due"),
            # the provincial officer's worklist: filings the cities reported and the province has not published (few)
            models.Index(fields=["province"], name="filing_to_publish",
                         condition=models.Q(reported_at__isnull=False, published_at__isnull=True)),
        ]
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
    def start_exit(self, kind: str, on: dt.date) -> None:
        self.exit_kind = kind
        self.exit_started_on = on

    @transition(
        field=status, source=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED, FilingStatus.EXITING],
        target=FilingStatus.TERMINATED,
    )
    def terminate(self, kind: str, on: dt.date | None = None) -> None:
        self.exit_kind = kind
        self.terminated_on = on or timezone.localdate()
        self.exit_started_on = self.exit_started_on or self.terminated_on

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
        return enumeration(SkillLevel(level).label for level in sorted(self.levels, reverse=True))


class AdditionState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    CULTIVATING = "cultivating", _("培育辅导中")
    ADDED = "added", _("已纳入备案")
    REFUSED = "refused", _("不予新增")
    ELIMINATED = "eliminated", _("自然淘汰")


class OccupationAddition(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """新增职业申请 — a filed, active organization applies to add occupations to its filing (001 二(二)).

    Guangdong (001 四(一)4): a chain-leader cultivation unit's new occupations enter cultivation at once; any other
    addition goes through selection as a new application does (`application`, in an open call) and then through
    cultivation. Elsewhere the province decides. Added occupations expire with the original filing.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="additions")
    state = FSMField(_("状态"), default=AdditionState.SUBMITTED, choices=AdditionState.choices, protected=True)
    has_completed_question_bank = models.BooleanField(_("已自主完成至少一个职业试题审核备案"), default=False)
    operating_normally = models.BooleanField(_("已正常开展职业技能等级认定工作"), default=False)
    is_chain_leader = models.BooleanField(_("“产教评”产业链链主培育单位"), default=False)
    note = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="addition",
        verbose_name=_("遴选申请"), help_text=_("须经遴选的新增职业，作为申请参加本批次遴选"),
    )

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
