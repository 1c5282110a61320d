"""Serializers of the selection API: one input or output shape per operation."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    institution = serializers.CharField(source="institution.name")
    credit_code = serializers.CharField(source="institution.credit_code")
    category = serializers.CharField()
    city = serializers.CharField(source="city.code")
    state = serializers.CharField()


class PanelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call = serializers.IntegerField(source="call_id")
    level = serializers.CharField()
    city = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_city(self, panel: Any) -> str | None:
        return panel.city.code if panel.city_id else None


class SheetSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = ApplicationRefSerializer()
    panel = PanelSerializer()
    state = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    assigned_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class CriterionScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the criterion's label, not Field.label
    max_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    description = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class OtherSheetSerializer(serializers.Serializer):
    expert = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)


class AggregateSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    assigned = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    dropped = serializers.ListField(child=serializers.DecimalField(max_digits=6, decimal_places=2))


class SheetDetailSerializer(SheetSummarySerializer):
    comment = serializers.CharField(allow_blank=True)
    criteria = CriterionScoreSerializer(many=True)
    others = OtherSheetSerializer(many=True, help_text="Other experts' submitted totals, only once this sheet is submitted")
    aggregate = AggregateSerializer(allow_null=True)


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, min_value=Decimal(0))
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class SheetInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)
    comment = serializers.CharField(allow_blank=True, required=False)


class SubmitInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, required=False)
    comment = serializers.CharField(allow_blank=True, required=False)


class ConflictInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["same_employer", "relation", "other"])
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ConflictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    kind = serializers.CharField()
    reason = serializers.CharField()
    declared_at = serializers.DateTimeField()


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PanelInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["city", "province"])
    city = serializers.CharField(required=False, allow_blank=True, help_text="City code (GB/T 2260) for a city panel")


class ApplicationInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()


class AssignInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    expert = serializers.IntegerField()


class DrawInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    count = serializers.IntegerField(min_value=1, max_value=50)
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**62)
    match_fields = serializers.BooleanField(required=False, default=True)


class DrawSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    panel = serializers.IntegerField(source="panel_id")
    application = serializers.IntegerField(source="application_id")
    seed = serializers.IntegerField()
    requested = serializers.IntegerField()
    match_fields = serializers.BooleanField()
    candidates = serializers.ListField(child=serializers.IntegerField())
    excluded = serializers.DictField(child=serializers.CharField())
    result = serializers.ListField(child=serializers.IntegerField())
    created_at = serializers.DateTimeField()


class RankedRowSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    institution = serializers.CharField(source="application.institution.name")
    state = serializers.CharField(source="application.state")
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.DecimalField(source="aggregate.score", max_digits=6, decimal_places=2, allow_null=True)
    submitted = serializers.IntegerField(source="aggregate.submitted")
    assigned = serializers.IntegerField(source="aggregate.assigned")


class OccupationRankingSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    rows = RankedRowSerializer(many=True)


class RankingsSerializer(serializers.Serializer):
    level = serializers.CharField()
    city = serializers.CharField(allow_null=True)
    overall = RankedRowSerializer(many=True)
    per_occupation = OccupationRankingSerializer(many=True)


class RecommendationInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    recommended = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class TableRowSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    recommended = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    sheets = serializers.CharField()


class TableSerializer(serializers.Serializer):
    call = serializers.IntegerField(source="call_id")
    city = serializers.CharField(source="city.code")
    state = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    rows = TableRowSerializer(many=True, source="rows.all")


class SelectionInputSerializer(serializers.Serializer):
    selected = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    reason = serializers.CharField(allow_blank=True, required=False, default="",
                                   help_text="Reason for every application under review that is not selected")


class SelectionResultSerializer(serializers.Serializer):
    selected = serializers.ListField(child=serializers.IntegerField())
    not_selected = serializers.ListField(child=serializers.IntegerField())


class ApprovalInputSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    document_number = serializers.CharField(max_length=100)
    attachment = serializers.FileField()


class ApprovalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting_date = serializers.DateField()
    document_number = serializers.CharField()
    attachment_name = serializers.CharField()
    applications = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_applications(self, approval: Any) -> list[int]:
        return sorted(approval.applications.values_list("pk", flat=True))


class NoticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    state = serializers.CharField()
