"""Serializers of supervision's API: one input serializer per operation, and the shapes it answers with."""

from typing import Any

from rest_framework import serializers

from ..models import EmploymentStatus, PeriodKind, WageBand


class IndicatorValueSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    display = serializers.CharField(help_text="What the page shows; 尚未采集 for an indicator not yet collected")
    value = serializers.FloatField(allow_null=True, help_text="A rate in 0..1, a mean, a count or a wage band")
    numerator = serializers.IntegerField(required=False)
    denominator = serializers.IntegerField(allow_null=True)
    low = serializers.FloatField(required=False, allow_null=True, help_text="95% Wilson interval, lower bound")
    high = serializers.FloatField(required=False, allow_null=True, help_text="95% Wilson interval, upper bound")
    collected = serializers.BooleanField()


class NamedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False)
    name = serializers.CharField()


class IndicatorCellSerializer(serializers.Serializer[Any]):
    organization = NamedSerializer()
    occupation = NamedSerializer()
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    computed_at = serializers.DateTimeField()
    indicators = IndicatorValueSerializer(many=True)


class TraineeFeedbackInputSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=50)
    id_tail = serializers.CharField(min_length=6, max_length=6, help_text="The last 6 characters of the ID number")
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    employer_credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    job_matches = serializers.BooleanField(required=False, allow_null=True, default=None)
    wage_band = serializers.ChoiceField(choices=WageBand.choices, required=False, allow_null=True, default=None)
    training_satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    evaluation_satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TraineeFeedbackSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    certificate_number = serializers.CharField(source="certificate.number")
    occupation = serializers.CharField(source="occupation.name")
    certified_on = serializers.DateField()
    employment_status = serializers.CharField()
    job_matches = serializers.BooleanField(allow_null=True)
    wage_band = serializers.IntegerField(allow_null=True)
    training_satisfaction = serializers.IntegerField()
    evaluation_satisfaction = serializers.IntegerField()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    editable_until = serializers.DateTimeField()


class EmployerFeedbackInputSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=50)
    employer_name = serializers.CharField(max_length=200)
    employer_credit_code = serializers.CharField(max_length=18)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20)
    skill_match = serializers.IntegerField(min_value=1, max_value=5)
    would_hire_again = serializers.BooleanField()


class EmployerFeedbackSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    certificate_number = serializers.CharField(source="certificate.number")
    occupation = serializers.CharField(source="occupation.name")
    employer_name = serializers.CharField()
    skill_match = serializers.IntegerField()
    would_hire_again = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()


class OrganizationFeedbackSerializer(serializers.Serializer[Any]):
    trainee = TraineeFeedbackSerializer(many=True)
    employer = EmployerFeedbackSerializer(many=True)


class EnrolmentInputSerializer(serializers.Serializer[Any]):
    occupation = serializers.CharField(max_length=10, help_text="Occupation code")
    period = serializers.CharField(max_length=7, help_text="2026 or 2026Q1")
    enrolled = serializers.IntegerField(min_value=0, max_value=1_000_000)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EnrolmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occupation = serializers.CharField(source="occupation.code")
    period_kind = serializers.CharField()
    period = serializers.CharField()
    enrolled = serializers.IntegerField()
    note = serializers.CharField()
    declared_at = serializers.DateTimeField()


class CoursePriceInputSerializer(serializers.Serializer[Any]):
    occupation = serializers.CharField(max_length=10, help_text="Occupation code")
    level = serializers.IntegerField(min_value=1, max_value=5)
    price = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    hours = serializers.IntegerField(min_value=1, max_value=10_000, required=False, allow_null=True, default=None)
    effective_from = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CoursePriceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occupation = serializers.CharField(source="occupation.code")
    level = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=9, decimal_places=2)
    hours = serializers.IntegerField(allow_null=True)
    effective_from = serializers.DateField()
    note = serializers.CharField()
    declared_at = serializers.DateTimeField()
