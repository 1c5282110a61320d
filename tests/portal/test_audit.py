"""Audit events: written by record_event, append-only, browsed and filtered by the provincial officer only."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.audit import diff, record_event, snapshot
from portal.models import AuditEvent, Province, User
from tests.factories import AuditEventFactory, InstitutionFactory, UserFactory, officer

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _listed(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [event.pk for event in response.context["object_list"]]


def test_record_event_writes_every_field() -> None:
    # given an officer changing an institution
    actor = UserFactory()
    institution = InstitutionFactory(province="gd", name="广州测试评价中心")
    gd = Province.objects.get(slug="gd")

    # when the change is recorded at a known moment
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI), tick=False):
        event = record_event(
            actor=actor, action="institution_updated", obj=institution, province=gd,
            from_state="draft", to_state="submitted", reason="材料已补齐",
            changes={"registered_capital": {"before": Decimal("100.00"), "after": Decimal("200.50")},
                     "founded": dt.date(2020, 5, 1)},
            ip_address="10.0.0.8",
        )

    # then every part is stored, with values made JSON-safe
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == actor
    assert stored.at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    assert stored.province == gd
    assert (stored.object_type, stored.object_id, stored.object_repr) == (
        "portal.institution", str(institution.pk), "广州测试评价中心"
    )
    assert (stored.action, stored.from_state, stored.to_state, stored.reason) == (
        "institution_updated", "draft", "submitted", "材料已补齐"
    )
    assert stored.changes == {
        "registered_capital": {"before": "100.00", "after": "200.50"},
        "founded": "2020-05-01",
    }
    assert stored.ip_address == "10.0.0.8"


def test_record_event_without_a_person_is_by_the_system() -> None:
    from django.contrib.auth.models import AnonymousUser

    institution = InstitutionFactory()

    by_nobody = record_event(actor=None, action="sweep", obj=institution, province=institution.province)
    by_anonymous = record_event(actor=AnonymousUser(), action="sweep", obj=institution,  # type: ignore[arg-type]
                                province=institution.province)

    assert (by_nobody.actor, by_anonymous.actor) == (None, None)


def test_snapshot_and_diff_give_before_and_after_of_changed_fields() -> None:
    institution = InstitutionFactory(name="旧名称", contact_person="李华")
    before = snapshot(institution, ["name", "contact_person", "province"])
    institution.name = "新名称"
    after = snapshot(institution, ["name", "contact_person", "province"])

    assert before["province"] == institution.province.pk
    assert diff(before, after) == {"name": {"before": "旧名称", "after": "新名称"}}


def test_audit_event_cannot_be_changed() -> None:
    event = AuditEventFactory(reason="原因")
    event.reason = "篡改"

    with pytest.raises(PermissionDenied):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


def test_audit_event_cannot_be_deleted() -> None:
    event = AuditEventFactory()

    with pytest.raises(PermissionDenied):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_provincial_officer_sees_only_the_events_of_their_province(login: Callable[[User], Client]) -> None:
    # given events in Guangdong and in Shandong
    mine = [AuditEventFactory(province="gd"), AuditEventFactory(province="gd")]
    AuditEventFactory(province="sd", object_repr="山东的对象")

    # when the Guangdong officer opens the audit list
    response = login(officer("gd")).get("/gd/audit/")

    # then only Guangdong's events are listed, newest first
    assert response.status_code == 200
    assert _listed(response) == [mine[1].pk, mine[0].pk]
    assert "山东的对象" not in response.content.decode()


def test_audit_list_filters_by_action_actor_and_date(login: Callable[[User], Client]) -> None:
    # given events of two actions, two actors and three days
    zhang = UserFactory(username="zhang", display_name="张三")
    li = UserFactory(username="li", display_name="李四")
    march_1 = AuditEventFactory(actor=zhang, action="submitted", at=dt.datetime(2026, 3, 1, 10, tzinfo=SHANGHAI))
    march_2 = AuditEventFactory(actor=li, action="submitted", at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI))
    march_3 = AuditEventFactory(actor=zhang, action="returned", at=dt.datetime(2026, 3, 3, 0, 15, tzinfo=SHANGHAI))
    client = login(officer("gd"))

    # then each filter keeps exactly the matching events
    assert _listed(client.get("/gd/audit/", {"action": "submitted"})) == [march_2.pk, march_1.pk]
    assert _listed(client.get("/gd/audit/", {"actor": "zhang"})) == [march_3.pk, march_1.pk]
    assert _listed(client.get("/gd/audit/", {"actor": "李四"})) == [march_2.pk]
    # dates are days in China's time zone: 23:30 on March 2 is March 2, not March 2 UTC's successor
    assert _listed(client.get("/gd/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-02"})) == [march_2.pk]
    assert _listed(client.get("/gd/audit/", {"date_from": "2026-03-02"})) == [march_3.pk, march_2.pk]
    assert _listed(client.get("/gd/audit/", {"action": "submitted", "actor": "zhang"})) == [march_1.pk]


def test_audit_detail_shows_the_event(login: Callable[[User], Client]) -> None:
    event = AuditEventFactory(province="gd", reason="材料不全，退回补正")

    response = login(officer("gd")).get(f"/gd/audit/{event.pk}/")

    assert response.status_code == 200
    assert response.context["event"] == event
    assert "材料不全，退回补正" in response.content.decode()


def test_city_officer_is_refused_the_audit_list(login: Callable[[User], Client]) -> None:
    AuditEventFactory(province="gd")

    response = login(officer("gd", city=True)).get("/gd/audit/")

    assert response.status_code == 403


def test_audit_list_query_count_does_not_grow_with_rows(
    login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    # given the page measured with one event
    client = login(officer("gd"))
    AuditEventFactory(province="gd")
    client.get("/gd/audit/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one_row:
        client.get("/gd/audit/")

    # when there are thirty events by thirty people
    AuditEventFactory.create_batch(29, province="gd")

    # then the page needs no more queries than with one
    with django_assert_max_num_queries(len(one_row.captured_queries)):  # type: ignore[operator]
        response = client.get("/gd/audit/")
    assert len(response.context["object_list"]) == 30


def test_admin_cannot_add_change_or_delete_audit_events() -> None:
    # given a superuser in the admin
    admin_user = UserFactory(superuser=True)
    event = AuditEventFactory()
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = admin_site._registry[AuditEvent]

    # then the admin grants no write permission, even to a superuser
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False

    # and the admin pages refuse the writes
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/portal/auditevent/").status_code == 200
    assert client.get("/admin/portal/auditevent/add/").status_code == 403
    assert client.post(f"/admin/portal/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/portal/auditevent/{event.pk}/change/", {"reason": "篡改"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == event.reason
