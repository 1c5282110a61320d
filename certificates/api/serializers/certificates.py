"""Serializers of the certificate API: one input or output shape per operation."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.identifiers import mask_id_number

from ...forms.certificates import plain_value
from ...models.exams import IdType
from ...models.issuance import CertificateStatus, ChangeKind, ChangeState, RevocationReason

LOOKUP_MAX_LENGTH = {"number": 40, "id_number": 20, "name": 50}


class LookupInputSerializer(serializers.Serializer):
    """Certificate number + name, or ID number + name (exactly one of number and id_number)."""

    number = serializers.CharField(required=False, allow_blank=True, max_length=LOOKUP_MAX_LENGTH["number"])
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=LOOKUP_MAX_LENGTH["id_number"])
    name = serializers.CharField(max_length=LOOKUP_MAX_LENGTH["name"])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("number")) == bool(attrs.get("id_number")):
            raise serializers.ValidationError("Give either number or id_number, with name.", code="one_factor")
        return attrs


def plainly_valid_lookup(data: Any) -> dict[str, str] | None:
    """What LookupInputSerializer validates a lookup body to, for the bodies it certainly accepts; None for any other
    (the serializer then runs, and words a refusal). Certainly accepted: a JSON object whose `name` and exactly one
    of `number` and `id_number` are non-blank strings within their lengths, with no character any of the fields'
    validators refuses, the other factor absent. Building and running the serializer was about a tenth of the lookup
    API's time; tests/certificates/test_lookup_input.py checks this against the serializer on every shape of body."""
    if type(data) is not dict or ("number" in data) == ("id_number" in data):
        return None
    factor = "number" if "number" in data else "id_number"
    value = plain_value(data[factor], LOOKUP_MAX_LENGTH[factor])
    name = plain_value(data.get("name"), LOOKUP_MAX_LENGTH["name"])
    if value is None or name is None:
        return None
    return {factor: value, "name": name}


class CheckSerializer(serializers.Serializer):
    """One line of the verify checklist with its evidence."""

    key = serializers.ChoiceField(choices=[("signature", "signature"), ("issuer", "issuer"), ("revocation", "revocation")])
    state = serializers.ChoiceField(choices=[("pass", "pass"), ("fail", "fail"), ("na", "na")])
    title = serializers.CharField(help_text="the line as a person reads it")
    evidence = serializers.CharField()


class PublicCertificateSerializer(serializers.Serializer):
    """What the public sees: the printed fields with the ID masked, and the status."""

    number = serializers.CharField()
    holder_name = serializers.CharField()
    masked_id = serializers.CharField()
    id_type = serializers.ChoiceField(choices=IdType.choices)
    occupation_code = serializers.CharField()
    occupation_name = serializers.CharField()
    work_type_name = serializers.CharField()
    level = serializers.IntegerField()
    level_label = serializers.CharField()
    organization_name = serializers.CharField()
    province_name = serializers.CharField()
    issued_on = serializers.DateField()
    status = serializers.ChoiceField(choices=CertificateStatus.choices)
    status_changed_on = serializers.DateField(allow_null=True)
    revocation_reason_code = serializers.CharField(allow_blank=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    superseded_by = serializers.CharField(allow_blank=True, help_text="the replacing certificate's number")
    checklist = CheckSerializer(many=True, required=False, help_text="the verify checklist: signature, issuer, revocation")


class LookupResultSerializer(serializers.Serializer):
    results = PublicCertificateSerializer(many=True)


class PayloadInputSerializer(serializers.Serializer):
    payload = serializers.CharField(max_length=2000, help_text="the QR code's text (the URL or the token alone)")


class PayloadSerializer(serializers.Serializer):
    key_id = serializers.CharField()
    number = serializers.CharField()
    holder_name = serializers.CharField()
    masked_id = serializers.CharField()
    occupation_code = serializers.CharField()
    level = serializers.IntegerField()
    issued_on = serializers.DateField()
    organization = serializers.CharField()


class PayloadResultSerializer(serializers.Serializer):
    signature_valid = serializers.BooleanField()
    payload = PayloadSerializer()
    certificate = PublicCertificateSerializer(allow_null=True)


class IssueInputSerializer(serializers.Serializer):
    plan = serializers.IntegerField(required=False, help_text="issue one plan's results; all issuable when absent")


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    issued_on = serializers.DateField()
    total = serializers.IntegerField()
    rendered = serializers.IntegerField()
    percent = serializers.IntegerField()
    done = serializers.BooleanField()
    notified = serializers.BooleanField()
    number_ranges = serializers.ListField(child=serializers.DictField())


class RevocationInputSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=RevocationReason.choices)
    reason = serializers.CharField(max_length=2000)


class CorrectionInputSerializer(serializers.Serializer):
    holder_name = serializers.CharField(required=False, max_length=50)
    id_type = serializers.ChoiceField(required=False, choices=IdType.choices)
    id_number = serializers.CharField(required=False, max_length=20)
    work_type_name = serializers.CharField(required=False, max_length=100)
    reason = serializers.CharField(max_length=2000)


class DecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    state = serializers.ChoiceField(choices=ChangeState.choices)
    certificate = serializers.CharField(source="certificate.number")
    reason_code = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()
    corrections = serializers.SerializerMethodField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)
    replacement = serializers.CharField(source="replacement.number", allow_null=True, default=None)

    @extend_schema_field(serializers.DictField())
    def get_corrections(self, change: Any) -> dict[str, str]:
        """The corrected fields and their new values; a new ID number is masked as on the certificate's card."""
        corrections = dict(change.corrections)
        if corrections.get("id_number"):
            corrections["id_number"] = mask_id_number(corrections["id_number"])
        return corrections
