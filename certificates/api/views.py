"""API views of the exam pipeline: one class per operation. Domain errors come back as {"code", "detail"} through
portal.api.errors; a rejected file adds "errors" (every bad row with its line) and a refused plan "problems"."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from filings.access import scope_filings
from filings.models import FilingStatus
from portal.api.permissions import DeclaredRoles
from portal.errors import DomainError
from portal.models import Role, WorkType

from .. import services
from ..access import (
    access_own_plan,
    access_plan,
    access_result_objection,
    access_session,
    scope_plans,
    scope_staff,
    scope_venues,
)
from ..models import ExamPlan, ExamStaff, ExamVenue
from . import serializers as s

EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
ORGANIZATION = (Role.INSTITUTION_MEMBER,)
OFFICERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)


def _refusal(exc: DomainError) -> Response:
    body: dict[str, Any] = {"code": exc.code, "detail": str(exc)}
    if isinstance(exc, services.RowsRejected):
        body["errors"] = [{"line": e.line, "message": e.message} for e in exc.errors]
    if isinstance(exc, services.PlanRefused):
        body["problems"] = exc.problems
    return Response(body, status=exc.status)


class _APIView(APIView):
    permission_classes = [DeclaredRoles]

    def plan(self) -> ExamPlan:
        return access_plan(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    def own_plan(self) -> ExamPlan:
        return access_own_plan(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    def detail(self, plan: ExamPlan, code: int = status.HTTP_200_OK) -> Response:
        plan.refresh_from_db()
        return Response(s.PlanDetailSerializer(plan).data, status=code)


class PlanListAPIView(generics.ListAPIView, _APIView):
    allowed_roles = EVERYONE
    serializer_class = s.PlanSerializer

    def get_queryset(self) -> QuerySet[ExamPlan]:
        return scope_plans(self.access).select_related(  # type: ignore[attr-defined]
            "institution", "occupation", "work_type", "city").order_by("-first_session_on", "-pk")

    @extend_schema(request=s.PlanInputSerializer, responses={201: s.PlanDetailSerializer})
    def post(self, request: Request, province: str) -> Response:
        if not self.access.has(Role.INSTITUTION_MEMBER):  # type: ignore[attr-defined]
            return Response({"code": "not_permitted", "detail": "只有评价机构可以报备考核计划。"}, status=403)
        data = s.PlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        filing = get_object_or_404(scope_filings(self.access).filter(  # type: ignore[attr-defined]
            institution_id__in=self.access.institution_ids()).exclude(status=FilingStatus.TERMINATED))  # type: ignore[attr-defined]
        work_type = None
        if v["work_type"]:
            work_type = get_object_or_404(WorkType, occupation=v["occupation"], name=v["work_type"])
        plan = services.create_plan(filing, acting_user=request.user, occupation=v["occupation"],  # type: ignore[arg-type]
                                    work_type=work_type, levels=v["levels"], title=v["title"],
                                    evaluation_process=v["evaluation_process"])
        return self.detail(plan, status.HTTP_201_CREATED)


class PlanDetailAPIView(_APIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.PlanDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(self.plan())


class SessionAddAPIView(_APIView):
    allowed_roles = ORGANIZATION

    @extend_schema(request=s.SessionInputSerializer, responses={201: s.PlanDetailSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["venue"] = get_object_or_404(scope_venues(self.access), pk=v["venue"])  # type: ignore[attr-defined]
        services.add_session(plan, acting_user=request.user, **v)  # type: ignore[arg-type]
        return self.detail(plan, status.HTTP_201_CREATED)


class SessionStaffAPIView(_APIView):
    allowed_roles = ORGANIZATION

    @extend_schema(request=s.StaffAssignSerializer, responses=s.PlanDetailSerializer)
    def put(self, request: Request, province: str, pk: int, session_pk: int) -> Response:
        plan = self.own_plan()
        session = access_session(self.access, plan, session_pk)  # type: ignore[attr-defined]
        data = s.StaffAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = list(scope_staff(self.access).filter(pk__in=data.validated_data["staff"]))  # type: ignore[attr-defined]
        if len(people) != len(set(data.validated_data["staff"])):
            return Response({"code": services.Codes.STAFF_INVALID, "detail": "考务人员不存在。"}, status=400)
        services.assign_staff(session, acting_user=request.user, staff=people)  # type: ignore[arg-type]
        return self.detail(plan)


class RosterAPIView(_APIView):
    allowed_roles = EVERYONE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=s.CandidateSerializer(many=True))
    def get(self, request: Request, province: str, pk: int) -> Response:
        plan = self.plan()
        return Response(s.CandidateSerializer(plan.candidates.order_by("line")[:20000], many=True).data)

    @extend_schema(request=s.ExamFileUploadSerializer, responses={201: s.PlanDetailSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.ExamFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            services.import_roster(plan, acting_user=request.user, content=upload.read(), filename=upload.name,  # type: ignore[arg-type]
                                   confirm_certified=data.validated_data["confirm_certified"])
        except services.RowsRejected as exc:
            return _refusal(exc)
        return self.detail(plan, status.HTTP_201_CREATED)


class ResultsAPIView(RosterAPIView):
    @extend_schema(request=s.ExamFileUploadSerializer, responses={201: s.PlanDetailSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.ExamFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            services.import_results(plan, acting_user=request.user, content=upload.read(), filename=upload.name,  # type: ignore[arg-type]
                                    reason=data.validated_data["reason"])
        except services.RowsRejected as exc:
            return _refusal(exc)
        return self.detail(plan, status.HTTP_201_CREATED)


class _ActionAPIView(_APIView):
    """A state change with an optional reason: POST {"reason": "..."}."""

    own = False

    def act(self, plan: ExamPlan, reason: str) -> Any:
        raise NotImplementedError

    @extend_schema(request=s.NoteSerializer, responses=s.PlanDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan() if self.own else self.plan()
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            self.act(plan, data.validated_data["reason"])
        except services.PlanRefused as exc:
            return _refusal(exc)
        return self.detail(plan)


class FilePlanAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.file_plan(plan, acting_user=self.request.user, reason=reason)  # type: ignore[arg-type]


class AmendPlanAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_amendment(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class StartResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class PublishResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.publish_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class ResubmitResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.resubmit_results(plan, acting_user=self.request.user)  # type: ignore[arg-type]


class AcknowledgePlanAPIView(_ActionAPIView):
    allowed_roles = OFFICERS

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.acknowledge_plan(plan, acting_user=self.request.user, note=reason)  # type: ignore[arg-type]


class RequestChangesAPIView(_ActionAPIView):
    allowed_roles = OFFICERS

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.request_plan_changes(plan, acting_user=self.request.user, note=reason)  # type: ignore[arg-type]


class ReviewAPIView(_APIView):
    allowed_roles = OFFICERS

    @extend_schema(request=s.ReviewSerializer, responses=s.PlanDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.plan()
        data = s.ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["decision"] == "return":
            services.return_results(plan, acting_user=request.user, reason=v["reason"])  # type: ignore[arg-type]
        else:
            services.approve_results(plan, acting_user=request.user, note=v["reason"])  # type: ignore[arg-type]
        return self.detail(plan)


class VenueListAPIView(generics.ListAPIView, _APIView):
    allowed_roles = ORGANIZATION
    serializer_class = s.VenueSerializer

    def get_queryset(self) -> QuerySet[ExamVenue]:
        return scope_venues(self.access).select_related("city")  # type: ignore[attr-defined]

    @extend_schema(request=s.VenueSerializer, responses={201: s.VenueSerializer})
    def post(self, request: Request, province: str) -> Response:
        data = s.VenueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = next(m.institution for m in self.access.memberships  # type: ignore[attr-defined]
                           if m.role == Role.INSTITUTION_MEMBER)
        venue = services.create_venue(institution, acting_user=request.user, name=data.validated_data["name"],  # type: ignore[arg-type]
                                      address=data.validated_data["address"], city=data.validated_data["city"])
        return Response(s.VenueSerializer(venue).data, status=status.HTTP_201_CREATED)


class StaffListAPIView(generics.ListAPIView, _APIView):
    allowed_roles = ORGANIZATION
    serializer_class = s.StaffSerializer

    def get_queryset(self) -> QuerySet[ExamStaff]:
        return scope_staff(self.access).prefetch_related("qualifications__occupation")  # type: ignore[attr-defined]

    @extend_schema(request=s.StaffInputSerializer, responses={201: s.StaffSerializer})
    def post(self, request: Request, province: str) -> Response:
        data = s.StaffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        institution = next(m.institution for m in self.access.memberships  # type: ignore[attr-defined]
                           if m.role == Role.INSTITUTION_MEMBER)
        staff = services.create_staff(
            institution, acting_user=request.user, name=v["name"], id_number=v["id_number"], duty=v["duty"],  # type: ignore[arg-type]
            certificate_number=v["certificate_number"],
            qualifications=[services.Qualification(q["occupation"], tuple(q["levels"])) for q in v["qualifications"]])
        return Response(s.StaffSerializer(staff).data, status=status.HTTP_201_CREATED)


class ObjectionAnswerAPIView(_APIView):
    """The organization answers an objection to its result publicity (upheld: the candidate is withdrawn)."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.ObjectionAnswerSerializer, responses=s.ResultObjectionSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        objection = access_result_objection(self.access, pk)  # type: ignore[attr-defined]
        data = s.ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.answer_objection(objection, acting_user=request.user,  # type: ignore[arg-type]
                                             upheld=data.validated_data["upheld"],
                                             resolution=data.validated_data["resolution"])
        return Response(s.ResultObjectionSerializer(answered).data)
