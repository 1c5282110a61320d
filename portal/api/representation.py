"""A read-only serializer's output without building a serializer per response.

A DRF serializer deep-copies every declared field each time one is built (for a certificate with its checklist:
about thirty fields, nested), which the public lookup API paid on every request: about a sixth of its time. For the
few hot read-only answers, `representer(SerializerClass)` compiles the class's declared fields once into a plain
function giving the same data `SerializerClass(instance).data` gives; the class stays the schema (drf-spectacular
documents it). tests/portal/test_representation.py compares the two outputs field type by field type, and
tests/certificates/test_lookup_api_representation.py on every shape the lookup API answers.

Only what those serializers use is supported: CharField, IntegerField, DateField, ChoiceField, nested
serializers and `many=True`, with no `source` and no `default`; anything else is refused when compiled, so a field
added later cannot be represented wrongly in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

Represent = Callable[[Any], Any]


def _choice(field: serializers.ChoiceField) -> Represent:
    to_value = field.choice_strings_to_values
    return lambda value: value if value == "" else to_value.get(str(value), value)


def _date(field: serializers.DateField) -> Represent:
    output = getattr(field, "format", api_settings.DATE_FORMAT)  # as DateField.to_representation reads it
    if output is None:
        return lambda value: value or None
    if output.lower() == ISO_8601:
        return lambda value: (value if isinstance(value, str) else value.isoformat()) if value else None
    return lambda value: (value if isinstance(value, str) else value.strftime(output)) if value else None


def _value(field: serializers.Field[Any, Any, Any, Any]) -> Represent:
    if isinstance(field, serializers.ListSerializer):
        if not isinstance(field.child, serializers.Serializer):
            raise TypeError(f"a list of {type(field.child).__name__} has no fast representation")
        child = representer(type(field.child))
        return lambda values: [child(item) for item in values]
    if isinstance(field, serializers.Serializer):
        return representer(type(field))
    if type(field) is serializers.ChoiceField:
        return _choice(field)
    if type(field) is serializers.CharField:
        return str
    if type(field) is serializers.IntegerField:
        return int
    if type(field) is serializers.DateField:
        return _date(field)
    raise TypeError(f"{type(field).__name__} has no fast representation")


def representer(serializer_class: type[serializers.Serializer[Any]]) -> Represent:
    """A function giving `serializer_class(instance).data` (as a plain dict) for a mapping or an object."""
    fields = []
    for name, field in serializer_class._declared_fields.items():
        if field.source not in (None, name) or field.default is not empty or field.write_only:
            raise TypeError(f"{serializer_class.__name__}.{name}: a source, a default or write_only is not supported")
        fields.append((name, _value(field), field.required, field.allow_null))

    def represent(instance: Any) -> dict[str, Any]:
        mapping = isinstance(instance, Mapping)
        out: dict[str, Any] = {}
        for name, convert, required, allow_null in fields:
            try:
                value = instance[name] if mapping else getattr(instance, name)
            except (KeyError, AttributeError):
                if allow_null:
                    out[name] = None
                    continue
                if not required:
                    continue  # DRF skips an optional field the instance lacks
                raise
            out[name] = None if value is None else convert(value)
        return out

    return represent
