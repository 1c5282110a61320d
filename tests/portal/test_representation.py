"""portal.api.representation: a compiled serializer output equals the serializer's own, field type by field type,
and a field it cannot represent is refused when compiled rather than represented wrongly."""

import datetime as dt
import json
from typing import Any

import pytest
from django.db import models
from rest_framework import serializers

from portal.api.representation import representer


class Colour(models.TextChoices):
    RED = "red", "红"
    BLUE = "blue", "蓝"


class Line(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.ChoiceField(choices=[("a", "a"), ("b", "b")])
    note = serializers.CharField(allow_blank=True)


class Shape(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    count = serializers.IntegerField()
    colour = serializers.ChoiceField(choices=Colour.choices)
    on = serializers.DateField(allow_null=True)
    day_text = serializers.DateField(format="%Y年%m月%d日")
    maybe = serializers.CharField(allow_null=True)
    lines = Line(many=True, required=False)
    head = Line(required=False)


class Payload:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


BASE: dict[str, Any] = {"name": "王<芳>", "count": "7", "colour": Colour.RED, "on": dt.date(2026, 3, 2),
                        "day_text": dt.date(2026, 12, 5), "maybe": None}
SHAPES = [
    BASE,
    {**BASE, "on": None, "colour": "", "lines": [{"key": "a", "note": ""}, {"key": "b", "note": 3}],
     "head": {"key": "b", "note": "x"}},
    {**BASE, "count": 0, "colour": "blue", "lines": []},
    {k: v for k, v in BASE.items() if k != "maybe"},  # a nullable field the instance lacks: null
]


@pytest.mark.parametrize("instance", SHAPES)
def test_the_compiled_output_is_the_serializers(instance: dict[str, Any]) -> None:
    fast = representer(Shape)

    for shape in (instance, Payload(**instance)):
        assert json.dumps(fast(shape), ensure_ascii=False) == json.dumps(Shape(shape).data, ensure_ascii=False)


def test_a_required_field_the_instance_lacks_raises_as_the_serializer_does() -> None:
    lacking = {k: v for k, v in BASE.items() if k != "count"}

    with pytest.raises(KeyError):
        Shape(lacking).data  # noqa: B018
    with pytest.raises(KeyError):
        representer(Shape)(lacking)


@pytest.mark.parametrize("field", [serializers.BooleanField(), serializers.DecimalField(max_digits=5, decimal_places=2),
                                   serializers.CharField(source="other"), serializers.CharField(default="x"),
                                   serializers.SerializerMethodField()])
def test_a_field_it_cannot_represent_is_refused_when_compiled(field: serializers.Field) -> None:  # type: ignore[type-arg]
    refused = type("Refused", (serializers.Serializer,), {"value": field})

    with pytest.raises(TypeError, match=r"Refused\.value|has no fast representation"):
        representer(refused)
