"""The lookups' shortcuts for plainly valid input never accept what the full validation refuses, and give what it
validates to when they accept; the usual input takes the shortcut. The API's (plainly_valid_lookup) against
LookupInputSerializer, the page's (plainly_valid_number_lookup) against NumberLookupForm."""

import random
from typing import Any

import pytest
from django.http import QueryDict

from certificates.api.serializers.certificates import LookupInputSerializer, plainly_valid_lookup
from certificates.forms.certificates import NumberLookupForm, plainly_valid_number_lookup

NUMBER = "S000044000123263000045"
ID_NUMBER = "44010119900307123X"


def _serializer(body: Any) -> dict[str, Any] | None:
    serializer = LookupInputSerializer(data=body)
    return dict(serializer.validated_data) if serializer.is_valid() else None


def _agrees(body: Any) -> bool:
    """Whether the shortcut took the body (checking it agrees with the serializer)."""
    fast = plainly_valid_lookup(body)
    if fast is None:
        return False
    assert fast == _serializer(body), body
    return True


@pytest.mark.parametrize("body", [
    {"number": NUMBER, "name": "王伟"},
    {"id_number": ID_NUMBER, "name": "王伟"},
    {"number": f"  {NUMBER}\u3000", "name": " 王伟 "},  # trimmed as CharField trims (the ideographic space too)
    {"number": "x" * 40, "name": "名" * 50},  # the lengths at their limits
    {"number": NUMBER, "name": "王伟", "page": 2},  # an unknown key is ignored, as the serializer ignores it
])
def test_usual_bodies_take_the_shortcut_with_the_serializers_result(body: dict[str, Any]) -> None:
    assert _agrees(body)


@pytest.mark.parametrize("body", [
    {"number": NUMBER, "id_number": ID_NUMBER, "name": "王伟"},  # both factors
    {"name": "王伟"},  # neither
    {"number": "", "name": "王伟"}, {"number": "   ", "name": "王伟"}, {"number": NUMBER, "name": "  "},
    {"number": NUMBER}, {"number": NUMBER, "name": None}, {"number": None, "name": "王伟"},
    {"number": "x" * 41, "name": "王伟"}, {"id_number": "1" * 21, "name": "王伟"}, {"number": NUMBER, "name": "名" * 51},
    {"number": 12345, "name": "王伟"}, {"number": True, "name": "王伟"}, {"number": [NUMBER], "name": "王伟"},
    {"number": NUMBER, "name": "王\x00伟"}, {"number": NUMBER, "name": "王\x07伟"}, {"number": NUMBER, "name": "王\u202e伟"},
    {"number": NUMBER, "name": "王\ud800伟"}, {"number": NUMBER, "name": "王\t伟"},
    [NUMBER, "王伟"], "number=S0&name=x", None,
])
def test_other_bodies_are_left_to_the_serializer(body: Any) -> None:
    assert not _agrees(body)


POOL = ["", " ", "\u3000", "\t", "\n", "\x00", "\x01", "\x1f", "\x7f", "\u202a", "\u2066", "\ud800", "\u200b", "a", "Z",
        "0", "9", "王", "·", "-", "S", "X", "é"]


def _random_value(rng: random.Random) -> Any:
    kind = rng.random()
    if kind < 0.08:
        return rng.choice([None, 0, 17, 3.5, True, [], {}, ["a"]])
    length = rng.choice([0, 1, 2, 5, 18, 19, 20, 21, 22, 39, 40, 41, 49, 50, 51, 60])
    return "".join(rng.choice(POOL) if rng.random() < 0.04 else rng.choice("王伟李娜0123456789SX") for _ in range(length))


def test_two_thousand_random_bodies_agree_with_the_serializer() -> None:
    rng = random.Random(20261205)
    taken = 0
    for _ in range(2000):
        body = {key: _random_value(rng) for key in ("number", "id_number", "name", "other") if rng.random() < 0.6}
        taken += _agrees(body)
    assert taken > 100  # the shortcut was exercised, not only refused


def _post(**fields: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(f"number-{key}", values if isinstance(values, list) else [values])
    return data


def _form_agrees(data: QueryDict) -> bool:
    """Whether the page's shortcut took the post (checking it agrees with the form)."""
    fast = plainly_valid_number_lookup(data, "number")
    if fast is None:
        return False
    form = NumberLookupForm(data, prefix="number")
    assert form.is_valid(), data
    assert fast == (form.cleaned_data["number"], form.cleaned_data["name"]), data
    return True


@pytest.mark.parametrize("post", [
    _post(number=NUMBER, name="王伟"),
    _post(number=f"  {NUMBER.lower()}\u3000", name=" 王伟 "),  # trimmed and upper-cased as the form cleans it
    _post(number="S0000 4400 0123 2630 00045", name="王伟"),  # spaces inside, as people copy it
    _post(number=NUMBER, name="名" * 50),  # the name at its limit
    _post(number=["x", NUMBER], name="王伟"),  # a repeated field: the last value, as the form takes it
])
def test_usual_posts_take_the_page_shortcut_with_the_forms_result(post: QueryDict) -> None:
    assert _form_agrees(post)


@pytest.mark.parametrize("post", [
    _post(name="王伟"), _post(number=NUMBER), _post(number="", name="王伟"), _post(number=NUMBER, name="  "),
    _post(number="S00004400012326300004", name="王伟"),  # 21 characters: not a number
    _post(number="A000044000123263000045", name="王伟"), _post(number=NUMBER + "1", name="王伟"),
    _post(number=NUMBER, name="名" * 51), _post(number=NUMBER, name="王\x00伟"), _post(number=NUMBER, name="王\u202e伟"),
    _post(number=NUMBER + "\t", name="王伟"),
])
def test_other_posts_are_left_to_the_form(post: QueryDict) -> None:
    assert not _form_agrees(post)


def test_two_thousand_random_posts_agree_with_the_form() -> None:
    rng = random.Random(20261206)
    taken = 0
    for _ in range(2000):
        fields = {}
        for key in ("number", "name"):
            if rng.random() < 0.9:
                value = _random_value(rng)
                fields[key] = NUMBER if key == "number" and rng.random() < 0.4 else (
                    value if isinstance(value, str) else str(value))
        if "number" in fields and rng.random() < 0.3:  # spaces and case a person types
            fields["number"] = f" {fields['number'].lower()[:5]} {fields['number'][5:]}"
        taken += _form_agrees(_post(**fields))
    assert taken > 100  # the shortcut was exercised, not only refused
