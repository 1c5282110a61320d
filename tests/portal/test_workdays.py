"""Working days on China's calendar (statutory holidays and 调休), from the portal's own table.

The 2026 facts below are the State Council's arrangement as shipped in chinesecalendar 1.11 and seeded by
migration 0003; test_seeded_2026_holidays pins them before anything is computed from them.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from portal import workdays
from portal.errors import CalendarNotCovered, DomainError
from portal.models import AuditEvent, CalendarDay, CalendarYear, DayKind, Province, User
from tests.factories import CalendarDayFactory, CalendarYearFactory, UserFactory, officer

pytestmark = pytest.mark.django_db

D = dt.date


def _special_days(start: dt.date, end: dt.date) -> list[tuple[str, str, str]]:
    return [
        (d.date.isoformat(), d.kind, d.holiday_name)
        for d in CalendarDay.objects.filter(date__gte=start, date__lte=end).exclude(
            kind__in=[DayKind.WORKDAY, DayKind.WEEKEND]
        )
    ]


def test_seeded_2026_holidays() -> None:
    # New Year: Jan 1–3 off, Sunday Jan 4 worked
    assert _special_days(D(2026, 1, 1), D(2026, 1, 31)) == [
        ("2026-01-01", "holiday", "元旦"),
        ("2026-01-02", "holiday", "元旦"),
        ("2026-01-03", "holiday", "元旦"),
        ("2026-01-04", "makeup_workday", "元旦"),
    ]
    # Spring Festival: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked
    assert _special_days(D(2026, 2, 1), D(2026, 2, 28)) == [
        ("2026-02-14", "makeup_workday", "春节"),
        *[(f"2026-02-{day}", "holiday", "春节") for day in range(15, 24)],
        ("2026-02-28", "makeup_workday", "春节"),
    ]
    # National Day: Oct 1–7 off, Sunday Sep 20 and Saturday Oct 10 worked (Mid-Autumn is Sep 25–27)
    assert _special_days(D(2026, 9, 19), D(2026, 10, 31)) == [
        ("2026-09-20", "makeup_workday", "国庆节"),
        ("2026-09-25", "holiday", "中秋节"),
        ("2026-09-26", "holiday", "中秋节"),
        ("2026-09-27", "holiday", "中秋节"),
        *[(f"2026-10-0{day}", "holiday", "国庆节") for day in range(1, 8)],
        ("2026-10-10", "makeup_workday", "国庆节"),
    ]


def test_seeded_years_are_2020_to_2026_and_published() -> None:
    assert list(CalendarYear.objects.values_list("year", "is_published")) == [
        (year, True) for year in range(2020, 2027)
    ]
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar 1.11.0"


def test_2026_has_248_working_days() -> None:
    # 261 weekdays − 19 weekday holidays + 6 make-up days
    assert workdays.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
    assert CalendarDay.objects.filter(date__year=2026).count() == 365


def test_is_working_day() -> None:
    assert workdays.is_working_day(D(2026, 10, 8)) is True  # Thursday after National Day
    assert workdays.is_working_day(D(2026, 10, 5)) is False  # Monday inside National Day
    assert workdays.is_working_day(D(2026, 10, 10)) is True  # Saturday, make-up day
    assert workdays.is_working_day(D(2026, 10, 11)) is False  # plain Sunday
    assert workdays.is_working_day(D(2026, 1, 4)) is True  # Sunday, New Year make-up day


def test_add_working_days_skips_holidays_and_counts_makeup_days() -> None:
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)  # 9-29, 9-30, 10-8, 10-9, Sat 10-10
    assert workdays.add_working_days(D(2026, 9, 28), 6) == D(2026, 10, 12)
    assert workdays.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Friday → make-up Sunday
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)  # Friday → make-up Saturday
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)  # over the whole Spring Festival
    assert workdays.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)  # New Year: Sunday Jan 4 is worked
    assert workdays.add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)


def test_add_working_days_backwards() -> None:
    assert workdays.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert workdays.add_working_days(D(2026, 2, 24), -2) == D(2026, 2, 13)  # 2-14 then 2-13
    assert workdays.add_working_days(D(2026, 1, 5), -2) == D(2025, 12, 31)  # 1-4 then over the holiday


def test_working_days_between() -> None:
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert workdays.working_days_between(D(2026, 9, 28), D(2026, 10, 12)) == 6
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert workdays.working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert workdays.working_days_between(D(2026, 10, 3), D(2026, 10, 3)) == 0


def test_a_year_not_in_the_calendar_is_never_guessed() -> None:
    with pytest.raises(CalendarNotCovered) as raised:
        workdays.is_working_day(D(2027, 3, 1))

    assert "2027" in str(raised.value)
    assert raised.value.code == "calendar_year_missing"


def test_add_working_days_into_an_unknown_year_raises() -> None:
    # 2026-12-31 is the last working day of 2026: five more cannot be found without 2027
    with pytest.raises(CalendarNotCovered) as raised:
        workdays.add_working_days(D(2026, 12, 28), 5)

    assert "2027" in str(raised.value)


def test_add_working_days_from_an_unknown_year_raises() -> None:
    with pytest.raises(CalendarNotCovered, match="2027"):
        workdays.add_working_days(D(2027, 1, 5), 3)
    with pytest.raises(CalendarNotCovered, match="2019"):
        workdays.add_working_days(D(2020, 1, 2), -3)


def test_working_days_between_across_an_unknown_year_raises() -> None:
    with pytest.raises(CalendarNotCovered, match="2027"):
        workdays.working_days_between(D(2026, 12, 1), D(2027, 1, 15))


def test_a_draft_year_is_not_used() -> None:
    # given 2027 entered (days exist) but not yet published
    CalendarYearFactory(year=2027, with_days=True)

    # then arithmetic into it still refuses
    with pytest.raises(CalendarNotCovered, match="2027"):
        workdays.add_working_days(D(2026, 12, 28), 5)
    with pytest.raises(CalendarNotCovered, match="2027"):
        workdays.is_working_day(D(2027, 1, 4))


def test_mark_days_in_a_published_year_is_refused() -> None:
    actor = UserFactory()

    with pytest.raises(DomainError) as raised:
        workdays.mark_days(2026, start=D(2026, 3, 2), end=D(2026, 3, 2), kind=DayKind.HOLIDAY, name="测试",
                           actor=actor, province=None)

    assert raised.value.code == "calendar_year_published"
    assert CalendarDay.objects.get(date=D(2026, 3, 2)).kind == DayKind.WORKDAY


def test_starting_an_existing_year_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        workdays.start_year(2026, source="重复", actor=UserFactory(), province=None)

    assert raised.value.code == "calendar_year_exists"


def test_factory_days_follow_the_week() -> None:
    monday, sunday = CalendarDayFactory(date=D(2041, 1, 7)), CalendarDayFactory(date=D(2041, 1, 6))
    holiday = CalendarDayFactory(date=D(2041, 1, 1), holiday=True)

    assert (monday.kind, monday.is_working_day) == (DayKind.WORKDAY, True)
    assert (sunday.kind, sunday.is_working_day) == (DayKind.WEEKEND, False)
    assert (holiday.kind, holiday.is_working_day) == (DayKind.HOLIDAY, False)


# --- entering 2027 in the portal ---

def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def test_provincial_officer_enters_and_publishes_2027(login: Callable[[User], Client]) -> None:
    # given a Guangdong provincial officer, and 2027 unknown
    user = officer("gd")
    client = login(user)
    gd = Province.objects.get(slug="gd")
    assert not CalendarYear.objects.filter(year=2027).exists()

    # when they create 2027
    created = client.post("/gd/calendar/", {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知"})
    assert created.status_code == 302
    assert created["Location"] == "/gd/calendar/2027/"
    assert CalendarYear.objects.get(year=2027).is_published is False
    assert CalendarDay.objects.filter(date__year=2027).count() == 365

    # and mark New Year's Day holidays and a Sunday worked
    holiday = client.post("/gd/calendar/2027/", {"kind": "holiday", "start": "2027-01-01", "end": "2027-01-03",
                                                 "name": "元旦"})
    makeup = client.post("/gd/calendar/2027/", {"kind": "makeup_workday", "start": "2027-02-07",
                                                "end": "2027-02-07", "name": "春节"})
    assert (holiday.status_code, makeup.status_code) == (302, 302)

    # and publish
    published = client.post("/gd/calendar/2027/", {"publish": "1"}, follow=True)
    assert "2027年日历已发布。" in _messages(published)

    # then 2027 is used: New Year off, Sunday Feb 7 worked
    assert CalendarYear.objects.get(year=2027).is_published is True
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert workdays.add_working_days(D(2026, 12, 28), 5) == D(2027, 1, 5)  # 12-29, 12-30, 12-31, 1-4, 1-5
    assert workdays.is_working_day(D(2027, 2, 7)) is True
    assert workdays.is_working_day(D(2027, 1, 1)) is False
    assert CalendarDay.objects.get(date=D(2027, 1, 2)).holiday_name == "元旦"

    # and every change left an audit event in Guangdong, by that officer
    events = AuditEvent.objects.filter(object_type="portal.calendaryear", object_id="2027").order_by("id")
    assert [(e.action, e.actor, e.province) for e in events] == [
        ("calendar_year_started", user, gd),
        ("calendar_days_marked", user, gd),
        ("calendar_days_marked", user, gd),
        ("calendar_year_published", user, gd),
    ]
    assert events[1].reason == "元旦"
    assert events[1].changes == {
        "2027-01-01": {"before": "workday", "after": "holiday"},
        "2027-01-02": {"before": "weekend", "after": "holiday"},
        "2027-01-03": {"before": "weekend", "after": "holiday"},
    }


def test_publishing_a_year_without_holidays_is_refused(login: Callable[[User], Client]) -> None:
    CalendarYearFactory(year=2027, with_days=True)
    client = login(officer("gd"))

    response = client.post("/gd/calendar/2027/", {"publish": "1"}, follow=True)

    assert "2027年尚未录入任何法定节假日，请核对后再发布。" in _messages(response)
    assert CalendarYear.objects.get(year=2027).is_published is False
    assert not AuditEvent.objects.filter(action="calendar_year_published").exists()


def test_marking_days_outside_the_year_is_a_field_error(login: Callable[[User], Client]) -> None:
    CalendarYearFactory(year=2027, with_days=True)
    client = login(officer("gd"))

    response = client.post("/gd/calendar/2027/", {"kind": "holiday", "start": "2026-12-31", "end": "2027-01-01",
                                                  "name": "元旦"})

    assert response.status_code == 200
    assert response.context["range_form"].errors == {"start": ["日期必须在2027年内。"]}
    assert CalendarDay.objects.get(date=D(2026, 12, 31)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).kind == DayKind.WORKDAY
    assert not AuditEvent.objects.filter(action="calendar_days_marked").exists()


def test_creating_an_existing_year_is_a_field_error(login: Callable[[User], Client]) -> None:
    response = login(officer("gd")).post("/gd/calendar/", {"year": 2026, "source": "重复录入"})

    assert response.status_code == 200
    assert response.context["year_form"].errors == {"year": ["2026年的日历已存在。"]}


def test_city_officer_cannot_enter_the_calendar(login: Callable[[User], Client]) -> None:
    response = login(officer("gd", city=True)).post("/gd/calendar/", {"year": 2027, "source": "越权"})

    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_working_days_api(login: Callable[[User], Client]) -> None:
    client = login(UserFactory())

    ok = client.get("/api/v1/calendar/working-days/", {"start": "2026-09-30", "n": 1})
    missing = client.get("/api/v1/calendar/working-days/", {"start": "2027-03-01", "n": 1})

    assert ok.json() == {"start": "2026-09-30", "n": 1, "result": "2026-10-08"}
    assert missing.status_code == 400
    assert missing.json()["code"] == "calendar_year_missing"
    assert "2027" in missing.json()["detail"]
