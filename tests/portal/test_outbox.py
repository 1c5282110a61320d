"""The task outbox: a task the broker refuses is kept in the database, and relayed once the broker answers."""

import time
import uuid
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from kombu import Connection
from kombu.utils.json import loads

from portal.celery import app
from portal.models import Notification, PendingTask, User
from portal.outbox import relay
from portal.tasks import deliver_notification

CLOSED_BROKER = "redis://127.0.0.1:9/0"  # port 9 (discard): nothing listens, the connection is refused at once
NOTIFY_KWARGS = {"title": "备案材料已受理", "body": "请留意审核进度。", "link": "/inbox", "province_id": None,
                 "email": False}


@pytest.fixture
def not_eager(settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _send_while_broker_is_down(recipient: User, **options: Any) -> Any:
    with Connection(CLOSED_BROKER, connect_timeout=0.5) as down:
        producer = app.amqp.Producer(down)
        return deliver_notification.apply_async(args=([recipient.pk],), kwargs=NOTIFY_KWARGS, producer=producer,
                                                retry=False, **options)


@pytest.mark.django_db
def test_a_task_the_broker_refuses_is_kept_with_its_arguments(not_eager: None) -> None:
    recipient = User.objects.create_user(username="outbox-recipient", password="x-unused-x")

    result = _send_while_broker_is_down(recipient, queue="notifications")

    kept = PendingTask.objects.get()
    assert (kept.task_id, kept.name) == (result.id, "portal.deliver_notification")
    payload = loads(kept.payload)
    assert (payload["args"], payload["kwargs"]) == ([[recipient.pk]], NOTIFY_KWARGS)
    assert payload["options"]["queue"] == "notifications"
    assert kept.last_error  # what the broker said, for the officer who looks at the outbox


@pytest.mark.django_db
def test_relay_sends_every_kept_task_once_in_order(not_eager: None) -> None:
    recipient = User.objects.create_user(username="outbox-relay", password="x-unused-x")
    queue = f"outbox-test-{uuid.uuid4().hex}"
    ids = [_send_while_broker_is_down(recipient, queue=queue).id for _ in range(3)]

    assert relay() == 3
    assert relay() == 0
    assert not PendingTask.objects.exists()
    with app.connection_for_read() as conn:
        simple = conn.SimpleQueue(queue)
        received = []
        while True:
            try:
                message = simple.get(timeout=0.2)
            except simple.Empty:
                break
            received.append(message.headers["id"])
            message.ack()
        simple.close()
    assert received == ids


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_kept_task_runs_on_a_real_worker_once_the_broker_is_back(not_eager: None) -> None:
    recipient = User.objects.create_user(username="outbox-worker", password="x-unused-x")
    queue = f"outbox-worker-{uuid.uuid4().hex}"
    _send_while_broker_is_down(recipient, queue=queue)
    assert PendingTask.objects.count() == 1

    conn_max_age = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[queue]):
            assert relay() == 1
            deadline = time.monotonic() + 30
            while not Notification.objects.filter(recipient=recipient).exists() and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        connections.settings["default"]["CONN_MAX_AGE"] = conn_max_age
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert not PendingTask.objects.exists()
