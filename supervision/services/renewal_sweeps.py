"""Reminder sweeps: renewal reminders to organizations before their filing expires, and reminders to city officers
before a call's city-review deadline; each reminder is recorded so that it goes out once."""

import datetime as dt
import functools
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from filings.models import Application, ApplicationState, Call, Filing, FilingStatus, Route
from portal.audit import record_event
from portal.models import City, Province, Role
from portal.notifications import notify
from portal.roles import users_with_role
from portal.sweeps import sweep

from ..models import CityReviewReminder, Renewal, RenewalReminder, RenewalState

__all__ = ["CITY_REVIEW_REMINDER_DAYS", "send_city_review_reminders", "send_renewal_reminders"]

# Days before the city-review deadline (地市初审截止) on which the city's officers are reminded.
CITY_REVIEW_REMINDER_DAYS = (7, 3, 1)

# Applications the city still has to act on before its deadline.
_CITY_PENDING = Q(state__in=[ApplicationState.CITY_REVIEW, ApplicationState.CITY_SCORING]) | Q(
    state=ApplicationState.SUBMITTED, route=Route.CITY
)


def _stages(days: Sequence[int]) -> list[tuple[int, int]]:
    """(d, next smaller d or -1): reminder d is due while days_left is in (next, d]; a missed day catches up."""
    ordered = sorted(set(days), reverse=True)
    return [(d, ordered[i + 1] if i + 1 < len(ordered) else -1) for i, d in enumerate(ordered)]


def _remind_filing(filing_id: int, *, days_before: int, today: dt.date) -> bool:
    with transaction.atomic():
        filing = Filing.objects.select_for_update().select_related("province", "institution").get(pk=filing_id)
        if filing.status not in (FilingStatus.ACTIVE, FilingStatus.SUSPENDED):
            return False
        if Renewal.objects.filter(filing=filing, period_end=filing.valid_until).exclude(
            state=RenewalState.DRAFT
        ).exists():
            return False
        _reminder, created = RenewalReminder.objects.get_or_create(
            filing=filing, valid_until=filing.valid_until, days_before=days_before
        )
        if not created:
            return False
        record_event(actor=None, action="renewal_reminder_sent", obj=filing, province=filing.province,
                     changes={"days_before": days_before, "valid_until": filing.valid_until.isoformat()})
    members = users_with_role(filing.province, Role.INSTITUTION_MEMBER, institution=filing.institution)
    days_left = (filing.valid_until - today).days
    notify(members, province=filing.province,
           title=_("备案有效期将于%(d)s届满，请在届满前提出续期申请") % {"d": filing.valid_until.isoformat()},
           body=_("距有效期届满还有%(n)d天。") % {"n": days_left},
           link=reverse("supervision:renewal_home", kwargs={"province": filing.province.slug}))
    return True


def send_renewal_reminders(*, today: dt.date | None = None) -> int:
    """Remind organizations 90, 60 and 30 days (pack setting) before the last valid day, until they apply."""
    today = today or timezone.localdate()
    sent = 0
    for province in Province.objects.all():
        settings = filing_selectors.pack_for(province).settings
        if not settings.has_renewal:
            continue
        for days, after in _stages(settings.renewal_reminder_days):
            due = Filing.objects.filter(
                province=province, status__in=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED],
                valid_until__gt=today + dt.timedelta(days=after), valid_until__lte=today + dt.timedelta(days=days),
            ).exclude(Exists(RenewalReminder.objects.filter(
                filing=OuterRef("pk"), valid_until=OuterRef("valid_until"), days_before=days)))
            sent += sweep(due, functools.partial(_remind_filing, days_before=days, today=today)).acted
    return sent


def _city_review_reminder(call: Call, city: City, days_before: int, pending: int) -> bool:
    try:
        with transaction.atomic():
            CityReviewReminder.objects.create(call=call, city=city, days_before=days_before)
            record_event(actor=None, action="city_review_reminder_sent", obj=call, province=call.province,
                         changes={"city": city.code, "days_before": days_before, "pending": pending})
    except IntegrityError:
        return False  # sent by another run
    deadline = timezone.localtime(call.city_review_deadline)
    notify(users_with_role(call.province, Role.CITY_OFFICER, city=city), province=call.province,
           title=_("%(call)s：地市初审将于%(d)s截止") % {"call": call.title, "d": deadline.strftime("%Y-%m-%d %H:%M")},
           body=_("本市尚有%(n)d份申请待初审或推荐。") % {"n": pending},
           link=reverse("filings:review_list", kwargs={"province": call.province.slug}))
    return True


def send_city_review_reminders(*, today: dt.date | None = None) -> int:
    """Remind each city with applications still to review 7, 3 and 1 days before the call's city-review deadline."""
    today = today or timezone.localdate()
    sent = 0
    horizon = max(CITY_REVIEW_REMINDER_DAYS)
    calls = Call.objects.filter(
        city_review_deadline__date__gte=today, city_review_deadline__date__lte=today + dt.timedelta(days=horizon)
    ).select_related("province")
    for call in calls:
        days_left = (timezone.localtime(call.city_review_deadline).date() - today).days
        stage = next(d for d, after in _stages(CITY_REVIEW_REMINDER_DAYS) if after < days_left <= d)
        waiting = (Application.objects.filter(_CITY_PENDING, call=call).values("city")
                   .order_by().annotate(n=Count("id")))
        done = set(CityReviewReminder.objects.filter(call=call, days_before=stage).values_list("city_id", flat=True))
        for row in waiting:
            if row["city"] not in done:
                city = City.objects.get(pk=row["city"])
                sent += _city_review_reminder(call, city, stage, row["n"])
    return sent
