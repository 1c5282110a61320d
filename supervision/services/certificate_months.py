"""The monthly certificate counts of the dashboards (CertificateMonth), kept by the indicator sweep: the months and
supervising cities of the certificates added since the last mark are counted again, whole, from the certificates."""

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from certificates.models import Certificate
from portal.models import City

from ..models import CertificateMonth

Month = tuple[int, dt.date]  # (city id, first day of the month)


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def touched_months(low: int, high: int) -> set[Month]:
    """The (supervising city, month) of the certificates with an id in (low, high]."""
    if low >= high:
        return set()
    rows = (Certificate.objects.filter(pk__gt=low, pk__lte=high).annotate(month=TruncMonth("issued_on"))
            .values_list("filing__city_id", "month").distinct().order_by())
    return {(city_id, _as_date(month)) for city_id, month in rows}


def refresh_certificate_months(months: set[Month]) -> int:
    """Count the certificates of each (city, month) again and store the counts; returns how many were stored."""
    if not months:
        return 0
    cities = sorted({m[0] for m in months})
    first, last = min(m[1] for m in months), _month_end(max(m[1] for m in months))
    rows = (Certificate.objects.filter(filing__city_id__in=cities, issued_on__range=(first, last))
            .annotate(month=TruncMonth("issued_on")).values_list("filing__city_id", "month")
            .annotate(n=Count("pk")).order_by())
    counts = {(city_id, _as_date(month)): n for city_id, month, n in rows}
    provinces = dict(City.objects.filter(pk__in=cities).values_list("pk", "province_id"))
    now = timezone.now()
    CertificateMonth.objects.bulk_create(
        [CertificateMonth(province_id=provinces[city_id], city_id=city_id, month=month,
                          certificates=counts.get((city_id, month), 0), computed_at=now)
         for city_id, month in sorted(months)],
        update_conflicts=True, unique_fields=["city", "month"], update_fields=["certificates", "computed_at"])
    return len(months)
