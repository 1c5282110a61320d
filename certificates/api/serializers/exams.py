"""Input and output shapes of the exam API."""

from rest_framework import serializers

from portal.models import City, Objection, Occupation

from ...models import Candidate, ExamPlan, ExamSession, ExamStaff, ExamVenue, SessionKind, SessionStaff, StaffDuty


class VenueSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="code", queryset=City.objects.all())

    class Meta:
        model = ExamVenue
        fields = ["id", "name", "city", "address", "is_active"]
        read_only_fields = ["id", "is_active"]


class QualificationSerializer(serializers.Serializer):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), min_length=1)


class StaffSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id", read_only=True)
    qualifications = serializers.SerializerMethodField()

    class Meta:
        model = ExamStaff
        fields = ["id", "name", "id_number", "duty", "certificate_number", "is_active", "qualifications"]

    def get_qualifications(self, obj: ExamStaff) -> list[dict]:
        return [{"occupation": q.occupation.code, "levels": q.levels} for q in obj.qualifications.all()]


class StaffInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    duty = serializers.ChoiceField(choices=StaffDuty.choices)
    certificate_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    qualifications = QualificationSerializer(many=True, required=False, default=list)


class SessionStaffSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = SessionStaff
        fields = ["staff", "name", "duty"]


class SessionSerializer(serializers.ModelSerializer):
    staff = SessionStaffSerializer(many=True, read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = ExamSession
        fields = ["id", "kind", "date", "start_time", "end_time", "venue", "venue_name", "room", "capacity",
                  "levels", "staff"]


class SessionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    venue = serializers.IntegerField()
    room = serializers.CharField(max_length=50)
    capacity = serializers.IntegerField(min_value=1, max_value=2000)
    levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), required=False,
                                   default=list)


class StaffAssignSerializer(serializers.Serializer):
    staff = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class PlanSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", read_only=True)
    occupation = serializers.CharField(source="occupation.code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    work_type = serializers.CharField(source="work_type.name", read_only=True, default="", allow_null=True)
    city = serializers.CharField(source="city.code", read_only=True, default="", allow_null=True)

    class Meta:
        model = ExamPlan
        fields = ["id", "title", "institution", "occupation", "occupation_name", "work_type", "levels", "city",
                  "state", "version", "first_session_on", "last_session_on", "filed_at", "acknowledged_at",
                  "officer_note"]


class PlanDetailSerializer(PlanSerializer):
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "evaluation_process", "sessions"]


class PlanInputSerializer(serializers.Serializer):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    work_type = serializers.CharField(required=False, allow_blank=True, default="")
    levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), min_length=1)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evaluation_process = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("return", "return")])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExamFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    confirm_certified = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "line", "name", "id_type", "id_number", "gender", "level", "training_class", "theory_score",
                  "theory_absent", "practical_score", "practical_absent", "review_score", "review_absent", "passed"]


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField()


class ResultObjectionSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "item", "text", "state", "resolution", "resolved_at"]
