"""Renewal (续期) of a filing: its validity moves on and the occupations renewed move with it, audited."""

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import Province, User

from .. import numbering
from ..errors import Codes
from ..models import Filing, FilingStatus
from ._common import _require_officer_or_system


def next_renewal_letter_number(province: Province, year: int) -> str:
    """Take the next renewal letter number of the province; call inside the transaction that uses it."""
    return numbering.next_renewal_letter_number(province, year)


def renew_filing(
    filing: Filing, *, acting_user: User, new_valid_until: dt.date, occupations: Collection[int], letter_number: str
) -> Filing:
    """Extend the filing to `new_valid_until` for the scope lines `occupations` (FilingOccupation ids); the other
    lines keep their old end and lapse with it. Called by supervision when a renewal is approved."""
    _require_officer_or_system(acting_user, filing.province)
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if locked.status not in (FilingStatus.ACTIVE, FilingStatus.SUSPENDED):
            raise InvalidTransition(_("备案已终止或正在退出，不能续期。"))
        if new_valid_until <= locked.valid_until:
            raise DomainError(_("新的有效期须晚于原有效期。"), code=Codes.RENEWAL_DATE_INVALID)
        kept = locked.occupations.filter(pk__in=list(occupations))
        if not kept.exists():
            raise DomainError(_("续期范围内至少须有一个职业（工种）。"), code=Codes.RENEWAL_SCOPE_EMPTY)
        old_until = locked.valid_until
        kept_ids = sorted(kept.values_list("pk", flat=True))
        kept.update(valid_until=new_valid_until)
        locked.valid_until = new_valid_until
        locked.save(update_fields=["valid_until", "updated_at"])
        record_event(
            actor=acting_user, action="filing_renewed", obj=locked, province=locked.province,
            reason=letter_number,
            changes={"valid_until": [old_until.isoformat(), new_valid_until.isoformat()], "occupations": kept_ids},
        )
    filing.refresh_from_db()
    return filing
