"""The real services of the second pass: PostgreSQL is the database, and a Celery worker on Redis runs tasks."""

import os
import time
import uuid
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, connections
from django.test import Client

from portal.celery import app
from portal.models import Notification, User
from portal.tasks import deliver_notification

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def not_eager(settings: Any) -> None:
    """Tasks go through the broker, as in production (test settings run them in-process).

    The Celery app reads Django's settings live, so the `settings` fixture is enough and is undone after the test;
    writing app.conf instead would pin the value for every later test.
    """
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert app.conf.task_always_eager is False


@pytest.mark.django_db
def test_database_is_postgresql() -> None:
    assert os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


def test_broker_is_the_redis_of_the_environment() -> None:
    assert app.conf.broker_url == os.environ["CELERY_BROKER_URL"]
    assert app.conf.broker_url.startswith("redis://")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_notification(not_eager: None) -> None:
    recipient = User.objects.create_user(username="worker-recipient", password="x-unused-x")
    # The worker thread opens its own connection; closing it after each task lets the test database be dropped.
    conn_max_age = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    try:
        # A queue of its own, so that the worker takes only this task, whatever else a run left on the broker.
        queue = f"infra-test-{uuid.uuid4().hex}"
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[queue]):
            result = deliver_notification.apply_async(
                args=([recipient.pk],),
                kwargs={"title": "备案材料已受理", "body": "请留意审核进度。", "link": "/inbox", "province_id": None,
                        "email": False},
                queue=queue,
            )
            deadline = time.monotonic() + 30
            while not Notification.objects.filter(recipient=recipient).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        connections.settings["default"]["CONN_MAX_AGE"] = conn_max_age

    assert result.id
    notification = Notification.objects.get(recipient=recipient)
    assert notification.title == "备案材料已受理"
    assert notification.body == "请留意审核进度。"
    assert notification.link == "/inbox"
    assert notification.province_id is None


@pytest.mark.django_db
def test_healthz_reports_postgresql_and_redis(client: Client, not_eager: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "vendor": "postgresql"},
        "broker": {"ok": True, "transport": "redis"},
    }
