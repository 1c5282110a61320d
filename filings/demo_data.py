"""Demo data of filings: an open call for applications in each demo province."""

import datetime as dt

from django.utils import timezone

from portal import demo
from portal.models import Province, User

from .models import Call


@demo.register(20, "open calls for applications")
def load_calls() -> None:
    officer_by_slug = {u.username.split("-")[0]: u for u in User.objects.filter(username__endswith="-province")}
    today = timezone.localdate()
    for province in Province.objects.filter(slug__in=officer_by_slug):
        year = today.year
        deadline = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=60), dt.time(23, 59)))
        Call.objects.get_or_create(
            province=province, year=year, title=f"{province.name}{year}年社会培训评价组织遴选",
            defaults={
                "application_deadline": deadline,
                "city_review_deadline": deadline + dt.timedelta(days=14),
                "created_by": officer_by_slug[province.slug],
            },
        )
