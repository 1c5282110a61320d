"""The skill bank over the REST API: opening the account (stable codes for each refusal), the record, share links
(the hidden identity number absent from the JSON), a non-holder refused, and the provincial registry's national
columns as CSV."""

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from certificates.models import Certificate
from tests.certificates.holders import HOLDER_ID as ID, HOLDER_PASSWORD as PASSWORD, OTHER_ID
from tests.factories import a_certificate, city_officer_of, provincial_officer

pytestmark = pytest.mark.django_db
JSON = "application/json"


def open_via_api(number: str, name: str = "王小明", id_number: str = ID, **extra: str) -> object:
    return Client().post("/api/v1/public/holder/accounts/", {
        "id_number": id_number, "name": name, "certificate_number": number, "password": PASSWORD, **extra,
    }, content_type=JSON)


def holder_api(certificate: Certificate) -> Client:
    assert open_via_api(certificate.number).status_code == 201  # type: ignore[attr-defined]
    token = Client().post("/api/v1/auth/token/", {"username": ID, "password": PASSWORD}, content_type=JSON)
    assert token.status_code == 200, token.content
    return Client(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")


def test_opening_refuses_with_stable_codes(mine: Certificate) -> None:
    wrong = open_via_api(mine.number, name="王五")
    opened = open_via_api(mine.number, mobile="13800138000")
    again = open_via_api(mine.number)

    assert (wrong.status_code, wrong.json()["code"]) == (400, "holder_facts_mismatch")  # type: ignore[attr-defined]
    assert opened.status_code == 201  # type: ignore[attr-defined]
    assert opened.json() == {"username": ID, "holder_name": "王小明",  # type: ignore[attr-defined]
                             "masked_id": "4401**********123X"}
    assert (again.status_code, again.json()["code"]) == (409, "holder_account_exists")  # type: ignore[attr-defined]


def test_the_record_shares_and_revocation_over_the_api(mine: Certificate) -> None:
    stranger = a_certificate("gd", name="李四", id_number=OTHER_ID)
    client = holder_api(mine)

    record = client.get("/api/v1/holder/record/").json()
    refused = client.post("/api/v1/holder/shares/", {"certificates": [stranger.pk]}, content_type=JSON)
    created = client.post("/api/v1/holder/shares/", {"certificates": [mine.pk], "id_display": "hidden"},
                          content_type=JSON)

    assert [c["number"] for c in record["certificates"]] == [mine.number]
    assert (refused.status_code, refused.json()["code"]) == (400, "share_no_certificates")
    assert created.status_code == 201
    link = created.json()
    token = link["url"].rstrip("/").rsplit("/", 1)[-1]
    shared = Client().get(f"/api/v1/public/holder/shared/{token}/")
    assert shared.status_code == 200 and shared.json()["certificates"][0]["number"] == mine.number
    assert ID[-4:] not in shared.content.decode() and "masked_id" not in shared.json()["certificates"][0]
    listed = client.get("/api/v1/holder/shares/").json()
    assert [(x["id"], x["view_count"]) for x in listed] == [(link["id"], 1)]

    revoked = client.post(f"/api/v1/holder/shares/{link['id']}/revoke/")
    gone = Client().get(f"/api/v1/public/holder/shared/{token}/")
    assert revoked.status_code == 200 and revoked.json()["is_live"] is False
    assert (gone.status_code, gone.json()["code"]) == (404, "share_link_invalid")


def test_a_user_without_a_holder_account_is_told_so(login: Callable[..., Client]) -> None:
    response = login(provincial_officer("gd")).get("/api/v1/holder/record/")

    assert (response.status_code, response.json()["code"]) == (404, "holder_account_required")


def test_the_registry_export_carries_the_national_fields_for_provincial_officers(
        mine: Certificate, login: Callable[..., Client]) -> None:
    in_shandong = a_certificate("sd", name="张三", id_number=OTHER_ID)
    response = login(provincial_officer("gd")).get("/api/v1/gd/certificates/registry-export/")
    city = login(city_officer_of(mine.institution)).get("/api/v1/gd/certificates/registry-export/")

    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["证书名称", "证书编号", "姓名", "证件类型", "证件号码", "职业编码", "职业名称", "工种/职业方向", "等级",
                       "评价机构", "评价机构统一社会信用代码", "发证省份代码", "发证日期", "照片文件名", "证书状态",
                       "状态变更日期", "撤销原因", "换发新证书编号"]
    assert len(rows) == 2 and in_shandong.number not in text
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["证书名称"], row["证书编号"], row["证件号码"], row["等级"]) == (
        "职业技能等级证书", mine.number, ID, "三级/高级工")
    assert (row["评价机构统一社会信用代码"], row["发证省份代码"], row["工种/职业方向"]) == (
        mine.institution.credit_code, "44", mine.work_type_name)
    assert row["发证日期"] == mine.issued_on.isoformat() and row["证书状态"] == "有效"
    assert city.status_code == 403
