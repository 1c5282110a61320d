"""Complaint API for officers and organizations (scoped like the pages): list and read complaints, forward one to the
organization, ask the complainant for information, decide, reassign; the organization answers. The organization's
view never carries the complainant's name or contact."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import City, Role

from .. import selectors, services
from ..access import access_complaint, scope_complaints
from ..errors import Codes
from ..models import CLOCK_RUNNING, Complaint, ComplaintDecision, ComplaintState, HandlingLevel

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
READERS = (*OFFICERS, Role.INSTITUTION_MEMBER)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)
STEP_ERRORS = [(400, Codes.COMPLAINT_INVALID), (400, CoreCodes.INVALID), (403, CoreCodes.NOT_PERMITTED),
               (409, Codes.COMPLAINT_STATE)]

PUBLIC_FIELDS = ["id", "state", "subject_kind", "institution_id", "institution", "occupation", "category",
                 "category_label", "text", "level", "city", "filed_on", "service_due_on", "legal_due_on",
                 "suspended_days", "overdue_at", "triple_overdue_at", "escalated_at", "decision", "decision_reason",
                 "decided_at", "answered_on_time", "reopened_at", "satisfaction", "open_rectification",
                 "rectification_days", "rectification_order_id", "organization_answer"]


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    """A complaint as the caller may read it: the complainant's name and contact are null for the organization
    (and null for everyone when anonymous)."""

    institution = serializers.CharField(source="institution.name")
    institution_id = serializers.IntegerField()
    occupation = serializers.CharField(source="occupation.code", allow_null=True, default=None)
    city = serializers.CharField(source="city.code", allow_null=True, default=None)
    complainant_name = serializers.SerializerMethodField()
    contact_mobile = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [*PUBLIC_FIELDS, "anonymous", "complainant_name", "contact_mobile", "contact_email"]

    def _contact(self, value: str) -> str | None:
        return None if self.context.get("audience") == selectors.ORGANIZATION or not value else value

    def get_complainant_name(self, obj: Complaint) -> str | None:
        return self._contact(obj.complainant_name)

    def get_contact_mobile(self, obj: Complaint) -> str | None:
        return self._contact(obj.contact_mobile)

    def get_contact_email(self, obj: Complaint) -> str | None:
        return self._contact(obj.contact_email)


class ComplaintMessageSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ComplaintDetailSerializer(ComplaintSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "messages"]

    def get_messages(self, obj: Complaint) -> list[dict[str, Any]]:
        audience = self.context.get("audience", selectors.OFFICER)
        return [ComplaintMessageSerializer(m).data for m in selectors.messages_for(obj, audience)]


class ForwardNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ComplaintTextSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000, allow_blank=True)


class ComplaintDecideSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=ComplaintDecision.choices)
    reason = serializers.CharField(max_length=5000, allow_blank=True)
    open_rectification = serializers.BooleanField(required=False, default=False)
    rectification_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                                  max_value=120)


class ComplaintReassignSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=HandlingLevel.choices)
    city = serializers.CharField(max_length=6, required=False, allow_blank=True, default="",
                                 help_text="GB/T 2260 code of a city of the province, e.g. 4403")
    reason = serializers.CharField(max_length=2000, allow_blank=True)


def _audience(view: Any) -> str:
    return selectors.OFFICER if view.access.has(*OFFICERS) else selectors.ORGANIZATION


class ComplaintListAPIView(ProvinceListAPIView[Complaint]):
    """Complaints the caller may see (officers: scoped by city; organizations: those forwarded to them);
    ?state=, ?level=, ?overdue=true."""

    allowed_roles = READERS

    serializer_class = ComplaintSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "audience": _audience(self)}

    def get_queryset(self) -> QuerySet[Complaint]:
        qs = scope_complaints(self.access).select_related("institution", "occupation", "city").order_by(
            "-filed_at", "-id")
        params = self.request.query_params
        if params.get("state") in ComplaintState.values:
            qs = qs.filter(state=params["state"])
        if params.get("level") in HandlingLevel.values:
            qs = qs.filter(level=params["level"])
        if params.get("overdue") in ("true", "1"):
            qs = qs.filter(state__in=CLOCK_RUNNING, service_due_on__lt=timezone.localdate())
        return qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=ComplaintState.values),
                               OpenApiParameter("level", str, enum=HandlingLevel.values),
                               OpenApiParameter("overdue", bool)],
                   responses={200: ComplaintSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _detail(view: Any, complaint: Complaint) -> Response:
    return Response(ComplaintDetailSerializer(complaint, context={"audience": _audience(view)}).data)


class ComplaintDetailAPIView(ProvinceAPIView):
    """One complaint with its messages (as the caller's audience may read them)."""

    allowed_roles = READERS

    @extend_schema(responses={200: ComplaintDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return _detail(self, access_complaint(self.access, pk))


class ForwardAPIView(ProvinceAPIView):
    """Forward an open complaint to the organization for its answer."""

    allowed_roles = OFFICERS

    @extend_schema(request=ForwardNoteSerializer, responses={200: ComplaintDetailSerializer, **NOT_FOUND,
                                                      **merge_error_responses(STEP_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        complaint = access_complaint(self.access, pk)
        data = ForwardNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(self, services.forward_to_organization(complaint, acting_user=self.user,
                                                              note=data.validated_data["note"]))


class RequestInformationAPIView(ProvinceAPIView):
    """Ask the complainant for information: the clock stops until they answer."""

    allowed_roles = OFFICERS

    @extend_schema(request=ComplaintTextSerializer, responses={200: ComplaintDetailSerializer, **NOT_FOUND,
                                                      **merge_error_responses(STEP_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        complaint = access_complaint(self.access, pk)
        data = ComplaintTextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(self, services.request_information(complaint, acting_user=self.user,
                                                          text=data.validated_data["text"]))


class DecideAPIView(ProvinceAPIView):
    """Decide: upheld, partly or not upheld with a reason; optionally open a rectification order."""

    allowed_roles = OFFICERS

    @extend_schema(request=ComplaintDecideSerializer, responses={200: ComplaintDetailSerializer, **NOT_FOUND,
                                                        **merge_error_responses(STEP_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        complaint = access_complaint(self.access, pk)
        data = ComplaintDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return _detail(self, services.decide_complaint(
            complaint, acting_user=self.user, decision=v["decision"], reason=v["reason"],
            open_rectification=v["open_rectification"], rectification_days=v["rectification_days"]))


class ReassignAPIView(ProvinceAPIView):
    """Move a complaint to a city or the province (provincial officers; audited)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    @extend_schema(request=ComplaintReassignSerializer, responses={200: ComplaintDetailSerializer, **NOT_FOUND,
                                                          **merge_error_responses(STEP_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        complaint = access_complaint(self.access, pk)
        data = ComplaintReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        city = get_object_or_404(City, province=self.access.province, code=v["city"]) if v["city"] else None
        return _detail(self, services.reassign_complaint(complaint, acting_user=self.user, level=v["level"],
                                                         city=city, reason=v["reason"]))


class OrganizationAnswerAPIView(ProvinceAPIView):
    """The organization answers a complaint forwarded to it."""

    allowed_roles = (Role.INSTITUTION_MEMBER,)

    @extend_schema(request=ComplaintTextSerializer, responses={200: ComplaintDetailSerializer, **NOT_FOUND,
                                                      **merge_error_responses(STEP_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        complaint = access_complaint(self.access, pk)
        data = ComplaintTextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.answer_as_organization(complaint, acting_user=self.user, text=data.validated_data["text"])
        return _detail(self, answered)
