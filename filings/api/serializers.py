"""Serializers of the filings API: institutions, applications and review, cultivations, filings and the catalog."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.models import City, Institution, Occupation, WorkType

from .. import selectors
from ..models import (
    Application,
    ApplicationOccupation,
    ApplicationState,
    Call,
    Correction,
    CorrectionItem,
    Cultivation,
    CultivationOccupation,
    CultivationTask,
    Evidence,
    Filing,
    FilingLetter,
    FilingOccupation,
    OccupationAddition,
    QuestionBankFile,
    QuestionBankRound,
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
    work_type = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

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
    next_step = serializers.SerializerMethodField(help_text="What happens next, in words, by the state and the pack's route")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "evidence", "corrections", "next_step"]

    def get_next_step(self, application: Application) -> str:
        return selectors.next_step(application)

    def get_evidence(self, application: Application) -> list[dict]:
        return list(EvidenceSerializer(application.evidence.filter(removed_at__isnull=True), many=True).data)


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


class CreditCodeCorrectionSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=18)
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


class QuestionBankFileSerializer(serializers.ModelSerializer[QuestionBankFile]):
    class Meta:
        model = QuestionBankFile
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256"]


class QuestionBankRoundSerializer(serializers.ModelSerializer[QuestionBankRound]):
    files = QuestionBankFileSerializer(many=True, read_only=True)

    class Meta:
        model = QuestionBankRound
        fields = ["number", "note", "submitted_at", "decision", "reasons", "reviewed_at", "files"]


class CultivationTaskSerializer(serializers.ModelSerializer[CultivationTask]):
    rounds = QuestionBankRoundSerializer(many=True, read_only=True)

    class Meta:
        model = CultivationTask
        fields = ["id", "kind", "state", "attended_on", "note", "accepted_at", "rounds"]


class CultivationOccupationSerializer(serializers.ModelSerializer[CultivationOccupation]):
    code = serializers.CharField(source="occupation.code", read_only=True)
    name = serializers.CharField(source="occupation.name", read_only=True)
    work_type: serializers.SlugRelatedField[WorkType] = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    tasks = CultivationTaskSerializer(many=True, read_only=True)

    class Meta:
        model = CultivationOccupation
        fields = ["id", "code", "name", "work_type", "levels", "state", "accepted_at", "tasks"]


class CultivationSerializer(serializers.ModelSerializer[Cultivation]):
    institution = serializers.CharField(source="institution.name", read_only=True)
    city = serializers.CharField(source="city.code", read_only=True)
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Cultivation
        fields = ["id", "institution", "city", "state", "started_on", "ends_on", "days_left", "commitment_signed_at",
                  "commitment_signer_name", "commitment_signer_title", "application", "addition", "filing"]

    def get_days_left(self, obj: Cultivation) -> int:
        return obj.days_left(timezone.localdate())


class CultivationDetailSerializer(CultivationSerializer):
    occupations = CultivationOccupationSerializer(many=True, read_only=True)
    commitment_text = serializers.CharField(read_only=True)

    class Meta(CultivationSerializer.Meta):
        fields = [*CultivationSerializer.Meta.fields, "commitment_text", "occupations"]


class CommitmentInputSerializer(serializers.Serializer[Any]):
    signer_name = serializers.CharField(max_length=50)
    signer_title = serializers.CharField(max_length=50)


class QuestionBankInputSerializer(serializers.Serializer[Any]):
    items = serializers.FileField(help_text="试题（题库）文件")
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                      help_text="开发文档（可多个）")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReviewInputSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["accept", "return"])
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class TrainingInputSerializer(serializers.Serializer[Any]):
    attended_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class FileDecisionInputSerializer(serializers.Serializer[Any]):
    occupations = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True,
                                        default=None, help_text="培育职业 id；不填为全部已验收职业")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class FilingOccupationSerializer(serializers.ModelSerializer[FilingOccupation]):
    code = serializers.CharField(source="occupation.code", read_only=True)
    name = serializers.CharField(source="occupation.name", read_only=True)
    work_type: serializers.SlugRelatedField[WorkType] = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = FilingOccupation
        fields = ["code", "name", "work_type", "levels", "added_on", "valid_until"]


class FilingLetterSerializer(serializers.ModelSerializer[FilingLetter]):
    class Meta:
        model = FilingLetter
        fields = ["id", "kind", "number", "issued_on", "issuing_body", "is_addition", "scope"]


class FilingSerializer(serializers.ModelSerializer[Filing]):
    institution = serializers.CharField(source="institution.name", read_only=True)
    credit_code = serializers.CharField(source="institution.credit_code", read_only=True)
    city = serializers.CharField(source="city.code", read_only=True)
    occupations = FilingOccupationSerializer(many=True, read_only=True)

    class Meta:
        model = Filing
        fields = ["id", "institution", "credit_code", "city", "filing_number", "filed_on", "valid_from", "valid_until",
                  "status", "exit_kind", "organization_sequence", "institution_code", "reported_at", "published_at",
                  "occupations"]


class FilingDetailSerializer(FilingSerializer):
    letters = FilingLetterSerializer(many=True, read_only=True)

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "letters"]


class AdditionLineSerializer(serializers.Serializer[Any]):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    work_type = serializers.CharField(required=False, allow_blank=True, default="")
    levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), min_length=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = attrs.pop("work_type", "") or ""
        attrs["work_type"] = None
        if name:
            work_type = WorkType.objects.filter(occupation=attrs["occupation"], name=name).first()
            if work_type is None:
                raise serializers.ValidationError({"work_type": f"职业“{attrs['occupation'].name}”没有工种“{name}”。"})
            attrs["work_type"] = work_type
        return attrs


class AdditionInputSerializer(serializers.Serializer[Any]):
    occupations = AdditionLineSerializer(many=True, allow_empty=False)
    has_completed_question_bank = serializers.BooleanField()
    operating_normally = serializers.BooleanField()
    is_chain_leader = serializers.BooleanField(
        required=False, default=False,
        help_text="“产教评”产业链链主培育单位 (Guangdong): its new occupations go straight to cultivation; others are selected first.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AdditionSerializer(serializers.ModelSerializer[OccupationAddition]):
    occupations = serializers.SerializerMethodField()
    cultivation = serializers.SerializerMethodField()
    application_state = serializers.CharField(
        source="application.state", read_only=True, allow_null=True, default=None,
        help_text="The state of the application the addition goes through selection with (Guangdong, not a "
                  "chain-leader unit); null when the addition is decided without selection.")

    class Meta:
        model = OccupationAddition
        fields = ["id", "filing", "state", "submitted_at", "decision_reason", "is_chain_leader", "occupations",
                  "cultivation", "application", "application_state"]
        extra_kwargs = {"application": {"read_only": True, "help_text": "The application in the open call that "
                                        "carries the addition through selection, or null."}}

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_occupations(self, obj: OccupationAddition) -> list[dict[str, Any]]:
        return [{"code": o.occupation.code, "name": o.occupation.name,
                 "work_type": o.work_type.name if o.work_type else "", "levels": o.levels}
                for o in obj.occupations.select_related("occupation", "work_type")]

    def get_cultivation(self, obj: OccupationAddition) -> int | None:
        cultivation = Cultivation.objects.filter(addition=obj).only("pk").first()
        return cultivation.pk if cultivation else None


class CatalogEntrySerializer(serializers.ModelSerializer[Filing]):
    """One organization of the public catalog: what the public needs, no contact or internal data."""

    name = serializers.CharField(source="institution.name", read_only=True)
    category = serializers.CharField(source="institution.category", read_only=True)
    city = serializers.CharField(source="city.name", read_only=True)
    occupations = FilingOccupationSerializer(many=True, read_only=True)

    class Meta:
        model = Filing
        fields = ["name", "category", "city", "occupations", "filing_number", "institution_code", "valid_from",
                  "valid_until", "status", "exit_kind", "exit_started_on", "terminated_on"]
