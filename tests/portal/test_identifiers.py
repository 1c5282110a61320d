"""Identifiers: unified social credit codes and resident identity numbers, checked with messages that say why."""

import time
import uuid
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from stdnum.cn import ric

from portal.identifiers import (
    mask_id_number,
    uuid7_hex,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_occupation_code,
)
from portal.models import User
from tests.factories import UserFactory, credit_code, id_number

# 44010619900307123 + its check digit; stdnum's calc_check_digit reads the first 17 of an 18-character number
VALID_ID = "44010619900307123" + ric.calc_check_digit("44010619900307123" + "0")


def _refusal(validator: Callable[[str], None], value: str) -> tuple[str, str]:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return raised.value.code or "", raised.value.messages[0]


def test_a_valid_credit_code_passes() -> None:
    validate_credit_code("91110108551385082Q")
    validate_credit_code("91110108 5513 85082q")  # spaces and lower case are normalized


def test_a_credit_code_with_a_wrong_check_character_names_the_expected_one() -> None:
    assert _refusal(validate_credit_code, "91110108551385082A") == (
        "uscc_checksum",
        "统一社会信用代码校验位错误：第18位应为“Q”，实际为“A”。",
    )


def test_a_credit_code_of_the_wrong_length() -> None:
    assert _refusal(validate_credit_code, "91110108551385082") == ("uscc_length", "统一社会信用代码应为18位，当前为17位。")


def test_a_credit_code_with_an_invalid_character_names_its_position() -> None:
    # positions 3–8 are the region code: digits only
    assert _refusal(validate_credit_code, "911A0108551385082Q") == (
        "uscc_character",
        "统一社会信用代码第4位“A”不是有效字符。",
    )
    # I, O, S, V, Z are never used
    assert _refusal(validate_credit_code, "9111010855138508IQ") == (
        "uscc_character",
        "统一社会信用代码第17位“I”不是有效字符。",
    )


def test_a_valid_resident_id_passes() -> None:
    assert VALID_ID == "440106199003071231"
    validate_id_number(VALID_ID)
    validate_id_number("44010619900307001x")  # check character X, lower case accepted
    validate_id_number(id_number(serial=77))


def test_a_resident_id_with_a_wrong_check_digit_names_the_expected_one() -> None:
    assert _refusal(validate_id_number, "440106199003071235") == (
        "ric_checksum",
        "身份证号码校验位错误：第18位应为“1”，实际为“5”。",
    )


def test_a_resident_id_with_an_impossible_birth_date() -> None:
    # 1990-02-30 does not exist; the check digit is right, so only the date is wrong
    number = "44010619900230123" + ric.calc_check_digit("44010619900230123" + "0")

    assert _refusal(validate_id_number, number) == ("ric_birth_date", "身份证号码中的出生日期“19900230”不存在。")


def test_a_resident_id_of_the_wrong_length_or_with_a_letter() -> None:
    assert _refusal(validate_id_number, "4401061990030712") == ("ric_length", "身份证号码应为18位，当前为16位。")
    assert _refusal(validate_id_number, "4401A6199003071231") == ("ric_character", "身份证号码第5位“A”应为数字。")


def test_a_resident_id_with_an_unknown_region() -> None:
    number = "99010619900307123" + ric.calc_check_digit("99010619900307123" + "0")

    assert _refusal(validate_id_number, number)[0] == "ric_region"


def test_mask_id_number_keeps_four_and_four() -> None:
    assert mask_id_number("44010619900307123X") == "4401**********123X"
    assert mask_id_number("44010619900307123x") == "4401**********123X"
    assert mask_id_number("1234") == "****"


def test_occupation_code_and_mobile() -> None:
    validate_occupation_code("6-18-02-04")
    validate_mobile("13812345678")

    assert _refusal(validate_occupation_code, "6-18-2-04")[0] == "occupation_code"
    assert _refusal(validate_mobile, "12812345678")[0] == "mobile"


def test_factory_credit_codes_are_valid() -> None:
    validate_credit_code(credit_code("440100", 42))


@pytest.mark.django_db
def test_identifier_check_api_returns_the_stable_code(login: Callable[[User], Client]) -> None:
    client = login(UserFactory())

    bad = client.post("/api/v1/identifiers/check/", {"kind": "credit_code", "value": "91110108551385082A"},
                      content_type="application/json")
    good = client.post("/api/v1/identifiers/check/", {"kind": "id_number", "value": VALID_ID},
                       content_type="application/json")
    wrong_id = client.post("/api/v1/identifiers/check/", {"kind": "id_number", "value": "440106199003071235"},
                           content_type="application/json")

    assert bad.status_code == 200
    assert bad.json() == {
        "valid": False,
        "code": "uscc_checksum",
        "message": "统一社会信用代码校验位错误：第18位应为“Q”，实际为“A”。",
    }
    assert good.json() == {"valid": True, "code": "", "message": ""}
    assert wrong_id.json()["code"] == "ric_checksum"


@pytest.mark.django_db
def test_identifier_check_api_needs_login() -> None:
    response = Client().post("/api/v1/identifiers/check/", {"kind": "credit_code", "value": "91110108551385082Q"},
                             content_type="application/json")

    assert response.status_code == 403


def test_uuid7_ids_carry_their_version_variant_and_time_and_sort_by_it() -> None:
    before = time.time_ns() // 1_000_000
    ids = [uuid7_hex() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    parsed = [uuid.UUID(hex=i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert all(before <= u.int >> 80 <= after for u in parsed)  # the first 48 bits: the Unix time in milliseconds
    assert len(set(ids)) == len(ids)
    times = [u.int >> 80 for u in parsed]
    assert times == sorted(times)  # made later, sorts later (to the millisecond)
    time.sleep(0.002)
    assert uuid7_hex() > max(ids)
