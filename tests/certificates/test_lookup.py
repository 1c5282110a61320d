"""The public lookup (/verify/, the JSON API, the person's record): both factors or nothing, the ID masked, a miss
that says nothing about which factor was wrong, per-address rate limits with a clear message, and a log without
the full ID number."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from certificates.models import Certificate, LookupLog
from portal.identifiers import mask_id_number
from tests.factories import FilingFactory, a_certificate, approved_plan, issued

pytestmark = pytest.mark.django_db
MISS = "未查询到匹配的证书"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate() -> Certificate:
    return a_certificate("gd", name="王小明", id_number="44010619900307123X")


def by_number(client: Client, number: str, name: str, **extra: str) -> object:
    return client.post("/verify/", {"mode": "number", "number-number": number, "number-name": name}, **extra)


def by_id(client: Client, id_number: str, name: str, **extra: str) -> object:
    return client.post("/verify/", {"mode": "id", "id-id_number": id_number, "id-name": name}, **extra)


def test_the_page_needs_no_login_and_offers_both_ways() -> None:
    page = Client().get("/verify/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="lookup-by-number"' in html and 'id="lookup-by-id"' in html


def test_number_and_name_find_the_certificate_with_the_id_masked(certificate: Certificate) -> None:
    response = by_number(Client(), certificate.number, "王小明")

    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "4401**********123X" in html
    assert "44010619900307123X" not in html
    for shown in ("王小明", certificate.number, "焊工", "三级/高级工", certificate.organization_name,
                  certificate.issued_on.strftime("%Y-%m-%d"), "有效"):
        assert shown in html


def test_id_number_and_name_find_every_certificate_of_the_person(certificate: Certificate) -> None:
    other_province = a_certificate("sd", name="王小明", id_number="44010619900307123X")

    html = by_id(Client(), "44010619900307123x", " 王小明 ").content.decode()  # type: ignore[attr-defined]

    assert certificate.number in html and other_province.number in html


@pytest.mark.parametrize(("number_ok", "name_ok"), [(True, False), (False, True), (False, False)])
def test_a_miss_looks_the_same_whichever_factor_was_wrong(certificate: Certificate, number_ok: bool,
                                                           name_ok: bool) -> None:
    number = certificate.number if number_ok else certificate.number[:-1] + "9"
    name = "王小明" if name_ok else "王小名"

    response = by_number(Client(), number, name)

    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert MISS in html
    assert "4401**********123X" not in html and certificate.number not in html.replace(number, "")


def test_a_wrong_name_with_the_right_id_number_finds_nothing(certificate: Certificate) -> None:
    html = by_id(Client(), "44010619900307123X", "王大明").content.decode()  # type: ignore[attr-defined]

    assert MISS in html
    assert certificate.number not in html


def test_both_factors_are_required() -> None:
    response = by_number(Client(), "", "王小明")

    assert "这个字段是必填项" in response.content.decode() or "required" in response.content.decode()  # type: ignore[attr-defined]
    assert LookupLog.objects.count() == 0


@override_settings(CERTIFICATE_LOOKUP_RATE=(3, 600))
def test_an_address_past_its_limit_is_told_to_wait(certificate: Certificate) -> None:
    client = Client()
    for _ in range(3):
        assert by_number(client, certificate.number, "王小明").status_code == 200  # type: ignore[attr-defined]

    refused = by_number(client, certificate.number, "王小明")
    again = by_id(client, "44010619900307123X", "王小明")
    elsewhere = by_number(Client(), certificate.number, "王小明", REMOTE_ADDR="10.0.0.9")

    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "查询过于频繁：同一来源每10分钟最多查询3次，请稍后再试。" in refused.content.decode()  # type: ignore[attr-defined]
    assert certificate.number not in refused.content.decode().split("</h1>", 1)[1].split("<form", 1)[0]  # type: ignore[attr-defined]
    assert again.status_code == 429  # type: ignore[attr-defined]
    assert elsewhere.status_code == 200  # type: ignore[attr-defined]
    # every lookup is logged, the refusal once
    assert list(LookupLog.objects.order_by("pk").values_list("rate_limited", flat=True)) == [
        False, False, False, True, False]


def test_the_log_keeps_no_full_id_number(certificate: Certificate) -> None:
    by_id(Client(), "44010619900307123X", "王小明")
    by_number(Client(), certificate.number, "王小明")

    id_lookup, number_lookup = LookupLog.objects.order_by("pk")
    assert (id_lookup.channel, id_lookup.found, id_lookup.id_masked) == ("id_number", 1, "4401**********123X")
    assert len(id_lookup.id_digest) == 64 and "44010619900307123X" not in id_lookup.id_digest
    assert (number_lookup.channel, number_lookup.number, number_lookup.certificate_id) == (
        "number", certificate.number, certificate.pk)
    assert number_lookup.ip_hash and "127.0.0.1" not in number_lookup.ip_hash
    assert not any("44010619900307123X" in str(v) for row in LookupLog.objects.values() for v in row.values())


def test_the_person_page_lists_every_certificate_with_its_status(certificate: Certificate) -> None:
    filing = FilingFactory(province="gz")
    plan = approved_plan(filing, candidates=0, level=4)
    from tests.factories import CandidateFactory

    CandidateFactory(plan=plan, level=4, name="王小明", id_number="44010619900307123X")
    later = Certificate.objects.get(batch=issued(filing))

    response = Client().post("/verify/person/", {"id-id_number": "44010619900307123X", "id-name": "王小明"})

    html = response.content.decode()
    assert certificate.number in html and later.number in html
    assert "共2张证书，其中有效2张。" in html
    assert "贵州省" in html and "广东省" in html
    assert LookupLog.objects.get().channel == "person"


def test_the_api_applies_the_same_rules(certificate: Certificate) -> None:
    client = Client()

    found = client.post("/api/v1/public/certificates/lookup/",
                        {"number": certificate.number, "name": "王小明"}, content_type="application/json")
    missed = client.post("/api/v1/public/certificates/lookup/",
                         {"number": certificate.number, "name": "王小名"}, content_type="application/json")
    one_factor = client.post("/api/v1/public/certificates/lookup/", {"name": "王小明"},
                             content_type="application/json")

    assert found.status_code == 200
    [result] = found.json()["results"]
    assert (result["number"], result["masked_id"], result["level_label"], result["status"]) == (
        certificate.number, "4401**********123X", "三级/高级工", "valid")
    assert "id_number" not in result
    assert missed.json() == {"results": []}
    assert one_factor.status_code == 400
    assert one_factor.json()["code"] == "invalid"


@override_settings(CERTIFICATE_LOOKUP_RATE=(1, 60))
def test_the_api_answers_429_with_a_stable_code(certificate: Certificate) -> None:
    client = Client()
    body = {"id_number": "44010619900307123X", "name": "王小明"}
    client.post("/api/v1/public/certificates/lookup/", body, content_type="application/json")

    refused = client.post("/api/v1/public/certificates/lookup/", body, content_type="application/json")

    assert refused.status_code == 429
    assert refused.json() == {"code": "rate_limited",
                              "detail": "查询过于频繁：同一来源每1分钟最多查询1次，请稍后再试。"}


def test_the_lookup_is_in_the_openapi_schema() -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/v1/public/certificates/lookup/" in schema
    assert "/api/v1/public/certificates/verify-payload/" in schema


def test_masking_has_exact_values() -> None:
    assert mask_id_number("44010619900307123X") == "4401**********123X"
    assert mask_id_number("440106199003071234") == "4401**********1234"
    assert mask_id_number("H1234567") == "********"
