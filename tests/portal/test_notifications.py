"""Notifications: created and mailed only after the transaction commits; each person's inbox."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from portal.models import Notification, Province, User
from portal.notifications import notify
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_notify_waits_for_commit_then_creates_and_mails(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    # given two recipients, one without an email address
    with_mail = UserFactory(email="officer@example.cn")
    without_mail = UserFactory(email="")
    gd = Province.objects.get(slug="gd")

    # when a service notifies them inside its transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[attr-defined]
        with transaction.atomic():
            notify([with_mail, without_mail], title="申请已提交", body="请审核。", link="/gd/", province=gd)
            # then nothing exists before the commit
            assert Notification.objects.count() == 0
            assert mail.outbox == []

    # then after the commit each has a notification and the one with an address got a mail
    assert len(callbacks) == 1
    assert sorted(Notification.objects.values_list("recipient__username", "title", "body", "link", "province__slug")) == sorted([
        (with_mail.username, "申请已提交", "请审核。", "/gd/", "gd"),
        (without_mail.username, "申请已提交", "请审核。", "/gd/", "gd"),
    ])
    assert [(m.to, m.subject) for m in mail.outbox] == [(["officer@example.cn"], "申请已提交")]
    assert mail.outbox[0].body == "请审核。\n\n/gd/"


def test_notify_in_a_rolled_back_transaction_does_nothing(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    recipient = UserFactory(email="officer@example.cn")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[attr-defined]
        with pytest.raises(Rollback), transaction.atomic():
            notify([recipient], title="不会发送")
            raise Rollback

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_notify_skips_inactive_users_and_duplicates(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    active = UserFactory()
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        notify([active, active, inactive, None], title="一次", email=False)  # type: ignore[list-item]

    assert list(Notification.objects.values_list("recipient", flat=True)) == [active.pk]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_notify_after_a_real_commit(reference_data: None) -> None:
    # a real transaction (not the test's wrapping one): on_commit fires when the outer block commits
    recipient = UserFactory(email="real@example.cn")

    with transaction.atomic():
        notify([recipient], title="真实提交")
        assert Notification.objects.count() == 0

    assert Notification.objects.get().title == "真实提交"
    assert [m.to for m in mail.outbox] == [["real@example.cn"]]


def test_inbox_lists_only_my_notifications(login: Callable[[User], Client]) -> None:
    me = UserFactory()
    mine = NotificationFactory(recipient=me, title="我的消息")
    NotificationFactory(title="别人的消息")

    response = login(me).get("/inbox/")

    assert response.status_code == 200
    assert list(response.context["notifications"]) == [mine]
    assert "我的消息" in response.content.decode()
    assert "别人的消息" not in response.content.decode()


def test_marking_read_works_for_the_recipient(login: Callable[[User], Client]) -> None:
    me = UserFactory()
    notification = NotificationFactory(recipient=me, link="/gd/")

    response = login(me).post(f"/inbox/{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == "/gd/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_someone_elses_notification_is_404(login: Callable[[User], Client]) -> None:
    theirs = NotificationFactory()

    response = login(UserFactory()).post(f"/inbox/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_does_not_redirect_off_site(login: Callable[[User], Client]) -> None:
    me = UserFactory()
    notification = NotificationFactory(recipient=me, link="https://evil.example.com/")

    response = login(me).post(f"/inbox/{notification.pk}/read/")

    assert response["Location"] == "/inbox/"


def test_mark_all_read_touches_only_mine(login: Callable[[User], Client]) -> None:
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    theirs = NotificationFactory()

    login(me).post("/inbox/read-all/")

    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_query_count_does_not_grow_with_rows(
    login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    me = UserFactory()
    client = login(me)
    NotificationFactory(recipient=me, province="gd")
    client.get("/inbox/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_row:
        client.get("/inbox/")
    NotificationFactory.create_batch(15, recipient=me, province="sd")
    NotificationFactory.create_batch(14, recipient=me, province="gz")

    with django_assert_max_num_queries(len(one_row.captured_queries)):  # type: ignore[operator]
        response = client.get("/inbox/")
    assert len(response.context["notifications"]) == 30
