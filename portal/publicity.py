"""Publicity notices (公示): publishing, the public's objections, their resolution and the end-of-period sweep.

The core knows no app above it. An app that publishes notices registers its kind from AppConfig.ready() with
`register_kind(kind, on_item_withdrawn=..., on_notice_ended=...)`; this module calls those handlers inside its own
transaction, so an item withdrawn here and the app's object moved there commit together.

- on_item_withdrawn(item, *, reason, acting_user): an objection against the item was upheld.
- on_notice_ended(notice, items, *, acting_user): the items passed publicity. Called by the sweep for the items
  without an open objection when the period ends, and again for one item when its last open objection is dismissed
  after the end.

This module is the core's public face for publicity, beside the models in portal.models.publicity.
"""

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ratelimit, worklists
from .audit import audit_personal_data_read, record_event
from .errors import ConflictError, DomainError, NotPermitted
from .models import (
    Membership,
    NoticeState,
    Objection,
    ObjectionState,
    Province,
    PublicityItem,
    PublicityNotice,
    Role,
    User,
)
from .notifications import notify
from .ratelimit import (  # re-exported: the lookup and tests name them here
    RateLimited as RateLimited,
    hash_ip as hash_ip,
)
from .roles import ProvinceAccess
from .uploads import check_upload
from .workdays import add_working_days

logger = logging.getLogger(__name__)

# A person may file this many objections per hour from one address; enough for a real objector, not for a flood.
OBJECTION_RATE_LIMIT = 5
OBJECTION_RATE_WINDOW_SECONDS = 3600
SWEEP_BATCH_SIZE = 200


ItemWithdrawn = Callable[..., None]  # (item, *, reason: str, acting_user: User) -> None
NoticeEnded = Callable[..., None]  # (notice, items: list[PublicityItem], *, acting_user: User | None) -> None


@dataclass(frozen=True)
class Kind:
    key: str
    on_item_withdrawn: ItemWithdrawn | None = None
    on_notice_ended: NoticeEnded | None = None
    resolver_roles: tuple[str, ...] = (Role.PROVINCIAL_OFFICER,)


_kinds: dict[str, Kind] = {}


def register_kind(
    kind: str,
    *,
    on_item_withdrawn: ItemWithdrawn | None = None,
    on_notice_ended: NoticeEnded | None = None,
    resolver_roles: tuple[str, ...] = (Role.PROVINCIAL_OFFICER,),
) -> Kind:
    """Register (or re-register, idempotently) what happens to a kind's objects; call from AppConfig.ready()."""
    entry = Kind(kind, on_item_withdrawn, on_notice_ended, resolver_roles)
    _kinds[kind] = entry
    return entry


def kind_of(notice: PublicityNotice) -> Kind:
    return _kinds.get(notice.kind) or Kind(notice.kind)


def is_registered(kind: str) -> bool:
    return kind in _kinds


# --- publishing ---

@dataclass(frozen=True)
class ItemSpec:
    """One line to publish: the object it names (its model label and id), a title and a detail line."""

    object_type: str
    object_id: str
    title: str
    detail: str = ""


def publicity_period(published_on: dt.date, working_days: int) -> tuple[dt.date, dt.date]:
    """(first day, last day): the period starts on the first working day after publication and ends at the end of
    the N-th working day. Raises CalendarNotCovered for a year the calendar does not cover."""
    return add_working_days(published_on, 1), add_working_days(published_on, working_days)


def publish_notice(
    province: Province,
    *,
    kind: str,
    title: str,
    body: str,
    items: Sequence[ItemSpec],
    working_days: int,
    acting_user: User,
    source: str = "",
) -> PublicityNotice:
    """Publish a notice now. The calling app's service has checked who may publish and runs this in its own
    transaction together with its state changes."""
    if kind not in _kinds:
        raise DomainError(_("未登记的公示类型“%(kind)s”。") % {"kind": kind}, code="publicity_kind_unknown")
    if not items:
        raise DomainError(_("公示名单为空，不能发布。"), code="publicity_empty")
    if working_days < 1:
        raise DomainError(_("公示期至少为1个工作日。"), code="publicity_period_invalid")
    now = timezone.now()
    starts_on, ends_on = publicity_period(timezone.localdate(now), working_days)
    with transaction.atomic():
        notice = PublicityNotice.objects.create(
            province=province, kind=kind, source=source, title=title, body=body, published_at=now,
            starts_on=starts_on, ends_on=ends_on, working_days=working_days, created_by=acting_user,
        )
        PublicityItem.objects.bulk_create(
            PublicityItem(notice=notice, object_type=i.object_type, object_id=str(i.object_id), position=n,
                          title=i.title[:200], detail=i.detail)
            for n, i in enumerate(items, start=1)
        )
        record_event(
            actor=acting_user, action="publicity_published", obj=notice, province=province, to_state=NoticeState.OPEN,
            changes={
                "title": {"before": None, "after": title},
                "period": {"before": None, "after": f"{starts_on.isoformat()}—{ends_on.isoformat()}"},
                "working_days": {"before": None, "after": working_days},
                "items": {"before": None, "after": [f"{i.object_type}:{i.object_id} {i.title}" for i in items]},
            },
        )
    return notice


# --- objections from the public ---

def _check_rate(ip_hash: str) -> None:
    ratelimit.enforce(
        "publicity:objections", ip_hash, limit=OBJECTION_RATE_LIMIT, window=OBJECTION_RATE_WINDOW_SECONDS,
        message=_("提交过于频繁：同一来源每小时最多提交%(n)d条异议，请稍后再试。") % {"n": OBJECTION_RATE_LIMIT},
    )


def _resolvers(notice: PublicityNotice) -> list[User]:
    memberships = Membership.objects.active().filter(
        province=notice.province, role__in=kind_of(notice).resolver_roles
    ).select_related("user")
    return [m.user for m in memberships]


def officer_notice_link(notice: PublicityNotice) -> str:
    return reverse("publicity_manage_notice", kwargs={"province": notice.province.slug, "pk": notice.pk})


def file_objection(
    notice: PublicityNotice,
    *,
    item: PublicityItem,
    name: str,
    contact: str,
    text: str,
    ip: str,
    attachment: UploadedFile | None = None,
) -> Objection:
    """Anyone files an objection against one item of an open notice (no login; rate-limited per address)."""
    ip_hash = hash_ip(ip)
    _check_rate(ip_hash)
    name, contact, text = name.strip(), contact.strip(), text.strip()
    if not (name and contact and text):
        raise DomainError(_("请填写姓名、联系方式和异议内容。"), code="objection_incomplete")
    if item.notice_id != notice.pk:
        raise DomainError(_("所选公示项不属于本公示。"), code="objection_item_mismatch")
    checked = check_upload(attachment) if attachment is not None else None
    with transaction.atomic():
        locked = PublicityNotice.objects.select_for_update(of=("self",)).select_related("province").get(pk=notice.pk)
        if not locked.accepts_objections():
            raise DomainError(
                _("该公示已于%(date)s期满，不再受理异议。") % {"date": locked.ends_on.isoformat()},
                code="publicity_closed",
            )
        current_item = PublicityItem.objects.get(pk=item.pk)
        if current_item.is_withdrawn:
            raise DomainError(_("该公示项已撤销，不再受理异议。"), code="publicity_item_withdrawn")
        objection = Objection(notice=locked, item=current_item, name=name[:50], contact=contact[:100], text=text,
                              ip_hash=ip_hash)
        if attachment is not None and checked is not None:
            objection.attachment.save("attachment.bin", attachment, save=False)
            objection.attachment_name = (attachment.name or "attachment")[:200]
            objection.attachment_content_type = checked.content_type
        objection.save()
        record_event(
            actor=None, action="objection_filed", obj=objection, province=locked.province,
            to_state=ObjectionState.OPEN,
            changes={"item": {"before": None, "after": current_item.title},
                     "attachment": {"before": None, "after": objection.attachment_name or None}},
        )
    notify(
        _resolvers(locked),
        title=_("公示收到异议：%(item)s") % {"item": current_item.title},
        body=_("《%(notice)s》收到一条异议，请核实处理。") % {"notice": locked.title},
        link=reverse("publicity_objection", kwargs={"province": locked.province.slug, "pk": objection.pk}),
        province=locked.province,
    )
    return objection


def _require_resolver(user: User, notice: PublicityNotice) -> None:
    roles = kind_of(notice).resolver_roles
    if not Membership.objects.active().filter(user=user, province=notice.province, role__in=roles).exists():
        raise NotPermitted(_("只有省级经办人员可以处理异议。"))


def resolve_objection(objection: Objection, *, acting_user: User, upheld: bool, resolution: str) -> Objection:
    """Uphold (the item is withdrawn from the notice and its app told why) or dismiss an objection, with the reason."""
    notice = objection.notice
    _require_resolver(acting_user, notice)
    resolution = resolution.strip()
    if not resolution:
        raise DomainError(_("处理异议必须填写处理意见。"), code="reason_required")
    kind = kind_of(notice)
    with transaction.atomic():
        locked = Objection.objects.select_for_update(of=("self",)).select_related("notice__province", "item").get(pk=objection.pk)
        if locked.state != ObjectionState.OPEN:
            raise ConflictError(
                _("该异议已于%(at)s处理（%(state)s），本次操作未作任何更改。") % {
                    "at": timezone.localtime(locked.resolved_at).strftime("%Y-%m-%d %H:%M") if locked.resolved_at else "",
                    "state": locked.get_state_display()},
                code="objection_already_resolved",
            )
        if upheld:
            locked.uphold(resolution=resolution, acting_user=acting_user)
        else:
            locked.dismiss(resolution=resolution, acting_user=acting_user)
        locked.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
        record_event(
            actor=acting_user, action="objection_resolved", obj=locked, province=locked.notice.province,
            from_state=ObjectionState.OPEN, to_state=locked.state, reason=resolution,
            changes={"state": {"before": ObjectionState.OPEN, "after": locked.state}},
        )
        _settle_item(locked, kind, upheld=upheld, resolution=resolution, acting_user=acting_user)
    return locked


def _settle_item(objection: Objection, kind: Kind, *, upheld: bool, resolution: str, acting_user: User) -> None:
    """After a resolution: an upheld objection withdraws its item; the last dismissed one after the end passes it."""
    item = PublicityItem.objects.select_for_update(of=("self",)).get(pk=objection.item_id)
    if upheld and not item.is_withdrawn:
        item.withdrawn_at = timezone.now()
        item.withdrawn_reason = resolution
        item.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record_event(
            actor=acting_user, action="publicity_item_withdrawn", obj=objection.notice,
            province=objection.notice.province, reason=resolution,
            changes={"withdrawn": {"before": None, "after": f"{item.object_type}:{item.object_id} {item.title}"}},
        )
        if kind.on_item_withdrawn is not None:
            kind.on_item_withdrawn(item, reason=resolution, acting_user=acting_user)
    elif not upheld and objection.notice.state == NoticeState.ENDED and not item.is_withdrawn \
            and not item.objections.filter(state=ObjectionState.OPEN).exists():
        # the period is over and this was the item's last open objection: it has now passed publicity
        if kind.on_notice_ended is not None:
            kind.on_notice_ended(objection.notice, [item], acting_user=acting_user)


def open_objection_attachment(access: ProvinceAccess, objection: Objection) -> File:
    """An objection's attachment, for an officer who reached it through access_objection; the read is audited."""
    if not objection.attachment:
        raise Http404
    audit_personal_data_read(access.user, objection, what=_("异议附件"), province=access.province,
                             action="objection_attachment_downloaded")
    return objection.attachment.open("rb")


# --- the end of the period (Celery beat: portal.end_due_publicity) ---

def cleared_items(notice: PublicityNotice) -> list[PublicityItem]:
    """Items that passed publicity: not withdrawn and without an open objection."""
    return list(
        notice.items.filter(withdrawn_at__isnull=True).exclude(objections__state=ObjectionState.OPEN).distinct()
    )


def end_notice(notice_id: int, *, today: dt.date) -> bool:
    """End one notice whose period is over; False when there was nothing to do (ended already, or not yet due)."""
    with transaction.atomic():
        notice = PublicityNotice.objects.select_for_update(of=("self",)).select_related("province").get(pk=notice_id)
        # idempotency: a notice already ended, or not yet due, is left alone
        if notice.state != NoticeState.OPEN or not notice.is_due(today):
            return False
        notice.end()
        notice.save(update_fields=["state", "ended_at"])
        items = cleared_items(notice)
        held = notice.items.filter(withdrawn_at__isnull=True, objections__state=ObjectionState.OPEN).distinct()
        record_event(
            actor=None, action="publicity_period_ended", obj=notice, province=notice.province,
            from_state=NoticeState.OPEN, to_state=NoticeState.ENDED,
            reason=_("公示期满（%(date)s）") % {"date": notice.ends_on.isoformat()},
            changes={"passed": {"before": None, "after": [i.title for i in items]},
                     "held_by_open_objections": {"before": None, "after": [i.title for i in held]}},
        )
        handler = kind_of(notice).on_notice_ended
        if handler is None:
            logger.warning("Publicity notice %s of unregistered kind %r ended without a handler", notice.pk, notice.kind)
        elif items:
            handler(notice, items, acting_user=None)
    return True


def end_due_notices(today: dt.date | None = None) -> int:
    """End every open notice whose last day is before `today`; returns how many were ended. Safe to run twice.

    Only due notices are read (through the state/ends_on index), in batches by primary key; each is re-checked under
    its row lock by end_notice. A notice whose app refuses (a DomainError) stays open and is retried at the next run.
    """
    today = today or timezone.localdate()
    due = PublicityNotice.objects.filter(state=NoticeState.OPEN, ends_on__lt=today)
    ended, last_pk = 0, 0
    while True:
        ids = list(due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH_SIZE])
        if not ids:
            return ended
        for notice_id in ids:
            try:
                ended += end_notice(notice_id, today=today)
            except DomainError as exc:
                logger.warning("Publicity notice %s could not be ended: %s", notice_id, exc)
        last_pk = ids[-1]


# --- reads shared by pages and the API ---

def open_objections(province: Province) -> Any:
    return Objection.objects.in_province(province).filter(state=ObjectionState.OPEN)


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("portal.objection", "portal.publicitynotice"))
def objections_to_resolve(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = open_objections(access.province).count()
    if not count:
        return []
    return [worklists.WorkItem(
        _("待处理的公示异议"), count,
        reverse("publicity_manage", kwargs={"province": access.province.slug}) + "?objections=open", urgent=True,
    )]
