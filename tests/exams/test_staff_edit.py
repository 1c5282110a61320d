"""The organization's exam staff: a person is edited (name, certificate, on duty, qualifications; audited), the
session's picker shows each person's qualifications, and an assessor not qualified for the plan's levels is said so
on the row when picking, not only when filing the plan."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from certificates.models import StaffDuty
from portal.models import AuditEvent, User
from tests.factories import SIX_WORKING_DAYS, the_member
from tests.factories.exams import plan, session, shandong_filing, staff, venue

pytestmark = pytest.mark.django_db


def test_a_staff_member_is_edited_and_the_change_is_audited(login: Callable[[User], Client]) -> None:
    filing = shandong_filing(levels=(5, 4, 3))
    [person] = staff(filing, StaffDuty.ASSESSOR, 1, levels=(5,))
    client = login(the_member(filing))
    occupation = filing.occupations.get().occupation

    listing = client.get("/sd/exams/staff/").content.decode()
    assert f'href="/sd/exams/staff/{person.pk}/edit/"' in listing

    response = client.post(f"/sd/exams/staff/{person.pk}/edit/", {
        "name": "王考评", "certificate_number": "KP-2026-01", "is_active": "on",
        "occupation": occupation.pk, "levels": ["5", "4"]})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.certificate_number, person.is_active) == ("王考评", "KP-2026-01", True)
    assert [q.levels for q in person.qualifications.all()] == [[5, 4]]
    event = AuditEvent.objects.get(action="exam_staff_updated")
    assert set(event.changes) == {"name", "certificate_number", "qualifications"}


def test_an_assessor_cannot_lose_every_qualification(login: Callable[[User], Client]) -> None:
    filing = shandong_filing()
    [person] = staff(filing, StaffDuty.ASSESSOR, 1)
    occupation = filing.occupations.get().occupation

    response = login(the_member(filing)).post(f"/sd/exams/staff/{person.pk}/edit/", {
        "name": person.name, "certificate_number": "", "is_active": "on", "occupation": occupation.pk})

    assert response.status_code == 400
    assert "考评员须登记可考评的职业和等级。" in response.content.decode()
    assert person.qualifications.count() == 1


def test_another_organizations_staff_is_not_found(login: Callable[[User], Client]) -> None:
    [person] = staff(shandong_filing(), StaffDuty.INVIGILATOR, 1)
    other = shandong_filing()

    assert login(the_member(other)).get(f"/sd/exams/staff/{person.pk}/edit/").status_code == 404


def test_the_picker_shows_qualifications_and_flags_an_unqualified_assessor(login: Callable[[User], Client]) -> None:
    filing = shandong_filing(levels=(5, 4, 3))
    exam_plan = plan(filing, levels=(3,))
    practical = session(exam_plan, "practical", SIX_WORKING_DAYS, place=venue(filing))
    [qualified] = staff(filing, StaffDuty.ASSESSOR, 1, levels=(4, 3))
    [unqualified] = staff(filing, StaffDuty.ASSESSOR, 1, start=1, levels=(5,))
    occupation = filing.occupations.get().occupation.name

    html = login(the_member(filing)).get(f"/sd/exams/{exam_plan.pk}/").content.decode()

    labels = {pk: re.sub(r"\s+", " ", text).strip() for pk, text in re.findall(
        rf'<input type="checkbox" name="s{practical.pk}-staff" value="(\d+)"[^>]*>(.*?)</label>', html, re.S)}
    assert labels[str(qualified.pk)] == f"{qualified.name}（考评员） · {occupation}（四级/中级工、三级/高级工）"
    assert labels[str(unqualified.pk)] == (
        f"{unqualified.name}（考评员） · {occupation}（五级/初级工） · "
        f"⚠ 不具备{occupation}三级/高级工的考评资格，报备时将被拒绝")
