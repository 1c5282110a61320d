"""The API's own pages and entry points: schema, docs without external assets, token authentication, /me/."""

import re
from collections.abc import Callable

import pytest
import yaml
from django.test import Client

from portal.models import User
from tests.factories import (
    AuditEventFactory,
    MembershipFactory,
    OccupationFactory,
    TokenFactory,
    UserFactory,
    WorkTypeFactory,
)

pytestmark = pytest.mark.django_db


def test_schema_is_openapi() -> None:
    response = Client().get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/{province}/audit-events/{id}/", "/api/v1/identifiers/check/"} <= set(
        schema["paths"]
    )


def test_schema_as_json() -> None:
    response = Client().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "社会培训评价组织备案与监管平台 API"


def test_docs_load_only_local_scripts_and_no_inline_ones() -> None:
    # given the Swagger UI page
    response = Client().get("/api/docs/")
    html = response.content.decode()

    # then every script is a file of this site (the sidecar's copy, not a CDN), and none is inline (CSP)
    assert response.status_code == 200
    script_tags = re.findall(r"<script\b[^>]*>", html)
    sources = [re.search(r'src="([^"]+)"', tag) for tag in script_tags]
    assert script_tags and all(sources), f"inline <script> on the docs page: {script_tags}"
    urls = [s.group(1) for s in sources if s]
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "cdn" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_docs_start_up_script_is_served_by_the_site() -> None:
    html = Client().get("/api/docs/").content.decode()
    own_script = next(url for url in re.findall(r'<script src="([^"]+)"', html) if "script" in url.split("?", 1)[-1])

    response = Client().get(own_script.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content


def test_token_authentication_for_me() -> None:
    # given a Guangzhou city officer with a token
    membership = MembershipFactory(province="gd", city_officer=True, user__username="gz-officer",
                                   user__display_name="王五")
    token = TokenFactory(user=membership.user)

    # when they ask who they are, with the token only
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    # then they get their account and role
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["display_name"]) == ("gz-officer", "王五")
    assert body["memberships"] == [
        {"province": "gd", "role": "city_officer", "role_display": "地市经办人员", "city": "4401", "institution": None}
    ]


def test_a_wrong_token_is_refused() -> None:
    TokenFactory()

    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    # 403, not 401: session authentication comes first and sends no WWW-Authenticate challenge
    assert response.status_code == 403
    assert response.json() == {"code": "authentication_failed", "detail": "认证令牌无效。"}


def test_me_needs_authentication() -> None:
    response = Client().get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


def test_session_authentication_for_me(login: Callable[[User], Client]) -> None:
    user = UserFactory(username="session-user")

    response = login(user).get("/api/v1/me/")

    assert response.json()["username"] == "session-user"


def test_audit_events_api_for_the_provincial_officer(login: Callable[[User], Client]) -> None:
    user = MembershipFactory(province="gd").user
    submitted = AuditEventFactory(province="gd", action="submitted")
    AuditEventFactory(province="gd", action="returned")
    client = login(user)

    listed = client.get("/api/v1/gd/audit-events/", {"action": "submitted"})
    detail = client.get(f"/api/v1/gd/audit-events/{submitted.pk}/")

    assert [row["id"] for row in listed.json()["results"]] == [submitted.pk]
    assert detail.json()["action"] == "submitted"
    assert detail.json()["object_repr"] == submitted.object_repr


def test_audit_events_api_is_refused_to_a_city_officer(login: Callable[[User], Client]) -> None:
    user = MembershipFactory(province="gd", city_officer=True).user

    response = login(user).get("/api/v1/gd/audit-events/")

    assert response.status_code == 403


def test_occupations_api_is_public_and_filters() -> None:
    occupation = OccupationFactory(code="9-50-01-01", name="测试无人机装调工")
    WorkTypeFactory(occupation=occupation, name="多旋翼")

    response = Client().get("/api/v1/occupations/", {"q": "9-50"})

    assert response.status_code == 200
    assert [(o["code"], o["name"], o["work_types"]) for o in response.json()["results"]] == [
        ("9-50-01-01", "测试无人机装调工", ["多旋翼"])
    ]


def test_occupations_api_skill_type_filter() -> None:
    OccupationFactory(code="9-51-01-01", not_skill_type=True)
    skill = OccupationFactory(code="9-51-01-02")

    response = Client().get("/api/v1/occupations/", {"q": "9-51", "skill_type": "1"})

    assert [o["code"] for o in response.json()["results"]] == [skill.code]
