"""Text the portal reads: control characters refused on every text field (forms and API) with a clear message;
full-width digits in identity numbers, credit codes and mobiles read as the digits they are and stored in ASCII."""

import pytest
from django import forms
from django.test import Client
from rest_framework import serializers

from certificates import services
from certificates.models import Candidate
from portal.identifiers import (
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_id_number,
    validate_mobile,
)
from portal.models import User
from portal.text import MESSAGE
from tests.exams.test_roster import _draft, before_national_day  # noqa: F401 - the roster tests' clock
from tests.factories import roster_csv, roster_rows, the_member
from tests.filings.test_api import _registration
from tests.security.hostile_pages import valid_id_number

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


class AnyForm(forms.Form):
    name = forms.CharField(max_length=50)
    note = forms.CharField(widget=forms.Textarea, required=False)


class AnySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)


@pytest.mark.parametrize("value", ["张\x00三", "张\x07三", "张\u202e三", "张\x1b三", "张\u2066三"])
def test_every_form_and_serializer_text_field_refuses_control_characters_with_a_clear_message(value: str) -> None:
    form = AnyForm({"name": value})
    data = AnySerializer(data={"name": value})

    assert not form.is_valid()
    assert form.errors["name"] == [str(MESSAGE)]
    assert not data.is_valid()
    assert [str(e) for e in data.errors["name"]] == [str(MESSAGE)]


def test_tabs_and_line_breaks_stay_allowed() -> None:
    form = AnyForm({"name": "张三", "note": "第一行\r\n第二行\t备注"})

    assert form.is_valid(), form.errors


def test_full_width_identifiers_are_read_as_ascii() -> None:
    assert normalize_id_number("４４０１０６１９９００３０７１２３Ｘ".lower()) == "44010619900307123X"
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert normalize_mobile("１３９ １２３４-５６７８") == "13912345678"
    validate_id_number(valid_id_number().translate(FULL_WIDTH))
    with pytest.raises(forms.ValidationError):
        validate_mobile("１３９１２３４５６７８")  # stored values are ASCII: the forms normalize before


@pytest.mark.django_db
@pytest.mark.usefixtures("before_national_day")
def test_a_roster_with_full_width_id_numbers_stores_them_in_ascii() -> None:
    plan = _draft()
    rows = roster_rows(2, occupation=plan.occupation.name)
    ascii_numbers = [row[2] for row in rows]
    for row in rows:
        row[2] = row[2].translate(FULL_WIDTH)

    services.import_roster(plan, acting_user=the_member(plan.institution), content=roster_csv(rows))

    assert sorted(Candidate.objects.filter(plan=plan).values_list("id_number", flat=True)) == sorted(ascii_numbers)


@pytest.mark.django_db
def test_registration_reads_a_full_width_mobile_and_refuses_one_that_is_not(reference_data: None) -> None:
    refused = Client().post("/api/v1/gd/register/", {**_registration(), "mobile": "1391234abcd"},
                            content_type="application/json")
    stored = Client().post("/api/v1/gd/register/", {**_registration(), "mobile": "１３９１２３４５６７８"},
                           content_type="application/json")

    assert stored.status_code == 201, stored.content
    assert User.objects.get(username="xiehui").mobile == "13912345678"
    assert refused.status_code == 400
    assert refused.json()["code"] == "mobile_invalid"
    # and the person signs in with the mobile typed in full width
    ascii_login = Client().post("/accounts/login/", {"username": "13912345678", "password": _registration()["password"]})
    signed_in = Client().post("/accounts/login/", {"username": "１３９１２３４５６７８", "password": _registration()["password"]})
    assert ascii_login.status_code == 302
    assert signed_in.status_code == 302
