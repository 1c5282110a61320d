"""API views of the core, one class per operation."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import twofactor, workdays
from portal.access import access_audit_event, scope_audit_events
from portal.errors import Codes
from portal.identifiers import validate_credit_code, validate_id_number
from portal.models import AuditEvent, Occupation, Role
from portal.roles import AUTHENTICATED, PUBLIC

from . import serializers
from .base import ProvinceListAPIView, ProvinceRetrieveAPIView
from .permissions import DeclaredRoles
from .schema import merge_error_responses


class MeView(APIView):
    allowed_roles = (AUTHENTICATED,)
    permission_classes = [DeclaredRoles]

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(serializers.MeSerializer(request.user).data)


class AuditEventListView(ProvinceListAPIView[AuditEvent]):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    serializer_class = serializers.AuditEventSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        qs = scope_audit_events(self.access).select_related("actor")
        action = self.request.query_params.get("action")
        if action:
            qs = qs.filter(action=action)
        return qs


class AuditEventDetailView(ProvinceRetrieveAPIView[AuditEvent]):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    serializer_class = serializers.AuditEventSerializer
    queryset = AuditEvent.objects.none()

    def get_object(self) -> AuditEvent:
        return access_audit_event(self.access, self.kwargs["pk"])


class OccupationListView(generics.ListAPIView[Occupation]):
    """职业分类大典 reference data; filter with ?q= (code or name) and ?skill_type=1."""

    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    serializer_class = serializers.OccupationSerializer

    def get_queryset(self) -> QuerySet[Occupation]:
        qs = Occupation.objects.prefetch_related("work_types")
        q = self.request.query_params.get("q")
        if q:
            qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q))
        if self.request.query_params.get("skill_type") == "1":
            qs = qs.skill_type()
        return qs


class WorkingDaysView(APIView):
    """The n-th working day after `start` on the portal's calendar (statutory holidays and make-up days)."""

    allowed_roles = (AUTHENTICATED,)
    permission_classes = [DeclaredRoles]

    @extend_schema(parameters=[serializers.WorkingDaysQuerySerializer],
                   responses=serializers.WorkingDaysResultSerializer)
    def get(self, request: Request) -> Response:
        query = serializers.WorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, n = query.validated_data["start"], query.validated_data["n"]
        result = workdays.add_working_days(start, n)
        return Response(serializers.WorkingDaysResultSerializer({"start": start, "n": n, "result": result}).data)


class IdentifierCheckView(APIView):
    """Check a unified social credit code or a resident ID number; says which character is wrong."""

    allowed_roles = (AUTHENTICATED,)
    permission_classes = [DeclaredRoles]

    @extend_schema(request=serializers.IdentifierCheckSerializer, responses=serializers.IdentifierResultSerializer)
    def post(self, request: Request) -> Response:
        data = serializers.IdentifierCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        validator: Any = validate_credit_code if data.validated_data["kind"] == "credit_code" else validate_id_number
        try:
            validator(data.validated_data["value"])
        except ValidationError as exc:
            return Response({"valid": False, "code": exc.code or "invalid", "message": exc.messages[0]})
        return Response({"valid": True, "code": "", "message": ""})


class TokenView(ObtainAuthToken):
    """Exchange a username (or mobile number) and password for an API token (Authorization: Token <key>).

    A person who signs in with two factors also sends `otp_token` (a current authenticator or backup code); without
    it no token is issued (portal.twofactor.check_token_request), so a token stands for a verified sign-in.
    """

    allowed_roles = (PUBLIC,)
    serializer_class = serializers.TokenRequestSerializer

    @extend_schema(responses={200: serializers.TokenSerializer,
                              **merge_error_responses([(400, Codes.TWO_FACTOR_INVALID),
                                                       (403, Codes.TWO_FACTOR_ENROLMENT_REQUIRED)])})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        twofactor.check_token_request(user, serializer.validated_data.get("otp_token", ""), request)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
