"""API of exits and suspensions (scoped like the pages): list and read exits, request, order, withdraw and confirm an
exit, tick off a wrap-up task with its evidence; list suspensions, suspend and resume. Refusals come back from
portal.api.errors with their codes."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from filings.access import access_filing
from filings.models import ExitKind
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Role

from .. import services
from ..access import access_exit, access_suspension, scope_exits, scope_suspensions
from ..errors import Codes
from ..models import ExitState, FilingExit, Suspension, SuspensionState, WrapUpKind, WrapUpTask

EVERYONE = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.INSTITUTION_MEMBER)
PROVINCE = (Role.PROVINCIAL_OFFICER,)
MEMBER = (Role.INSTITUTION_MEMBER,)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)
REFUSED = [(400, CoreCodes.INVALID), (403, CoreCodes.NOT_PERMITTED), (409, CoreCodes.INVALID_TRANSITION),
           (409, CoreCodes.CONFLICT)]


class WrapUpTaskSerializer(serializers.ModelSerializer[WrapUpTask]):
    done = serializers.BooleanField(source="is_done")

    class Meta:
        model = WrapUpTask
        fields = ["kind", "done", "done_at", "evidence_name", "note"]


class ExitSerializer(serializers.ModelSerializer[FilingExit]):
    filing_id = serializers.IntegerField()
    organization = serializers.CharField(source="filing.institution.name")
    overdue = serializers.SerializerMethodField()
    tasks = WrapUpTaskSerializer(many=True, read_only=True)

    class Meta:
        model = FilingExit
        fields = ["id", "filing_id", "organization", "kind", "state", "reason", "requested_on", "exit_on",
                  "wrap_up_due_on", "overdue", "terminated_on", "notice_number", "announcement_id", "proposal_type",
                  "proposal_id", "cancelled_plans", "tasks"]

    def get_overdue(self, obj: FilingExit) -> bool:
        return obj.is_overdue()


class SuspensionSerializer(serializers.ModelSerializer[Suspension]):
    filing_id = serializers.IntegerField()
    organization = serializers.CharField(source="filing.institution.name")

    class Meta:
        model = Suspension
        fields = ["id", "filing_id", "organization", "state", "reason", "starts_on", "ends_on", "ended_on",
                  "ended_how", "end_reason"]


class VoluntaryExitSerializer(serializers.Serializer[Any]):
    exit_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class OrderExitSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000, allow_blank=True)
    evidence = serializers.FileField(required=False)
    proposal_type = serializers.CharField(max_length=100, required=False, allow_blank=True)
    proposal_id = serializers.CharField(max_length=40, required=False, allow_blank=True)


class WrapUpSerializer(serializers.Serializer[Any]):
    evidence = serializers.FileField(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class LifecycleReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class SuspendSerializer(serializers.Serializer[Any]):
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000, allow_blank=True)


def _exit(filing_exit: FilingExit) -> Any:
    """The exit as it is now (after the service's change), with its tasks."""
    fresh = FilingExit.objects.select_related("filing__institution").prefetch_related("tasks").get(pk=filing_exit.pk)
    return ExitSerializer(fresh).data


class ExitListAPIView(ProvinceListAPIView[FilingExit]):
    """Exits in scope; ?state=, ?kind=, ?overdue=1."""

    allowed_roles = EVERYONE
    serializer_class = ExitSerializer

    def get_queryset(self) -> QuerySet[FilingExit]:
        qs = scope_exits(self.access).select_related("filing__institution").prefetch_related("tasks").order_by(
            "-requested_on", "-id")
        params = self.request.query_params
        if params.get("state") in ExitState.values:
            qs = qs.filter(state=params["state"])
        if params.get("kind") in ExitKind.values:
            qs = qs.filter(kind=params["kind"])
        if params.get("overdue") == "1":
            qs = qs.filter(state=ExitState.WRAPPING_UP, overdue_flagged_on__isnull=False)
        return qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=ExitState.values),
                               OpenApiParameter("kind", str, enum=ExitKind.values),
                               OpenApiParameter("overdue", str, enum=["1"])],
                   responses={200: ExitSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExitDetailAPIView(ProvinceAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses={200: ExitSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_exit(access_exit(self.access, pk)))


class VoluntaryExitAPIView(ProvinceAPIView):
    """The organization requests a voluntary exit for a day at least the pack's notice days ahead."""

    allowed_roles = MEMBER

    @extend_schema(request=VoluntaryExitSerializer, responses={201: ExitSerializer, **NOT_FOUND, **merge_error_responses(
        [*REFUSED, (400, Codes.EXIT_TOO_EARLY), (400, Codes.REASON_REQUIRED), (409, Codes.EXIT_OPEN)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing = access_filing(self.access, pk)
        data = VoluntaryExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing_exit = services.request_voluntary_exit(filing, acting_user=self.user, **data.validated_data)
        return Response(_exit(filing_exit), status=status.HTTP_201_CREATED)


class OrderExitAPIView(ProvinceAPIView):
    """The province orders an exit (multipart: reason, evidence file, optional proposal type and id)."""

    allowed_roles = PROVINCE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": OrderExitSerializer}, responses={
        201: ExitSerializer, **NOT_FOUND, **merge_error_responses(
            [*REFUSED, (400, Codes.REASON_REQUIRED), (400, Codes.EVIDENCE_REQUIRED), (409, Codes.EXIT_OPEN)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing = access_filing(self.access, pk)
        data = OrderExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        filing_exit = services.order_exit(filing, acting_user=self.user, reason=v["reason"],
                                          evidence=v.get("evidence"), proposal_type=v.get("proposal_type", ""),
                                          proposal_id=v.get("proposal_id", ""))
        return Response(_exit(filing_exit), status=status.HTTP_201_CREATED)


class WrapUpTaskAPIView(ProvinceAPIView):
    """The organization ticks off a wrap-up task (certificate_data, archives) with its evidence file."""

    allowed_roles = MEMBER
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": WrapUpSerializer}, parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=WrapUpKind.values)],
        responses={200: ExitSerializer, **NOT_FOUND, **merge_error_responses([*REFUSED, (400, Codes.EVIDENCE_REQUIRED)])})
    def post(self, request: Request, province: str, pk: int, kind: str) -> Response:
        filing_exit = access_exit(self.access, pk)
        task = get_object_or_404(filing_exit.tasks, kind=kind)
        data = WrapUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_wrap_up_task(task, acting_user=self.user, evidence=data.validated_data.get("evidence"),
                                       note=data.validated_data.get("note", ""))
        return Response(_exit(filing_exit))


class ConfirmExitAPIView(ProvinceAPIView):
    """The province confirms: the filing is terminated and the termination notice issued."""

    allowed_roles = PROVINCE

    @extend_schema(request=LifecycleReasonSerializer, responses={200: ExitSerializer, **NOT_FOUND, **merge_error_responses(
        [*REFUSED, (400, Codes.WRAP_UP_INCOMPLETE)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing_exit = access_exit(self.access, pk)
        data = LifecycleReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_exit(services.confirm_exit(filing_exit, acting_user=self.user,
                                                    reason=data.validated_data["reason"])))


class WithdrawExitAPIView(ProvinceAPIView):
    """The organization withdraws its voluntary request before the exit day."""

    allowed_roles = MEMBER

    @extend_schema(request=LifecycleReasonSerializer, responses={200: ExitSerializer, **NOT_FOUND, **merge_error_responses(
        [*REFUSED, (400, Codes.REASON_REQUIRED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing_exit = access_exit(self.access, pk)
        data = LifecycleReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_exit(services.withdraw_voluntary_exit(filing_exit, acting_user=self.user,
                                                               reason=data.validated_data["reason"])))


class SuspensionListAPIView(ProvinceListAPIView[Suspension]):
    """Suspensions in scope; ?state=in_force|ended|superseded."""

    allowed_roles = EVERYONE
    serializer_class = SuspensionSerializer

    def get_queryset(self) -> QuerySet[Suspension]:
        qs = scope_suspensions(self.access).select_related("filing__institution").order_by("-starts_on", "-id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state in SuspensionState.values else qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=SuspensionState.values)],
                   responses={200: SuspensionSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SuspendAPIView(ProvinceAPIView):
    """The province suspends an active filing until a day (inclusive) with a reason."""

    allowed_roles = PROVINCE

    @extend_schema(request=SuspendSerializer, responses={201: SuspensionSerializer, **NOT_FOUND, **merge_error_responses(
        [*REFUSED, (400, Codes.REASON_REQUIRED), (400, Codes.SUSPENSION_PERIOD_INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing = access_filing(self.access, pk)
        data = SuspendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suspension = services.suspend(filing, acting_user=self.user, **data.validated_data)
        return Response(SuspensionSerializer(suspension).data, status=status.HTTP_201_CREATED)


class ResumeAPIView(ProvinceAPIView):
    """The province resumes a suspended filing early, with a reason."""

    allowed_roles = PROVINCE

    @extend_schema(request=LifecycleReasonSerializer, responses={200: SuspensionSerializer, **NOT_FOUND, **merge_error_responses(
        [*REFUSED, (400, Codes.REASON_REQUIRED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        suspension = access_suspension(self.access, pk)
        data = LifecycleReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resumed = services.resume(suspension, acting_user=self.user, reason=data.validated_data["reason"])
        return Response(SuspensionSerializer(resumed).data)
