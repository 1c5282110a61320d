"""The holder's skill-bank account: it opens only on all three facts, is rate-limited and audited, lands the holder on
their account, shows exactly that person's records (certificates in every province, exams, feedback) and downloads
them as PDF and JSON."""

import json

import pytest
from django.test import Client, override_settings

from certificates.models import Certificate
from portal.models import AuditEvent, HolderAccount
from tests.certificates.holders import HOLDER_ID as ID, HOLDER_PASSWORD as PASSWORD, OTHER_ID
from tests.factories import a_certificate, feedback_on

pytestmark = pytest.mark.django_db
REFUSED = "信息核验未通过"


def open_account(client: Client, id_number: str, name: str, number: str, **extra: str) -> object:
    return client.post("/holder/open/", {"id_number": id_number, "name": name, "certificate_number": number,
                                         "password1": PASSWORD, "password2": PASSWORD, **extra})


@pytest.mark.parametrize("wrong", ["id_number", "name", "number"])
def test_the_account_opens_only_with_all_three_facts_right(mine: Certificate, wrong: str) -> None:
    someone_else = a_certificate("gd", name="李四", id_number=OTHER_ID)
    facts = {"id_number": ID, "name": "王小明", "number": mine.number}
    facts[wrong] = {"id_number": OTHER_ID, "name": "李四", "number": someone_else.number}[wrong]

    response = open_account(Client(), facts["id_number"], facts["name"], facts["number"])

    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert REFUSED in html and "证件号码、姓名和证书编号" in html  # names all three, never which one was wrong
    assert not HolderAccount.objects.exists()
    failed = AuditEvent.objects.get(action="holder_account_open_failed")
    assert ID not in json.dumps(failed.changes) and OTHER_ID not in json.dumps(failed.changes)


def test_the_right_facts_open_the_account_log_in_and_audit(mine: Certificate) -> None:
    client = Client()
    response = open_account(client, ID.lower(), " 王小明 ", mine.number.lower(), mobile="13800138000")

    assert response.status_code == 302 and response["Location"] == "/holder/"  # type: ignore[attr-defined,index]
    account = HolderAccount.objects.get()
    assert (account.id_number, account.holder_name, account.user.mobile) == (ID, "王小明", "13800138000")
    assert not account.user.memberships.exists()
    assert AuditEvent.objects.filter(action="holder_account_opened", object_id=str(account.pk)).exists()
    assert client.get("/holder/").status_code == 200
    again = open_account(Client(), ID, "王小明", mine.number)
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_a_holder_logs_in_with_the_id_number_or_the_mobile_and_lands_on_the_account(mine: Certificate) -> None:
    open_account(Client(), ID, "王小明", mine.number, mobile="13800138000")

    for username in (ID, "13800138000"):
        client = Client()
        login = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert login.status_code == 302
        assert client.get(login["Location"]).url == "/holder/"  # type: ignore[attr-defined]


@override_settings(HOLDER_OPEN_RATES=((3, 3600), (100, 3600)))
def test_opening_is_rate_limited_per_address(mine: Certificate) -> None:
    client = Client()
    for _ in range(3):
        assert open_account(client, ID, "王五", mine.number).status_code == 400  # type: ignore[attr-defined]

    blocked = open_account(client, ID, "王小明", mine.number)

    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert "尝试次数过多" in blocked.content.decode()  # type: ignore[attr-defined]
    assert not HolderAccount.objects.exists()
    assert AuditEvent.objects.filter(action="holder_account_open_failed").count() == 3


@override_settings(HOLDER_OPEN_RATES=((100, 3600), (2, 3600)))
def test_opening_is_rate_limited_per_identity_number_from_any_address(mine: Certificate) -> None:
    for n in range(2):
        open_account(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"), ID, "王五", mine.number)

    blocked = open_account(Client(REMOTE_ADDR="10.0.0.9"), ID, "王小明", mine.number)

    assert blocked.status_code == 429  # type: ignore[attr-defined]


def test_a_weak_password_is_refused_with_a_message(mine: Certificate) -> None:
    response = Client().post("/holder/open/", {"id_number": ID, "name": "王小明", "certificate_number": mine.number,
                                               "password1": "12345678", "password2": "12345678"})

    assert response.status_code == 400
    assert "密码" in response.content.decode() and not HolderAccount.objects.exists()


def _holder(mine: Certificate) -> Client:
    client = Client()
    open_account(client, ID, "王小明", mine.number)
    return client


def test_the_account_shows_exactly_that_persons_records(mine: Certificate) -> None:
    in_shandong = a_certificate("sd", name="王小明", id_number=ID)
    stranger = a_certificate("gd", name="李四", id_number=OTHER_ID)
    feedback_on(mine, comment="培训很实用")
    feedback_on(stranger, comment="别人的意见")
    client = _holder(mine)

    html = client.get("/holder/").content.decode()

    assert mine.number in html and in_shandong.number in html
    assert stranger.number not in html and "李四" not in html and "别人的意见" not in html
    assert "培训很实用" in html
    assert mine.candidate.plan.title in html and "合格" in html  # the exam sat, with its result
    assert ID not in html  # the page shows the number masked


def test_the_whole_record_downloads_as_json_and_pdf(mine: Certificate) -> None:
    stranger = a_certificate("gd", name="李四", id_number=OTHER_ID)
    feedback_on(mine, comment="培训很实用")
    client = _holder(mine)

    record = json.loads(client.get("/holder/record.json").content)
    pdf = client.get("/holder/record.pdf")

    assert [c["number"] for c in record["certificates"]] == [mine.number]
    assert stranger.number not in json.dumps(record)
    assert record["holder"]["id_number"] == ID
    assert record["exams"][0]["result"] == "合格"
    assert record["sections"]["trainee_feedback"]["rows"][0][-1] == "培训很实用"
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="personal_data_viewed", changes__personal_data="holder_record_pdf").exists()


def test_pages_of_the_account_are_for_its_holder_only(mine: Certificate) -> None:
    assert Client().get("/holder/")["Location"].startswith("/accounts/login/")
    other = a_certificate("gd", name="李四", id_number=OTHER_ID)
    stranger = Client()
    open_account(stranger, OTHER_ID, "李四", other.number)

    assert mine.number not in stranger.get("/holder/").content.decode()
