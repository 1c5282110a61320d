"""The core every app shares: role checks, the client's address behind trusted proxies, rate limits, error bodies,
the COPY encoder and the sweep."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from rest_framework.test import APIRequestFactory

from portal import ratelimit
from portal.api.errors import exception_handler
from portal.api.schema import error_responses
from portal.copy import copy_field, copy_text
from portal.errors import ConflictError, DomainError, NotPermitted, RateLimited
from portal.models import City, Membership, Role, User
from portal.roles import has_role, require_role, users_with_role
from portal.sweeps import sweep
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_is_the_remote_address_without_trusted_proxies():
    assert ratelimit.client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_client_ip_reads_forwarded_for_only_from_a_trusted_proxy():
    # Behind the proxy: the nearest untrusted hop, not whatever the client put first in the header.
    assert ratelimit.client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.9, 10.0.0.5")) == "198.51.100.9"
    # Straight from the internet: the header is the client's own word and is ignored.
    assert ratelimit.client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    # A garbage hop falls back to the proxy's own address.
    assert ratelimit.client_ip(_request("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    # Every hop ours: the first one.
    assert ratelimit.client_ip(_request("10.0.0.2", "10.1.1.1, 10.0.0.3")) == "10.1.1.1"


def test_enforce_counts_per_key_and_refuses_past_the_limit():
    cache.clear()
    for n in (1, 2):
        assert ratelimit.enforce("test", "a", limit=2, window=60, message="稍后再试") == n
    with pytest.raises(RateLimited) as refused:
        ratelimit.enforce("test", "a", limit=2, window=60, message="稍后再试")
    assert (refused.value.code, refused.value.status, str(refused.value)) == ("rate_limited", 429, "稍后再试")
    assert ratelimit.enforce("test", "b", limit=2, window=60, message="x") == 1


@pytest.mark.django_db
def test_role_checks_honour_the_binding(gd):
    canton, shenzhen = City.objects.get(code="4401"), City.objects.get(code="4403")
    officer = UserFactory()
    MembershipFactory(user=officer, province=gd, role=Role.CITY_OFFICER, city=canton)
    institution = InstitutionFactory(province=gd)
    member = UserFactory()
    MembershipFactory(user=member, province=gd, role=Role.INSTITUTION_MEMBER, institution=institution)

    assert has_role(officer, gd, Role.CITY_OFFICER, city=canton)
    assert not has_role(officer, gd, Role.CITY_OFFICER, city=shenzhen)
    assert has_role(officer, gd, Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
    assert not has_role(member, gd, Role.CITY_OFFICER)
    require_role(member, gd, Role.INSTITUTION_MEMBER, institution=institution)
    with pytest.raises(NotPermitted) as refused:
        require_role(officer, gd, Role.CITY_OFFICER, city=shenzhen, message="只有深圳的经办人员可以办理。")
    assert str(refused.value) == "只有深圳的经办人员可以办理。"
    assert users_with_role(gd, Role.CITY_OFFICER, city=canton) == [officer]
    assert users_with_role(gd, Role.CITY_OFFICER, city=shenzhen) == []
    Membership.objects.filter(user=officer).update(is_active=False)
    assert not has_role(officer, gd, Role.CITY_OFFICER, city=canton)


def test_the_api_body_carries_the_code_the_message_and_the_extra_details():
    request = APIRequestFactory().get("/")
    response = exception_handler(DomainError("计划不能备案。", code="plan_refused", problems=["场次不足"]), {})
    assert response is not None
    assert (response.status_code, response.data) == (
        400, {"code": "plan_refused", "detail": "计划不能备案。", "problems": ["场次不足"]})
    conflict = exception_handler(ConflictError("已被他人处理。"), {"request": request})
    assert conflict is not None
    assert (conflict.status_code, conflict.data) == (409, {"code": "conflict", "detail": "已被他人处理。"})
    custom = exception_handler(DomainError("太多了", code="too_many", status=429), {})
    assert custom is not None and custom.status_code == 429


def test_error_responses_name_every_code_under_its_status():
    documented = error_responses("b_code", "a_code", status=409)
    assert list(documented) == [409]
    assert "`a_code`, `b_code`" in documented[409].description


def test_copy_field_escapes_what_copy_text_format_needs():
    assert copy_field(None) == r"\N"
    assert copy_field(True) == "t"
    assert copy_field(7) == "7"
    assert copy_field("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copy_text("甲\t乙\n丙\\") == "甲 乙 丙\\\\"


@pytest.mark.django_db
def test_sweep_walks_every_due_id_in_batches_and_counts_what_acted():
    events = [UserFactory(username=f"sweep-{i}") for i in range(7)]
    seen: list[int] = []

    def act(pk: int) -> bool:
        seen.append(pk)
        return pk % 2 == 0

    due = User.objects.filter(username__startswith="sweep-")
    with CaptureQueries() as queries:
        result = sweep(due, act, batch_size=3)
    assert seen == sorted(e.pk for e in events)
    assert (result.seen, result.acted) == (7, sum(1 for e in events if e.pk % 2 == 0))
    assert len(queries) == 4  # three full-or-partial batches and the empty one that ends the walk


class CaptureQueries:
    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self._context = CaptureQueriesContext(connection)
        self._context.__enter__()
        return self._context

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)


REDIS_DOWN = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:9/0", "OPTIONS": {"socket_connect_timeout": 0.2}}}


def test_a_rate_limit_fails_open_when_its_cache_is_down_by_default():
    with override_settings(CACHES=REDIS_DOWN):  # Django's test signals reconnect the caches to the new setting
        assert ratelimit.enforce("test", "down", limit=1, window=60, message="x") == 0
        with override_settings(RATE_LIMIT_FAIL_OPEN=False), pytest.raises(RateLimited) as refused:
            ratelimit.enforce("test", "down", limit=1, window=60, message="x")
        assert (refused.value.code, refused.value.status) == ("service_unavailable", 503)
