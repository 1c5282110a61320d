"""The catalog of evaluation organizations (评价机构目录): Shandong's cities report, the province publishes."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.models import (
    City,
    Province,
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import require_role, users_with_role

from ..models import (
    Filing,
)


def report_filings(city: City, *, acting_user: User) -> int:
    """A city reports its filed organizations (names, codes, work plans) to the province (002 三(二)4)."""
    require_role(acting_user, city.province, Role.CITY_OFFICER, city=city,
                 message=_("只有本市经办人员可以报送本市评价机构名单。"))
    with transaction.atomic():
        filings = list(Filing.objects.select_for_update(of=("self",)).filter(city=city, reported_at__isnull=True)
                       .select_related("institution"))
        now = timezone.now()
        for filing in filings:
            filing.reported_at = now
            filing.save(update_fields=["reported_at", "updated_at"])
            record_event(actor=acting_user, action="filing_reported", obj=filing, province=city.province,
                         changes={"reported_at": {"before": None, "after": now}})
    if filings:
        notify(users_with_role(city.province, Role.PROVINCIAL_OFFICER),
               title=_("%(city)s报送评价机构名单%(n)d家，待公布") % {"city": city.name, "n": len(filings)},
               province=city.province, email=False)
    return len(filings)


def publish_filings(province: Province, *, acting_user: User, filing_ids: Sequence[int] | None = None) -> int:
    """The province publishes reported filings in the public catalog."""
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    with transaction.atomic():
        qs = Filing.objects.select_for_update(of=("self",)).filter(province=province, reported_at__isnull=False,
                                                        published_at__isnull=True)
        if filing_ids is not None:
            qs = qs.filter(pk__in=list(filing_ids))
        filings = list(qs)
        now = timezone.now()
        for filing in filings:
            filing.published_at = now
            filing.save(update_fields=["published_at", "updated_at"])
            record_event(actor=acting_user, action="filing_published", obj=filing, province=province,
                         changes={"published_at": {"before": None, "after": now}})
    return len(filings)
