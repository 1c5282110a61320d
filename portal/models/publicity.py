"""Publicity notices (公示) with their items and the public's objections (异议), generic across apps.

A notice's and an objection's state are protected django-fsm fields: only the transitions below change them, and only
portal.publicity calls them (each under a row lock, with one audit event).

A notice lists objects of some app (selection results, exam results, ...) by a string reference, so the core knows
none of the apps above it; each app registers what happens to its objects (portal.publicity.register_kind).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from .fsm import StateMachineModel
from .tenancy import Province


class NoticeState(models.TextChoices):
    OPEN = "open", _("公示中")
    ENDED = "ended", _("公示期满")


class PublicityNoticeQuerySet(models.QuerySet["PublicityNotice"]):
    def in_province(self, province: Province) -> "PublicityNoticeQuerySet":
        return self.filter(province=province)

    def public(self) -> "PublicityNoticeQuerySet":
        """What the public page shows: every published notice (open or ended), newest first."""
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at", "-id")


class PublicityNotice(StateMachineModel, models.Model):
    """公示 — a public notice open for objections from starts_on to the end of ends_on (working days)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="publicity_notices")
    kind = models.CharField(_("公示类型"), max_length=40, help_text=_("登记处理程序的应用标识，如 selection"))
    source = models.CharField(
        _("来源对象"), max_length=80, blank=True, help_text=_("发布该公示的对象，如 filings.call:12")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"), help_text=_("该日工作时间结束时公示期满"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    state = FSMField(_("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.OPEN, protected=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PublicityNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "ends_on"], name="publicity_notice_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == NoticeState.OPEN

    def is_due(self, today: dt.date) -> bool:
        """The period is over: the last working day is before `today` (the sweep's "today", not always the clock's)."""
        return self.ends_on < today

    # --- transitions: called only by portal.publicity ---
    @transition(field=state, source=NoticeState.OPEN, target=NoticeState.ENDED)
    def end(self) -> None:
        self.ended_at = timezone.now()

    def phase_label(self, today: dt.date | None = None) -> str:
        """What a reader is told of the period: not yet begun (待公示, with its first day), running, or over."""
        today = today or timezone.localdate()
        if not self.is_open or today > self.ends_on:
            return str(_("公示期已满"))
        if today < self.starts_on:
            return str(_("待公示，将于%(date)s开始")) % {"date": self.starts_on.isoformat()}
        return str(_("公示中"))

    @property
    def phase(self) -> str:
        return self.phase_label()

    def accepts_objections(self, today: dt.date | None = None) -> bool:
        """Objections are taken from publication until the end of the last working day of the period."""
        return self.is_open and (today or timezone.localdate()) <= self.ends_on


class PublicityItem(models.Model):
    """One line of a notice: an object of the notice's app, named by (object_type, object_id)."""

    notice = models.ForeignKey(PublicityNotice, on_delete=models.CASCADE, related_name="items")
    object_type = models.CharField(_("对象类型"), max_length=100, help_text=_("如 filings.application"))
    object_id = models.CharField(_("对象编号"), max_length=64)
    position = models.PositiveIntegerField(_("序号"), default=0)
    title = models.CharField(_("名称"), max_length=200)
    detail = models.TextField(_("内容"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("公示项")
        verbose_name_plural = _("公示项")
        ordering = ["notice", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "object_type", "object_id"], name="publicity_item_unique")
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="publicity_item_object")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


def objection_attachment_path(instance: "Objection", filename: str) -> str:
    return f"objections/{instance.notice.province.slug}/{instance.notice_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class ObjectionQuerySet(models.QuerySet["Objection"]):
    def in_province(self, province: Province) -> "ObjectionQuerySet":
        return self.filter(notice__province=province)


class Objection(StateMachineModel, models.Model):
    """异议 — filed by anyone on the public notice page; an officer upholds or dismisses it with a reason."""

    notice = models.ForeignKey(PublicityNotice, on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(PublicityItem, on_delete=models.PROTECT, related_name="objections",
                             verbose_name=_("异议对象"))
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    attachment = models.FileField(_("附件"), upload_to=objection_attachment_path, blank=True)
    attachment_name = models.CharField(_("附件文件名"), max_length=200, blank=True)
    attachment_content_type = models.CharField(_("附件类型"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    ip_hash = models.CharField(_("来源（散列）"), max_length=64, blank=True)
    state = FSMField(
        _("状态"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN, protected=True
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["notice", "state"], name="objection_notice_state")]

    def __str__(self) -> str:
        return f"{self.item}：{self.name}"

    # --- transitions: called only by portal.publicity.resolve_objection ---
    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.UPHELD)
    def uphold(self, *, resolution: str, acting_user: Any) -> None:
        self._resolve(resolution, acting_user)

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.DISMISSED)
    def dismiss(self, *, resolution: str, acting_user: Any) -> None:
        self._resolve(resolution, acting_user)

    def _resolve(self, resolution: str, acting_user: Any) -> None:
        self.resolution = resolution
        self.resolved_by = acting_user
        self.resolved_at = timezone.now()
