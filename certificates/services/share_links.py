"""A holder's share links: create one for chosen certificates, revoke it, and open it (each view counted).

The token is 32 random bytes shown once to the holder; only its SHA-256 is stored, so the database cannot rebuild a
link. What a link shows is the public view of its certificates with the identity number masked, or none of it.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.audit import record_event
from portal.errors import Codes as CoreCodes, DomainError
from portal.models import HolderAccount, User
from portal.ratelimit import hash_ip

from .. import selectors
from ..errors import Codes
from ..models import Certificate, IdDisplay, ShareLink
from .lookup import lookup_rate

DEFAULT_DAYS = 30
MAX_DAYS = 365
OPEN_SCOPE = "certificates.share_open"
ID_FIELDS = ("masked_id", "id_type", "id_type_label")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(account: HolderAccount, certificate_ids: Iterable[int], *, days: int = DEFAULT_DAYS,
                      id_display: str = IdDisplay.MASKED, acting_user: User) -> tuple[ShareLink, str]:
    """A new link for the holder's chosen certificates, live for `days` days; returns (link, token): the token is
    shown once and never stored. Certificates not the holder's are refused as if absent."""
    wanted = {int(i) for i in certificate_ids}
    certificates = list(Certificate.objects.filter(pk__in=wanted, id_number=account.id_number))
    if not wanted or len(certificates) != len(wanted):
        raise DomainError(_("请至少选择一张本人的证书。"), code=Codes.SHARE_NO_CERTIFICATES)
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("有效天数应在1至%(n)d天之间。") % {"n": MAX_DAYS}, code=Codes.SHARE_EXPIRY_INVALID)
    if id_display not in IdDisplay.values:
        raise DomainError(_("请选择证件号码的显示方式。"), code=CoreCodes.INVALID)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ShareLink.objects.create(account=account, token_hash=token_hash(token), id_display=id_display,
                                        expires_at=timezone.now() + dt.timedelta(days=days))
        link.certificates.set(certificates)
        record_event(actor=acting_user, action="share_link_created", obj=link, province=None,
                     changes={"certificates": sorted(c.number for c in certificates), "days": days,
                              "id_display": id_display})
    return link, token


def revoke_share_link(link: ShareLink, *, acting_user: User) -> ShareLink:
    """Revoke the link at once (idempotent: a revoked link stays revoked at its first time)."""
    with transaction.atomic():
        locked = ShareLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record_event(actor=acting_user, action="share_link_revoked", obj=locked, province=None)
    return locked


def links_of(account: HolderAccount) -> list[ShareLink]:
    return list(account.share_links.prefetch_related("certificates").order_by("-created_at", "-id"))


def link_of(account: HolderAccount, pk: int) -> ShareLink | None:
    """The holder's own link with this id, or None (another holder's link does not exist for them)."""
    return account.share_links.filter(pk=pk).first()


def _shown(link: ShareLink) -> list[dict[str, Any]]:
    views = []
    for certificate in link.certificates.select_related("province", "superseded_by").order_by("-issued_on"):
        view = selectors.public_view(certificate)
        view["superseded_by_url"] = ""  # the visitor proved nothing: no onward link
        if link.id_display == IdDisplay.HIDDEN:
            for name in ID_FIELDS:
                view.pop(name, None)
        views.append(view)
    return views


def open_share_link(token: str, *, ip: str) -> tuple[ShareLink, list[dict[str, Any]]]:
    """The link's certificates as its holder chose to show them; counts the view. A wrong, expired or revoked
    token is one refusal (SHARE_LINK_INVALID, 404), rate-limited per address like the public lookup."""
    limit, window = lookup_rate()
    ratelimit.enforce(OPEN_SCOPE, hash_ip(ip), limit=limit, window=window,
                      message=_("查看过于频繁，请稍后再试。"))
    link = ShareLink.objects.filter(token_hash=token_hash(token or "")).select_related("account").first()
    if link is None or not link.is_live:
        raise DomainError(_("分享链接无效、已过期或已被撤销。"), code=Codes.SHARE_LINK_INVALID, status=404)
    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())
    link.refresh_from_db(fields=["view_count", "last_viewed_at"])
    return link, _shown(link)
