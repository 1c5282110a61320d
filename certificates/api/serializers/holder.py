"""Serializers of the holder's skill-bank API: opening the account, the record, share links."""

from rest_framework import serializers

from ...models import IdDisplay, ShareLink
from ...services.share_links import DEFAULT_DAYS, MAX_DAYS


class OpenAccountInputSerializer(serializers.Serializer):
    """The three facts (identity number, name, one certificate's number), a password and an optional mobile."""

    id_number = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=50)
    certificate_number = serializers.CharField(max_length=30)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    mobile = serializers.RegexField(r"^1\d{10}$", required=False, allow_blank=True)


class OpenedAccountSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="log in (POST /api/v1/auth/token/) with this or the mobile number")
    holder_name = serializers.CharField()
    masked_id = serializers.CharField()


class RecordCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    holder_name = serializers.CharField()
    masked_id = serializers.CharField()
    id_type = serializers.CharField()
    occupation_code = serializers.CharField()
    occupation_name = serializers.CharField()
    work_type_name = serializers.CharField()
    level = serializers.IntegerField()
    level_label = serializers.CharField()
    organization_name = serializers.CharField()
    province_name = serializers.CharField()
    issued_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    status_changed_on = serializers.DateField(allow_null=True)
    revocation_reason_label = serializers.CharField()
    superseded_by = serializers.CharField()


class ExamSerializer(serializers.Serializer):
    plan = serializers.CharField()
    organization = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    occupation = serializers.CharField()
    level = serializers.CharField()
    result = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField()
    id_type = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    """The holder's whole record; `sections` holds what other apps add, by key (e.g. trainee_feedback)."""

    holder = HolderSerializer()
    generated_at = serializers.DateTimeField()
    certificates = RecordCertificateSerializer(many=True)
    exams = ExamSerializer(many=True)
    sections = serializers.DictField(child=SectionSerializer())


class ShareInputSerializer(serializers.Serializer):
    certificates = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=DEFAULT_DAYS)
    id_display = serializers.ChoiceField(choices=IdDisplay.choices, default=IdDisplay.MASKED)


class ShareLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    certificates = serializers.SerializerMethodField()
    id_display = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_live = serializers.BooleanField()
    view_count = serializers.IntegerField()
    last_viewed_at = serializers.DateTimeField(allow_null=True)

    def get_certificates(self, link: ShareLink) -> list[str]:
        return [c.number for c in link.certificates.all()]


class NewShareLinkSerializer(ShareLinkSerializer):
    url = serializers.CharField(help_text="the link to give out: shown once, never stored (only its hash is)")


class SharedCertificateSerializer(serializers.Serializer):
    """A shared certificate as the link shows it: masked_id is absent when the holder hid the identity number."""

    number = serializers.CharField()
    holder_name = serializers.CharField()
    masked_id = serializers.CharField(required=False)
    occupation_code = serializers.CharField()
    occupation_name = serializers.CharField()
    work_type_name = serializers.CharField()
    level_label = serializers.CharField()
    organization_name = serializers.CharField()
    province_name = serializers.CharField()
    issued_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class SharedSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField()
    certificates = SharedCertificateSerializer(many=True)
