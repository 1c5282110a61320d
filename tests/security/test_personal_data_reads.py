"""Reads of personal data: a page showing full identity numbers and an evidence download each record one audit event
per read; the API shows identity numbers masked."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from stdnum.cn import ric

from certificates import services
from certificates.models import CertificateChange, ExamPlan
from portal.identifiers import mask_id_number
from portal.models import AuditEvent, User
from tests.factories import (
    FilingFactory,
    ObjectionFactory,
    PublicityItemFactory,
    PublicityNoticeFactory,
    a_certificate,
    approved_plan,
    city_officer_of,
    officer,
    the_member,
)
from tests.selection.test_access import _assigned

pytestmark = pytest.mark.django_db


def reads(obj: Any, what: str | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action="personal_data_viewed", object_id=str(obj.pk),
                                       object_type=obj._meta.label_lower)
    return [e for e in events if what is None or e.changes["personal_data"].startswith(what)]


def another_valid_id(current: str) -> str:
    """A valid resident identity number that differs from `current`."""
    for serial in range(100, 200):
        body = f"44010619900307{serial:03d}"
        number = body + ric.calc_check_digit(body + "0")  # the check digit of the first 17
        if number != current:
            return number
    raise AssertionError("unreachable")


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_roster_page_shows_the_organization_full_numbers_once_audited_per_read(
        login: Callable[..., Client]) -> None:
    # given a plan with a roster of 3
    filing = FilingFactory(province="gd")
    plan = approved_plan(filing, candidates=3)
    numbers = list(plan.candidates.values_list("id_number", flat=True))
    ExamPlan.objects.filter(pk=plan.pk).update(version=1)  # filed once: the city supervising it may read it
    member, city = the_member(filing), city_officer_of(filing)

    # when its organization opens the roster twice, then the full numbers are shown and each read is one event
    for _ in range(2):
        page = login(member).get(f"/gd/exams/{plan.pk}/roster/").content.decode()
        assert all(number in page for number in numbers)
    events = reads(plan)
    assert len(events) == 2
    assert {e.actor for e in events} == {member}
    assert events[0].changes == {"personal_data": "roster_full_id_numbers:3"}

    # when the supervising city opens it, then it sees masked numbers only, and no read is recorded
    seen = login(city).get(f"/gd/exams/{plan.pk}/roster/").content.decode()
    assert not any(number in seen for number in numbers)
    assert mask_id_number(numbers[0]) in seen
    assert len(reads(plan)) == 2


def test_the_roster_api_shows_masked_numbers() -> None:
    filing = FilingFactory(province="gd")
    plan = approved_plan(filing, candidates=2)
    numbers = list(plan.candidates.values_list("id_number", flat=True))

    roster = api_as(the_member(filing)).get(f"/api/v1/gd/exams/plans/{plan.pk}/roster/")

    assert roster.status_code == 200
    body = roster.content.decode()
    assert not any(number in body for number in numbers)
    assert mask_id_number(numbers[0]) in body
    assert reads(plan) == []


def test_a_correction_of_the_id_number_is_audited_each_time_its_page_shows_it(login: Callable[..., Client]) -> None:
    # given a correction of a certificate's ID number, and one of the name only
    certificate = a_certificate("gd")
    member = the_member(certificate.filing)
    new_number = another_valid_id(certificate.id_number)
    id_change = services.request_correction(certificate, acting_user=member, corrections={"id_number": new_number},
                                            reason="号码有误")
    officer = city_officer_of(certificate.filing)

    # when the approver opens it, then both full numbers are shown and the read is one event naming the change
    page = login(officer).get(f"/gd/certificates/changes/{id_change.pk}/").content.decode()
    assert new_number in page and certificate.id_number in page
    (event,) = reads(id_change)
    assert event.actor == officer
    assert event.changes == {"personal_data": "corrected_id_number"}
    assert event.province == certificate.province

    # a change without an ID number shows none and records no read
    services.withdraw_change(id_change, acting_user=member)
    name_change = services.request_correction(certificate, acting_user=member, corrections={"holder_name": "新名"},
                                              reason="姓名有误")
    login(officer).get(f"/gd/certificates/changes/{name_change.pk}/")
    assert reads(name_change) == []


def test_the_change_api_masks_a_new_id_number() -> None:
    certificate = a_certificate("gd")
    member = the_member(certificate.filing)
    new_number = another_valid_id(certificate.id_number)

    asked = api_as(member).post(f"/api/v1/gd/certificates/{certificate.pk}/correction/",
                                {"id_number": new_number, "reason": "号码有误"}, format="json")

    assert asked.status_code == 201, asked.content
    assert asked.json()["corrections"] == {"id_number": mask_id_number(new_number)}
    assert new_number not in asked.content.decode()
    change = CertificateChange.objects.get()
    assert change.corrections == {"id_number": new_number}  # stored in full, for the approver's audited page


def test_evidence_downloads_are_audited_once_per_read(login: Callable[..., Client]) -> None:
    # given an expert's sheet with a material of its application, and an objection with an attachment
    sheet, evidence = _assigned()
    notice = PublicityNoticeFactory(kind="tests.hostile")
    objection = ObjectionFactory(item=PublicityItemFactory(notice=notice, title="甲机构"), with_attachment=True)
    expert, provincial = login(sheet.expert.user), login(officer("gd"))
    evidence_url = reverse("selection:sheet_evidence", kwargs={"province": "gd", "pk": sheet.pk,
                                                               "evidence_pk": evidence.pk})
    attachment_url = reverse("publicity_objection_attachment", kwargs={"province": "gd", "pk": objection.pk})

    # when each is downloaded twice
    for _ in range(2):
        assert expert.get(evidence_url).status_code == 200
        assert provincial.get(attachment_url).status_code == 200

    # then each read is one event naming the reader
    downloads = AuditEvent.objects.filter(action="evidence_downloaded", object_id=str(evidence.application_id))
    assert [e.actor for e in downloads] == [sheet.expert.user] * 2
    assert AuditEvent.objects.filter(action="objection_attachment_downloaded", object_id=str(objection.pk)).count() == 2
