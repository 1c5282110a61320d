"""Opening a call for applications (申报批次) with its deadlines and admissible occupations."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import DomainError
from portal.models import (
    Occupation,
    Province,
    Role,
    User,
)
from portal.roles import require_role

from ..errors import Codes
from ..models import (
    Call,
)


def open_call(
    province: Province, *, acting_user: User, year: int, title: str, application_deadline: dt.datetime,
    city_review_deadline: dt.datetime, occupations: Iterable[Occupation] = (), options: dict[str, Any] | None = None,
) -> Call:
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    if city_review_deadline < application_deadline:
        raise DomainError(_("地市初审截止时间不能早于申报截止时间。"), code=Codes.CALL_DEADLINES)
    with transaction.atomic():
        call = Call.objects.create(
            province=province, year=year, title=title, application_deadline=application_deadline,
            city_review_deadline=city_review_deadline, options=options or {}, created_by=acting_user,
        )
        call.occupations.set(list(occupations))
        record_event(
            actor=acting_user, action="call_opened", obj=call, province=province,
            changes={"application_deadline": {"before": None, "after": application_deadline.isoformat()},
                     "city_review_deadline": {"before": None, "after": city_review_deadline.isoformat()}},
        )
    return call
