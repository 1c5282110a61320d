"""API of inspection campaigns and inspections (scoped like the pages): list and create campaigns, read one with its
commitment and picks, publish the commitment, draw with the public numbers, replace an inspector, close; list and
read inspections, schedule one, record its checklist and findings, complete it. Refusals come from
portal.api.errors."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from certificates.models import ExamPlan
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import City, Role

from .. import services
from ..access_inspections import INSPECTOR_ROLES, access_campaign, access_inspection, scope_campaigns, scope_inspections
from ..errors import Codes
from ..models import (
    Campaign,
    CampaignState,
    ChecklistItem,
    ChecklistResult,
    DrawPick,
    Finding,
    Inspection,
    InspectionState,
    InspectorAssignment,
    Severity,
)

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
READERS = (*OFFICERS, *INSPECTOR_ROLES)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)
STATE_409 = [(409, Codes.CAMPAIGN_STATE), (403, CoreCodes.NOT_PERMITTED)]


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    city = serializers.CharField(source="city.code", allow_null=True, default=None)

    class Meta:
        model = Campaign
        fields = ["id", "title", "state", "city", "occupation_group", "organizations_to_draw",
                  "inspectors_per_organization", "exclude_months", "weighted", "own_city_rule", "announced",
                  "random_source", "random_source_date", "inspect_from", "inspect_until", "commitment_sha256",
                  "committed_at", "sources", "key", "drawn_at", "closed_at"]


class CampaignPickSerializer(serializers.ModelSerializer[DrawPick]):
    class Meta:
        model = DrawPick
        fields = ["index", "sequence", "digest", "remaining", "position", "member", "organization"]


class CampaignDetailSerializer(CampaignSerializer):
    commitment = serializers.JSONField()
    picks = CampaignPickSerializer(many=True, read_only=True)

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "commitment", "picks"]


class CreateCampaignSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    city = serializers.CharField(required=False, allow_blank=True, help_text="city code; blank for the province")
    occupation_group = serializers.RegexField(r"^(\d{1,2}-\d{2})?$", required=False, default="")
    organizations_to_draw = serializers.IntegerField(min_value=1, max_value=200)
    inspectors_per_organization = serializers.IntegerField(min_value=1, max_value=5, default=2)
    exclude_months = serializers.IntegerField(min_value=0, max_value=60, default=12)
    weighted = serializers.BooleanField(default=False)
    random_source = serializers.CharField(max_length=200)
    random_source_date = serializers.DateField()
    inspect_from = serializers.DateField()
    inspect_until = serializers.DateField()


class CampaignDrawSerializer(serializers.Serializer[Any]):
    sources = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField(min_value=0),
                                                                 min_length=1), min_length=1)


class InspectorReplaceSerializer(serializers.Serializer[Any]):
    assignment = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, allow_blank=True)


class InspectorAssignmentSerializer(serializers.ModelSerializer[InspectorAssignment]):
    index = serializers.IntegerField(source="pick.index")

    class Meta:
        model = InspectorAssignment
        fields = ["id", "code", "index", "replaced_at", "replaced_reason"]


class InspectionChecklistItemSerializer(serializers.ModelSerializer[ChecklistItem]):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "group", "key", "text", "result", "note"]


class InspectionFindingSerializer(serializers.ModelSerializer[Finding]):
    order_id = serializers.IntegerField(source="order.pk", read_only=True, default=None)

    class Meta:
        model = Finding
        fields = ["id", "severity", "text", "item", "proposes_suspension", "suspension_reason", "created_at",
                  "order_id"]


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    institution = serializers.CharField(source="institution.name")

    class Meta:
        model = Inspection
        fields = ["id", "campaign", "institution", "institution_id", "draw_order", "state", "scheduled_on",
                  "announced", "scope_session", "scope_site", "scope_documents", "exam_plan", "report",
                  "completed_at"]


class InspectionDetailSerializer(InspectionSerializer):
    assignments = InspectorAssignmentSerializer(many=True, read_only=True)
    checklist = InspectionChecklistItemSerializer(many=True, read_only=True)
    findings = InspectionFindingSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "assignments", "checklist", "findings"]


class InspectionScheduleSerializer(serializers.Serializer[Any]):
    scheduled_on = serializers.DateField()
    scope_session = serializers.BooleanField(default=False)
    scope_site = serializers.BooleanField(default=True)
    scope_documents = serializers.BooleanField(default=True)
    exam_plan = serializers.IntegerField(required=False, allow_null=True, default=None)


class InspectionChecklistEntrySerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField()
    result = serializers.ChoiceField(choices=ChecklistResult.choices)
    note = serializers.CharField(max_length=1000, allow_blank=True, default="")


class InspectionChecklistSerializer(serializers.Serializer[Any]):
    results = InspectionChecklistEntrySerializer(many=True)


class NewInspectionFindingSerializer(serializers.Serializer[Any]):
    severity = serializers.ChoiceField(choices=Severity.choices)
    text = serializers.CharField(max_length=2000)
    item = serializers.IntegerField(required=False, allow_null=True, default=None)
    proposes_suspension = serializers.BooleanField(default=False)
    suspension_reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class InspectionReportSerializer(serializers.Serializer[Any]):
    report = serializers.CharField(max_length=5000, allow_blank=True)


class CampaignListAPIView(ProvinceListAPIView[Campaign]):
    """Campaigns the caller may see; POST creates a draft (provincial officers, or city officers in their city)."""

    allowed_roles = READERS
    serializer_class = CampaignSerializer

    def get_queryset(self) -> QuerySet[Campaign]:
        qs = scope_campaigns(self.access).select_related("city").order_by("-created_at", "-id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state in CampaignState.values else qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=CampaignState.values)],
                   responses={200: CampaignSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CreateCampaignSerializer, responses={201: CampaignSerializer, **merge_error_responses(
        [(400, Codes.CAMPAIGN_INVALID), (400, CoreCodes.INVALID), (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str) -> Response:
        data = CreateCampaignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("city", "")
        city = get_object_or_404(City, province=self.access.province, code=code) if code else None
        campaign = services.create_campaign(self.access.province, acting_user=self.user, city=city, **values)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailAPIView(ProvinceAPIView):
    """One campaign with its published commitment and every pick of its draw."""

    allowed_roles = READERS

    @extend_schema(responses={200: CampaignDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(CampaignDetailSerializer(access_campaign(self.access, pk)).data)


class CampaignCommitAPIView(ProvinceAPIView):
    """Publish the commitment: frame, pool, rules, weights and the public random source, with their SHA-256."""

    allowed_roles = OFFICERS

    @extend_schema(request=None, responses={200: CampaignDetailSerializer, **NOT_FOUND, **merge_error_responses(
        STATE_409, [(400, Codes.FRAME_EMPTY), (400, Codes.CAMPAIGN_INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        campaign = services.publish_commitment(access_campaign(self.access, pk), acting_user=self.user)
        return Response(CampaignDetailSerializer(campaign).data)


class CampaignDrawAPIView(ProvinceAPIView):
    """Record the public numbers (one list per source) and draw, once (RFC 3797)."""

    allowed_roles = OFFICERS

    @extend_schema(request=CampaignDrawSerializer, responses={200: CampaignDetailSerializer, **NOT_FOUND, **merge_error_responses(
        STATE_409, [(400, Codes.SOURCE_NOT_YET), (400, CoreCodes.INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        campaign = access_campaign(self.access, pk)
        data = CampaignDrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.draw_campaign(campaign, acting_user=self.user, sources=data.validated_data["sources"])
        return Response(CampaignDetailSerializer(campaign).data)


class CampaignReplaceAPIView(ProvinceAPIView):
    """Replace a drawn inspector by the next pick of the campaign's sequence, with the reason."""

    allowed_roles = OFFICERS

    @extend_schema(request=InspectorReplaceSerializer, responses={200: InspectorAssignmentSerializer, **NOT_FOUND, **merge_error_responses(
        [(409, Codes.INSPECTOR_NOT_REPLACEABLE), (400, "reason_required"), (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        campaign = access_campaign(self.access, pk)
        data = InspectorReplaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = get_object_or_404(InspectorAssignment, inspection__campaign=campaign,
                                       pk=data.validated_data["assignment"])
        new = services.replace_inspector(assignment, acting_user=self.user, reason=data.validated_data["reason"])
        return Response(InspectorAssignmentSerializer(new).data if new else None)


class CampaignCloseAPIView(ProvinceAPIView):
    """End a drawn campaign whose inspections are all done; its public page then lists the outcomes."""

    allowed_roles = OFFICERS

    @extend_schema(request=None, responses={200: CampaignSerializer, **NOT_FOUND, **merge_error_responses(
        STATE_409, [(409, Codes.INSPECTIONS_OPEN)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        campaign = services.close_campaign(access_campaign(self.access, pk), acting_user=self.user)
        return Response(CampaignSerializer(campaign).data)


class InspectionListAPIView(ProvinceListAPIView[Inspection]):
    """Inspections the caller may see; ?state=scheduled|completed, ?campaign=<id>."""

    allowed_roles = (*READERS, Role.INSTITUTION_MEMBER)
    serializer_class = InspectionSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = scope_inspections(self.access).select_related("institution").order_by("campaign_id", "draw_order")
        params = self.request.query_params
        if params.get("state") in InspectionState.values:
            qs = qs.filter(state=params["state"])
        if (campaign := params.get("campaign", "")).isdigit():
            qs = qs.filter(campaign_id=int(campaign))
        return qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=InspectionState.values),
                               OpenApiParameter("campaign", int)], responses={200: InspectionSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InspectionDetailAPIView(ProvinceAPIView):
    allowed_roles = (*READERS, Role.INSTITUTION_MEMBER)

    @extend_schema(responses={200: InspectionDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(InspectionDetailSerializer(access_inspection(self.access, pk)).data)


INSPECTOR_ERRORS = [(409, Codes.INSPECTION_STATE), (403, CoreCodes.NOT_PERMITTED), (400, CoreCodes.INVALID)]


class InspectionScheduleAPIView(ProvinceAPIView):
    allowed_roles = INSPECTOR_ROLES

    @extend_schema(request=InspectionScheduleSerializer, responses={200: InspectionDetailSerializer, **NOT_FOUND,
                                                          **merge_error_responses(INSPECTOR_ERRORS,
                                                                                  [(400, Codes.CAMPAIGN_INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        inspection = access_inspection(self.access, pk)
        data = InspectionScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan_id = values.pop("exam_plan")
        plan = get_object_or_404(ExamPlan, province=self.access.province, pk=plan_id) if plan_id else None
        inspection = services.schedule_inspection(inspection, acting_user=self.user,
                                                  schedule=services.Schedule(exam_plan=plan, **values))
        return Response(InspectionDetailSerializer(inspection).data)


class InspectionChecklistAPIView(ProvinceAPIView):
    allowed_roles = INSPECTOR_ROLES

    @extend_schema(request=InspectionChecklistSerializer, responses={200: InspectionDetailSerializer, **NOT_FOUND,
                                                           **merge_error_responses(INSPECTOR_ERRORS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        inspection = access_inspection(self.access, pk)
        data = InspectionChecklistSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = {e["item"]: (e["result"], e["note"]) for e in data.validated_data["results"]}
        services.record_checklist(inspection, acting_user=self.user, results=results)
        return Response(InspectionDetailSerializer(access_inspection(self.access, pk)).data)


class InspectionFindingAPIView(ProvinceAPIView):
    """Record a finding: it opens a rectification order (deadline in working days by severity)."""

    allowed_roles = INSPECTOR_ROLES

    @extend_schema(request=NewInspectionFindingSerializer, responses={201: InspectionFindingSerializer, **NOT_FOUND, **merge_error_responses(
        INSPECTOR_ERRORS, [(400, Codes.FINDING_INVALID), (400, CoreCodes.CALENDAR_YEAR_MISSING)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        inspection = access_inspection(self.access, pk)
        data = NewInspectionFindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item_id = values.pop("item")
        item = get_object_or_404(ChecklistItem, inspection=inspection, pk=item_id) if item_id else None
        finding = services.record_finding(inspection, acting_user=self.user, item=item, **values)
        return Response(InspectionFindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class InspectionCompleteAPIView(ProvinceAPIView):
    allowed_roles = INSPECTOR_ROLES

    @extend_schema(request=InspectionReportSerializer, responses={200: InspectionDetailSerializer, **NOT_FOUND,
                                                        **merge_error_responses(INSPECTOR_ERRORS,
                                                                                [(400, Codes.FINDING_INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        inspection = access_inspection(self.access, pk)
        data = InspectionReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = services.complete_inspection(inspection, acting_user=self.user,
                                                  report=data.validated_data["report"])
        return Response(InspectionDetailSerializer(inspection).data)
