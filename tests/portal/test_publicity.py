"""Publicity notices (公示) in the core: the period on the working-day calendar, the public page and objection form
without login, the rate limit, resolution by an officer, the kind's handlers and the idempotent end-of-period sweep."""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal import publicity
from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent, NoticeState, Objection, ObjectionState, Province
from tests.factories import MembershipFactory, ObjectionFactory, PublicityItemFactory, PublicityNoticeFactory, officer

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
KIND = "tests.publicity"


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[tuple[str, Any]]]:
    """A kind whose handlers record what they are told; the cache (rate limit) starts empty."""
    cache.clear()
    recorded: list[tuple[str, Any]] = []
    publicity.register_kind(
        KIND,
        on_item_withdrawn=lambda item, *, reason, acting_user: recorded.append(("withdrawn", (item.title, reason))),
        on_notice_ended=lambda notice, items, *, acting_user: recorded.append(
            ("passed", sorted(i.title for i in items))),
    )
    yield recorded
    cache.clear()


def _notice(**kwargs: Any) -> Any:
    notice = PublicityNoticeFactory(kind=KIND, **kwargs)
    for title in ("甲机构", "乙机构"):
        PublicityItemFactory(notice=notice, title=title)
    return notice


def test_publishing_computes_the_period_on_the_calendar() -> None:
    user = officer("gd")
    with time_machine.travel(dt.datetime(2026, 6, 18, 15, 0, tzinfo=SHANGHAI), tick=False):
        notice = publicity.publish_notice(
            Province.objects.get(slug="gd"), kind=KIND, title="测试公示", body="现予公示。", working_days=5,
            items=[publicity.ItemSpec("tests.object", "1", "甲机构", "广州市")], acting_user=user)

    # Thursday 18 June 2026; 19 June is the Dragon Boat Festival: 22, 23, 24, 25, 26 June
    assert (notice.starts_on, notice.ends_on) == (dt.date(2026, 6, 22), dt.date(2026, 6, 26))
    assert AuditEvent.objects.get(action="publicity_published").changes["period"]["after"] == "2026-06-22—2026-06-26"


def test_an_unregistered_kind_cannot_publish() -> None:
    with pytest.raises(DomainError) as refused:
        publicity.publish_notice(Province.objects.get(slug="gd"), kind="nobody", title="x", body="", working_days=5,
                                 items=[publicity.ItemSpec("x", "1", "x")], acting_user=officer("gd"))

    assert refused.value.code == "publicity_kind_unknown"


def test_the_public_reads_and_objects_without_logging_in(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    notice = _notice()
    item = notice.items.get(title="乙机构")
    client = Client()

    with django_assert_max_num_queries(6):
        listing = client.get(reverse("public_notices", kwargs={"province": "gd"}))
    page = client.get(reverse("public_notice", kwargs={"province": "gd", "pk": notice.pk}))
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%evidence\n", content_type="application/pdf")
    response = client.post(reverse("public_notice", kwargs={"province": "gd", "pk": notice.pk}), {
        "item": item.pk, "name": "王五", "contact": "13900002222", "text": "该机构场地面积不足200平方米。",
        "attachment": upload}, follow=True)

    assert listing.status_code == 200 and notice.title in listing.content.decode()
    assert page.status_code == 200 and 'id="objection-form"' in page.content.decode()
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.item, objection.name, objection.state, objection.attachment_content_type) == (
        item, "王五", ObjectionState.OPEN, "application/pdf")
    assert len(objection.ip_hash) == 64 and "127.0.0.1" not in objection.ip_hash


def test_objections_are_rate_limited_per_address() -> None:
    notice = _notice()
    item = notice.items.first()
    for n in range(publicity.OBJECTION_RATE_LIMIT):
        publicity.file_objection(notice, item=item, name="赵六", contact="x", text=f"第{n}条", ip="198.51.100.7")

    with pytest.raises(publicity.RateLimited) as limited:
        publicity.file_objection(notice, item=item, name="赵六", contact="x", text="再来一条", ip="198.51.100.7")
    other_address = publicity.file_objection(notice, item=item, name="钱七", contact="y", text="另一来源",
                                             ip="198.51.100.8")

    assert limited.value.status == 429
    assert str(limited.value) == "提交过于频繁：同一来源每小时最多提交5条异议，请稍后再试。"
    assert other_address.pk is not None
    assert Objection.objects.count() == publicity.OBJECTION_RATE_LIMIT + 1


def test_the_public_form_answers_429_when_limited() -> None:
    notice = _notice()
    item = notice.items.first()
    url = reverse("public_notice", kwargs={"province": "gd", "pk": notice.pk})
    data = {"item": item.pk, "name": "孙八", "contact": "z", "text": "异议"}
    for _ in range(publicity.OBJECTION_RATE_LIMIT):
        Client().post(url, data)

    response = Client().post(url, data)

    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()


def test_a_closed_period_or_a_withdrawn_item_takes_no_objection() -> None:
    notice = _notice(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 9))
    item = notice.items.first()

    with time_machine.travel(dt.datetime(2026, 1, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(DomainError) as closed:
            publicity.file_objection(notice, item=item, name="a", contact="b", text="c", ip="1.2.3.4")
    assert (closed.value.code, str(closed.value)) == ("publicity_closed", "该公示已于2026-01-09期满，不再受理异议。")

    open_notice = _notice()
    withdrawn = open_notice.items.first()
    withdrawn.withdrawn_at = open_notice.published_at
    withdrawn.save()
    with pytest.raises(DomainError) as gone:
        publicity.file_objection(open_notice, item=withdrawn, name="a", contact="b", text="c", ip="1.2.3.4")
    assert gone.value.code == "publicity_item_withdrawn"


def test_an_attachment_that_is_not_an_allowed_type_is_refused() -> None:
    notice = _notice()
    fake = SimpleUploadedFile("证明.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")

    with pytest.raises(DomainError) as refused:
        publicity.file_objection(notice, item=notice.items.first(), name="a", contact="b", text="c", ip="1.2.3.4",
                                 attachment=fake)

    assert refused.value.code == "upload_type"
    assert not Objection.objects.exists()


def test_upholding_withdraws_the_item_and_tells_its_app(calls: list[tuple[str, Any]]) -> None:
    notice = _notice()
    objection = ObjectionFactory(item=notice.items.get(title="甲机构"))
    user = officer("gd")

    publicity.resolve_objection(objection, acting_user=user, upheld=True, resolution="经核实情况属实")
    with pytest.raises(ConflictError) as again:
        publicity.resolve_objection(objection, acting_user=user, upheld=False, resolution="重复处理")

    objection.refresh_from_db()
    item = objection.item
    item.refresh_from_db()
    assert (objection.state, objection.resolution, objection.resolved_by) == ("upheld", "经核实情况属实", user)
    assert (item.is_withdrawn, item.withdrawn_reason) == (True, "经核实情况属实")
    assert calls == [("withdrawn", ("甲机构", "经核实情况属实"))]
    assert again.value.code == "objection_already_resolved"


def test_only_a_provincial_officer_of_the_province_resolves() -> None:
    objection = ObjectionFactory(item=_notice().items.first())
    city_officer = MembershipFactory(province="gd", city_officer=True).user

    with pytest.raises(DomainError) as refused:
        publicity.resolve_objection(objection, acting_user=city_officer, upheld=False, resolution="不成立")
    with pytest.raises(DomainError) as no_reason:
        publicity.resolve_objection(objection, acting_user=officer("gd"), upheld=False, resolution=" ")

    assert (refused.value.code, no_reason.value.code) == ("not_permitted", "reason_required")


def test_the_sweep_ends_only_due_notices_and_holds_items_with_open_objections(calls: list[tuple[str, Any]]) -> None:
    # given a notice that ended on Friday 5 June, one ending on Monday 8 June, and one already ended
    due = _notice(starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 5))
    later = _notice(starts_on=dt.date(2026, 6, 2), ends_on=dt.date(2026, 6, 8))
    PublicityNoticeFactory(kind=KIND, ended=True, ends_on=dt.date(2026, 5, 1))
    held = ObjectionFactory(item=due.items.get(title="乙机构"))

    # when the sweep runs on Saturday 6 June, twice
    first = publicity.end_due_notices(dt.date(2026, 6, 6))
    second = publicity.end_due_notices(dt.date(2026, 6, 6))

    # then only the due notice ended, once; the item with an open objection is held back
    due.refresh_from_db()
    later.refresh_from_db()
    assert (first, second) == (1, 0)
    assert (due.state, later.state) == (NoticeState.ENDED, NoticeState.OPEN)
    assert calls == [("passed", ["甲机构"])]
    event = AuditEvent.objects.get(action="publicity_period_ended")
    assert (event.actor, event.changes["held_by_open_objections"]["after"]) == (None, ["乙机构"])

    # when the open objection is dismissed after the end, the held item passes
    publicity.resolve_objection(held, acting_user=officer("gd"), upheld=False, resolution="反映情况与事实不符")
    assert calls == [("passed", ["甲机构"]), ("passed", ["乙机构"])]


def test_officer_pages_list_open_objections_and_resolve_them(login: Callable[..., Client],
                                                              django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    notice = _notice()
    objection = ObjectionFactory(item=notice.items.first(), with_attachment=True)
    user = officer("gd")
    client = login(user)

    with django_assert_max_num_queries(15):
        listing = client.get(reverse("publicity_manage", kwargs={"province": "gd"}))
    detail = client.get(reverse("publicity_manage_notice", kwargs={"province": "gd", "pk": notice.pk}))
    attachment = client.get(reverse("publicity_objection_attachment", kwargs={"province": "gd", "pk": objection.pk}))
    client.post(reverse("publicity_objection", kwargs={"province": "gd", "pk": objection.pk}),
                {"decision": "dismissed", "resolution": "举报内容无事实依据"})

    assert listing.status_code == 200 and objection.name in listing.content.decode()
    assert detail.status_code == 200
    assert attachment.status_code == 200 and b"".join(attachment.streaming_content).startswith(b"%PDF")
    objection.refresh_from_db()
    assert (objection.state, objection.resolution) == ("dismissed", "举报内容无事实依据")


def test_the_public_api_lists_notices_and_takes_objections() -> None:
    notice = _notice()
    item = notice.items.first()
    client = Client()

    listing = client.get(reverse("api_public_notices", kwargs={"province": "gd"}))
    detail = client.get(reverse("api_public_notice", kwargs={"province": "gd", "pk": notice.pk}))
    filed = client.post(reverse("api_public_objection", kwargs={"province": "gd", "pk": notice.pk}),
                        {"item": item.pk, "name": "周九", "contact": "13700003333", "text": "材料造假"},
                        content_type="application/json")
    other_province = client.get(reverse("api_public_notice", kwargs={"province": "sd", "pk": notice.pk}))

    assert listing.status_code == 200 and listing.json()["results"][0]["id"] == notice.pk
    assert [i["title"] for i in detail.json()["items"]] == ["甲机构", "乙机构"]
    assert filed.status_code == 201 and filed.json()["state"] == "open"
    assert other_province.status_code == 404


def test_the_officer_api_resolves_with_stable_error_codes() -> None:
    from tests.factories import TokenFactory

    objection = ObjectionFactory(item=_notice().items.first())
    token = TokenFactory(user=officer("gd"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api_objection_resolve", kwargs={"province": "gd", "pk": objection.pk})

    missing = client.post(url, {"upheld": False, "resolution": " "}, content_type="application/json")
    done = client.post(url, {"upheld": False, "resolution": "不成立"}, content_type="application/json")
    again = client.post(url, {"upheld": True, "resolution": "成立"}, content_type="application/json")

    assert (missing.status_code, missing.json()["code"]) == (400, "invalid")
    assert (done.status_code, done.json()["state"]) == (200, "dismissed")
    assert (again.status_code, again.json()["code"]) == (409, "objection_already_resolved")


def test_a_notice_says_when_its_period_begins_before_it_does() -> None:
    # given a notice published today whose period starts tomorrow, and one running, and one over
    today = dt.date(2026, 9, 7)
    with time_machine.travel(dt.datetime(2026, 9, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        later = PublicityNoticeFactory(starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=7))
        running = PublicityNoticeFactory(starts_on=today, ends_on=today + dt.timedelta(days=6))
        ended = PublicityNoticeFactory(starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=2),
                                       ended=True)

        # when the public reads them
        page = Client().get(f"/publicity/gd/{later.pk}/").content.decode()
        listed = Client().get("/publicity/gd/").content.decode()

    # then the first is announced as to come (not "in publicity"), with its first day
    assert '<strong id="notice-state">待公示，将于2026-09-08开始</strong>' in page
    assert "待公示，将于2026-09-08开始" in listed
    assert [n.phase_label(today) for n in (later, running, ended)] == ["待公示，将于2026-09-08开始", "公示中", "公示期已满"]
