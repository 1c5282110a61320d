"""Input and output shapes of the filings API."""

from rest_framework import serializers

from portal.models import City, Institution, Occupation, WorkType

from ..models import (
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Evidence,
)


class InstitutionSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="code", queryset=City.objects.all())

    class Meta:
        model = Institution
        fields = [
            "id", "name", "credit_code", "category", "nature", "level", "city", "address", "legal_representative",
            "registered_capital", "contact_person", "contact_title", "contact_phone", "contact_email",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"credit_code": {"validators": []}}


class RegistrationSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, min_length=8)
    email = serializers.EmailField()
    mobile = serializers.CharField(max_length=11, required=False, allow_blank=True)
    display_name = serializers.CharField(max_length=50)
    institution = InstitutionSerializer()


class CallSerializer(serializers.ModelSerializer):
    occupations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Call
        fields = ["id", "year", "title", "application_deadline", "city_review_deadline", "occupations", "is_open"]


class ApplicationOccupationSerializer(serializers.ModelSerializer):
    occupation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    work_type = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = ApplicationOccupation
        fields = ["id", "occupation", "occupation_name", "work_type", "levels", "facts"]


class OccupationInputSerializer(serializers.Serializer):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    work_type = serializers.CharField(required=False, allow_blank=True)
    levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), min_length=1)

    def validate(self, attrs: dict) -> dict:
        name = attrs.pop("work_type", "") or ""
        attrs["work_type"] = None
        if name:
            work_type = WorkType.objects.filter(occupation=attrs["occupation"], name=name).first()
            if work_type is None:
                raise serializers.ValidationError({"work_type": f"职业{attrs['occupation'].code}没有工种“{name}”。"})
            attrs["work_type"] = work_type
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "checklist_key", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class CorrectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectionItem
        fields = ["target", "target_label", "problem"]


class CorrectionSerializer(serializers.ModelSerializer):
    items = CorrectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Correction
        fields = ["round", "note", "created_at", "resubmitted_at", "items"]


class ApplicationSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", read_only=True)
    credit_code = serializers.CharField(source="institution.credit_code", read_only=True)
    city = serializers.CharField(source="city.code", read_only=True)
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    occupations = ApplicationOccupationSerializer(many=True, read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "call", "institution", "credit_code", "city", "category", "state", "state_display", "route",
            "prefers_province_route", "facts", "occupations", "submitted_at", "submission_count",
            "pledge_confirmed_at", "decision_reason",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    evidence = serializers.SerializerMethodField()
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "evidence", "corrections"]

    def get_evidence(self, application: Application) -> list[dict]:
        return EvidenceSerializer(application.evidence.filter(removed_at__isnull=True), many=True).data  # type: ignore[return-value]


class FactsInputSerializer(serializers.Serializer):
    facts = serializers.DictField(required=False, default=dict)
    occupation_facts = serializers.DictField(child=serializers.DictField(), required=False, default=dict,
                                             help_text="按申报职业记录 id 填报的信息")
    prefers_province_route = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReviewFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ApplicationState.choices, required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True, max_length=40)
    call = serializers.IntegerField(required=False, allow_null=True)


class StartApplicationSerializer(serializers.Serializer):
    call = serializers.IntegerField()


class UploadSerializer(serializers.Serializer):
    checklist_key = serializers.CharField(max_length=60)
    file = serializers.FileField()


class PledgeSerializer(serializers.Serializer):
    signer = serializers.CharField(max_length=50)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ApplicationCorrectionInputSerializer(serializers.Serializer):
    items = CorrectionItemSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RuleResultSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # the rule's source clause, not Field.source
    verdict = serializers.CharField()
    reason = serializers.CharField()
    basic = serializers.BooleanField()

