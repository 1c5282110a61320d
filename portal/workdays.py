"""Working-day arithmetic on the portal's own calendar table (工作日), never on a guess.

A date in a year the table does not cover (or whose entry is not yet published) raises CalendarNotCovered,
so an officer is told that the calendar for that year must be entered first.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import record_event
from .errors import CalendarNotCovered, DomainError
from .models import CalendarDay, CalendarYear, DayKind, Province, User


def covered_years() -> set[int]:
    return set(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True))


def _require_years(*years: int) -> None:
    missing = sorted(set(years) - covered_years())
    if missing:
        raise CalendarNotCovered(
            _("%(years)s年的工作日历尚未录入，请省级管理员先录入该年度的节假日和调休安排。")
            % {"years": "、".join(str(y) for y in missing)},
            years=missing,
        )


def is_working_day(day: dt.date) -> bool:
    _require_years(day.year)
    return CalendarDay.objects.filter(date=day, is_working_day=True).exists()


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n ≥ 1), or before it for n ≤ -1; n = 0 returns `start`.

    `start` itself is not counted: add_working_days(Friday, 1) is the next working day.
    """
    if n == 0:
        return start
    _require_years(start.year)
    days = CalendarDay.objects.filter(is_working_day=True)
    if n > 0:
        found = list(days.filter(date__gt=start).order_by("date").values_list("date", flat=True)[n - 1 : n])
    else:
        found = list(days.filter(date__lt=start).order_by("-date").values_list("date", flat=True)[-n - 1 : -n])
    if not found:
        beyond = start.year + (1 if n > 0 else -1)
        _require_years(beyond)
        raise CalendarNotCovered(_("工作日历不足以计算该日期。"))  # pragma: no cover - a covered year always has days
    result = found[0]
    _require_years(*range(min(start.year, result.year), max(start.year, result.year) + 1))
    return result


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in the half-open interval (a, b]: from a Friday to the next Monday is 1.

    Negative when b is before a.
    """
    if a == b:
        return 0
    lo, hi, sign = (a, b, 1) if a < b else (b, a, -1)
    _require_years(*range(lo.year, hi.year + 1))
    return sign * CalendarDay.objects.filter(is_working_day=True, date__gt=lo, date__lte=hi).count()


# --- Entering a year (the State Council's notice is out each November) ---

def _default_day(day: dt.date) -> CalendarDay:
    weekend = day.weekday() >= 5
    return CalendarDay(
        date=day,
        is_working_day=not weekend,
        kind=DayKind.WEEKEND if weekend else DayKind.WORKDAY,
        holiday_name="",
    )


def _days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def start_year(year: int, *, source: str, actor: User, province: Province | None) -> CalendarYear:
    """Open a year for entry: every weekday a working day, every weekend a rest day, unpublished until checked."""
    with transaction.atomic():
        if CalendarYear.objects.select_for_update().filter(year=year).exists():
            raise DomainError(_("%(year)d年的日历已存在。") % {"year": year}, code="calendar_year_exists")
        calendar_year = CalendarYear.objects.create(year=year, source=source, is_published=False)
        CalendarDay.objects.bulk_create(_default_day(d) for d in _days_of(year))
        record_event(
            actor=actor, action="calendar_year_started", obj=calendar_year, province=province,
            to_state="draft", changes={"source": source},
        )
    return calendar_year


def mark_days(
    year: int, *, start: dt.date, end: dt.date, kind: str, name: str, actor: User, province: Province | None
) -> int:
    """Mark start..end (inclusive) as a statutory holiday, or as make-up working days (调休上班)."""
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if calendar_year is None:
            raise CalendarNotCovered(_("请先新建%(year)d年的日历。") % {"year": year})
        if calendar_year.is_published:
            raise DomainError(
                _("%(year)d年的日历已发布，不能再修改。") % {"year": year}, code="calendar_year_published"
            )
        days = CalendarDay.objects.select_for_update().filter(date__gte=start, date__lte=end)
        before = {d.date.isoformat(): d.kind for d in days}
        working = kind == DayKind.MAKEUP_WORKDAY
        count = days.update(is_working_day=working, kind=kind, holiday_name=name)
        record_event(
            actor=actor, action="calendar_days_marked", obj=calendar_year, province=province, reason=name,
            changes={day: {"before": was, "after": kind} for day, was in before.items()},
        )
    return count


def publish_year(year: int, *, actor: User, province: Province | None) -> CalendarYear:
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if calendar_year is None:
            raise CalendarNotCovered(_("请先新建%(year)d年的日历。") % {"year": year})
        if calendar_year.is_published:
            return calendar_year
        if not CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).exists():
            raise DomainError(
                _("%(year)d年尚未录入任何法定节假日，请核对后再发布。") % {"year": year},
                code="calendar_year_without_holidays",
            )
        calendar_year.is_published = True
        calendar_year.save(update_fields=["is_published", "updated_at"])
        record_event(
            actor=actor, action="calendar_year_published", obj=calendar_year, province=province,
            from_state="draft", to_state="published",
        )
    return calendar_year
