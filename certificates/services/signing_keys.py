"""The province's Ed25519 signing key for the QR payload: the key in force, and its rotation."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.models import Province, Role, User
from portal.roles import require_role

from .. import signing
from ..models.issuance import SigningKey


def _new_key_id(province: Province, now: dt.datetime) -> str:
    serial = SigningKey.objects.filter(province=province).count() + 1
    return f"{province.slug}-{timezone.localtime(now):%Y%m%d}-{serial}"


def _create_signing_key(province: Province, *, acting_user: User | None, now: dt.datetime) -> SigningKey:
    private = signing.generate_private_key()
    return SigningKey.objects.create(
        province=province, key_id=_new_key_id(province, now), public_key=signing.b64url(signing.public_key_of(private)),
        private_key_encrypted=signing.encrypt_private_key(private), valid_from=now, is_active=True,
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )


def active_signing_key(province: Province) -> SigningKey:
    """The province's key in force; the first is made on first use (a province that never issued has none)."""
    key = SigningKey.objects.filter(province=province, is_active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = _create_signing_key(province, acting_user=None, now=timezone.now())
            record_event(actor=None, action="signing_key_created", obj=key, province=province,
                         to_state="active", changes={"key_id": {"before": None, "after": key.key_id}})
    except IntegrityError:  # made by a concurrent transaction a moment ago
        key = SigningKey.objects.get(province=province, is_active=True)
    return key


def rotate_signing_key(province: Province, *, acting_user: User | None, reason: str = "") -> SigningKey:
    """Retire the province's key in force (it stays published, so what it signed keeps verifying) and make a new one.

    Provincial officers only (acting_user None: the management command run by the operator).
    """
    if acting_user is not None:
        require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以更换证书签名密钥。"))
    now = timezone.now()
    with transaction.atomic():
        # the province row is the rotation's mutex: a second rotation waits, then finds the first one's new key
        Province.objects.select_for_update().get(pk=province.pk)
        current = list(SigningKey.objects.select_for_update().filter(province=province, is_active=True))
        for key in current:
            key.is_active = False
            key.valid_until = now
            key.save(update_fields=["is_active", "valid_until"])
        new = _create_signing_key(province, acting_user=acting_user, now=now)
        record_event(
            actor=acting_user, action="signing_key_rotated", obj=new, province=province, to_state="active",
            reason=reason, changes={"key_id": {"before": current[0].key_id if current else None, "after": new.key_id}},
        )
    return new
