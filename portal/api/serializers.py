"""Serializers of the core's API: one input or output shape per operation."""

from typing import cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from portal.models import AuditEvent, CalendarDay, City, Membership, Occupation, Province, User, WorkType


class MembershipSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField[Province](slug_field="slug", read_only=True)
    city = serializers.SlugRelatedField[City](slug_field="code", read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["province", "role", "role_display", "city", "institution"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "mobile", "memberships"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, object]]:
        qs = Membership.objects.active().filter(user=user).select_related("province", "city")
        return cast(list[dict[str, object]], MembershipSerializer(qs, many=True).data)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField[User](allow_null=True)  # None for the system (sweeps)

    class Meta:
        model = AuditEvent
        fields = [
            "id", "at", "actor", "object_type", "object_id", "object_repr", "action",
            "from_state", "to_state", "reason", "changes",
        ]


class OccupationSerializer(serializers.ModelSerializer):
    work_types = serializers.SlugRelatedField[WorkType](slug_field="name", many=True, read_only=True)

    class Meta:
        model = Occupation
        fields = [
            "id", "code", "name", "edition", "is_skill_type", "has_national_standard",
            "has_evaluation_norm", "is_access_type", "work_types",
        ]


class WorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    n = serializers.IntegerField(min_value=-400, max_value=400)


class WorkingDaysResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    n = serializers.IntegerField()
    result = serializers.DateField()


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "kind", "holiday_name"]


class IdentifierCheckSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["credit_code", "id_number"])
    value = serializers.CharField(max_length=40)


class IdentifierResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True)


class TokenRequestSerializer(AuthTokenSerializer):
    """Username (or mobile number) and password, and the two-factor code of a person who signs in with one."""

    # As long as a username can be: a longer one is refused here, before a failed sign-in is recorded (axes).
    username = serializers.CharField(label=_("Username"), max_length=150, write_only=True)
    otp_token = serializers.CharField(required=False, allow_blank=True, max_length=20, write_only=True,
                                      help_text="Authenticator or backup code; required when two-factor is on.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
