"""API views of the exam pipeline: one class per operation. Every refusal comes back as {"code", "detail", ...}
through portal.api.errors: a rejected file adds "errors" (every bad row with its line), a refused plan "problems"."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from filings.access import scope_filings
from filings.models import FilingStatus
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import merge_error_responses
from portal.errors import Codes as CoreCodes, DomainError, NotPermitted
from portal.models import Role, WorkType

from ... import services
from ...access import (
    access_own_plan,
    access_plan,
    access_result_objection,
    access_session,
    scope_plans,
    scope_staff,
    scope_venues,
)
from ...errors import Codes
from ...models import ExamPlan, ExamStaff, ExamVenue
from ..serializers import exams as s

EVERYONE = (Role.INSTITUTION_MEMBER, Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
ORGANIZATION = (Role.INSTITUTION_MEMBER,)
OFFICERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)

# The codes each kind of operation can answer with, as (status, code), for the OpenAPI schema.
Errors = list[tuple[int, str]]  # (status, code) pairs for merge_error_responses
INVALID: Errors = [(400, CoreCodes.INVALID)]
FORBIDDEN: Errors = [(403, CoreCodes.NOT_PERMITTED)]
MOVES: Errors = [(409, CoreCodes.INVALID_TRANSITION), (409, CoreCodes.CONFLICT)]
UPLOAD: Errors = [(400, c) for c in (CoreCodes.UPLOAD_EMPTY, CoreCodes.UPLOAD_TOO_LARGE, CoreCodes.UPLOAD_TYPE,
                             CoreCodes.UPLOAD_REJECTED, Codes.FILE_UNREADABLE)]
SCOPE: Errors = [(400, c) for c in (Codes.NOT_ACTIVE, Codes.OUT_OF_SCOPE)]
EDIT: Errors = [(400, Codes.NOT_EDITABLE), *MOVES, *FORBIDDEN]
FILING: Errors = [(400, c) for c in (Codes.PLAN_INCOMPLETE, Codes.LEAD_TIME, Codes.UNDERSTAFFED,
                             CoreCodes.CALENDAR_YEAR_MISSING)]
RESULTS: Errors = [(400, c) for c in (Codes.EXAM_NOT_HELD, Codes.RESULTS_INCOMPLETE, Codes.NO_PASSING, Codes.REASON_REQUIRED)]


def _detail(plan: ExamPlan, code: int = status.HTTP_200_OK) -> Response:
    plan.refresh_from_db()
    return Response(s.PlanDetailSerializer(plan).data, status=code)


def _institution(view: ProvinceAPIView | ProvinceListAPIView[Any]) -> Any:
    return next(m.institution for m in view.access.memberships if m.role == Role.INSTITUTION_MEMBER)


class _APIView(ProvinceAPIView):
    def plan(self) -> ExamPlan:
        return access_plan(self.access, self.kwargs["pk"])

    def own_plan(self) -> ExamPlan:
        return access_own_plan(self.access, self.kwargs["pk"])


class PlanListAPIView(ProvinceListAPIView[ExamPlan]):
    allowed_roles = EVERYONE
    serializer_class = s.PlanSerializer

    def get_queryset(self) -> QuerySet[ExamPlan]:
        return scope_plans(self.access).select_related(
            "institution", "occupation", "work_type", "city").order_by("-first_session_on", "-pk")

    @extend_schema(request=s.PlanInputSerializer,
                   responses={201: s.PlanDetailSerializer, **merge_error_responses(INVALID, SCOPE, FORBIDDEN)})
    def post(self, request: Request, province: str) -> Response:
        if not self.access.has(Role.INSTITUTION_MEMBER):
            raise NotPermitted("只有评价机构可以报备考核计划。")
        data = s.PlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        filing = get_object_or_404(scope_filings(self.access).filter(
            institution_id__in=self.access.institution_ids()).exclude(status=FilingStatus.TERMINATED))
        work_type = None
        if v["work_type"]:
            work_type = get_object_or_404(WorkType, occupation=v["occupation"], name=v["work_type"])
        plan = services.create_plan(filing, acting_user=self.user, occupation=v["occupation"],
                                    work_type=work_type, levels=v["levels"], title=v["title"],
                                    evaluation_process=v["evaluation_process"])
        return _detail(plan, status.HTTP_201_CREATED)


class PlanDetailAPIView(_APIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.PlanDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return _detail(self.plan())


class SessionAddAPIView(_APIView):
    allowed_roles = ORGANIZATION

    @extend_schema(request=s.SessionInputSerializer, responses={
        201: s.PlanDetailSerializer,
        **merge_error_responses(INVALID, EDIT, [(400, Codes.SESSION_INVALID), (400, Codes.OUT_OF_SCOPE),
                                                (400, CoreCodes.CALENDAR_YEAR_MISSING)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["venue"] = get_object_or_404(scope_venues(self.access), pk=v["venue"])
        services.add_session(plan, acting_user=self.user, **v)
        return _detail(plan, status.HTTP_201_CREATED)


class SessionStaffAPIView(_APIView):
    allowed_roles = ORGANIZATION

    @extend_schema(request=s.StaffAssignSerializer, responses={
        200: s.PlanDetailSerializer, **merge_error_responses(INVALID, EDIT, [(400, Codes.STAFF_INVALID)])})
    def put(self, request: Request, province: str, pk: int, session_pk: int) -> Response:
        plan = self.own_plan()
        session = access_session(self.access, plan, session_pk)
        data = s.StaffAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = list(scope_staff(self.access).filter(pk__in=data.validated_data["staff"]))
        if len(people) != len(set(data.validated_data["staff"])):
            raise DomainError("考务人员不存在。", code=Codes.STAFF_INVALID)
        services.assign_staff(session, acting_user=self.user, staff=people)
        return _detail(plan)


class RosterAPIView(_APIView):
    """GET: the roster. POST: import a roster file; a bad row stores nothing and the body lists every bad row."""

    allowed_roles = EVERYONE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=s.CandidateSerializer(many=True))
    def get(self, request: Request, province: str, pk: int) -> Response:
        plan = self.plan()
        return Response(s.CandidateSerializer(plan.candidates.order_by("line")[:20000], many=True).data)

    @extend_schema(request=s.ExamFileUploadSerializer, responses={
        201: s.PlanDetailSerializer,
        **merge_error_responses(INVALID, UPLOAD, EDIT, [(400, Codes.ROSTER_INVALID), (400, Codes.ROSTER_CONFIRM)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.ExamFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        services.import_roster(plan, acting_user=self.user, content=upload.read(), filename=upload.name,
                               confirm_certified=data.validated_data["confirm_certified"])
        return _detail(plan, status.HTTP_201_CREATED)


class ResultsAPIView(RosterAPIView):
    """GET: the roster with its results. POST: import a results file (all rows or none)."""

    @extend_schema(request=s.ExamFileUploadSerializer, responses={
        201: s.PlanDetailSerializer,
        **merge_error_responses(INVALID, UPLOAD, MOVES, FORBIDDEN, [(400, Codes.RESULTS_INVALID),
                                                                   (400, Codes.EXAM_NOT_HELD),
                                                                   (400, Codes.REASON_REQUIRED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan()
        data = s.ExamFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        services.import_results(plan, acting_user=self.user, content=upload.read(), filename=upload.name,
                                reason=data.validated_data["reason"])
        return _detail(plan, status.HTTP_201_CREATED)


class _ActionAPIView(_APIView):
    """A state change with an optional reason: POST {"reason": "..."}."""

    own = False

    def act(self, plan: ExamPlan, reason: str) -> Any:
        raise NotImplementedError

    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.own_plan() if self.own else self.plan()
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(plan, data.validated_data["reason"])
        return _detail(plan)


def _action_schema(*codes: Errors) -> Any:
    return extend_schema(request=s.NoteSerializer,
                         responses={200: s.PlanDetailSerializer, **merge_error_responses(INVALID, *codes)})


class FilePlanAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.file_plan(plan, acting_user=self.user, reason=reason)

    @_action_schema(EDIT, SCOPE, FILING)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class AmendPlanAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_amendment(plan, acting_user=self.user)

    @_action_schema(MOVES, FORBIDDEN)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class StartResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.start_results(plan, acting_user=self.user)

    @_action_schema(MOVES, FORBIDDEN, [(400, Codes.EXAM_NOT_HELD)])
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class PublishResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.publish_results(plan, acting_user=self.user)

    @_action_schema(MOVES, FORBIDDEN, RESULTS)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class ResubmitResultsAPIView(_ActionAPIView):
    allowed_roles = ORGANIZATION
    own = True

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.resubmit_results(plan, acting_user=self.user)

    @_action_schema(MOVES, FORBIDDEN, RESULTS)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class AcknowledgePlanAPIView(_ActionAPIView):
    allowed_roles = OFFICERS

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.acknowledge_plan(plan, acting_user=self.user, note=reason)

    @_action_schema(MOVES, FORBIDDEN)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class RequestChangesAPIView(_ActionAPIView):
    allowed_roles = OFFICERS

    def act(self, plan: ExamPlan, reason: str) -> Any:
        return services.request_plan_changes(plan, acting_user=self.user, note=reason)

    @_action_schema(MOVES, FORBIDDEN, [(400, Codes.REASON_REQUIRED)])
    def post(self, request: Request, province: str, pk: int) -> Response:
        return super().post(request, province, pk)


class ReviewAPIView(_APIView):
    allowed_roles = OFFICERS

    @extend_schema(request=s.ReviewSerializer, responses={
        200: s.PlanDetailSerializer, **merge_error_responses(INVALID, MOVES, FORBIDDEN, RESULTS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        plan = self.plan()
        data = s.ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["decision"] == "return":
            services.return_results(plan, acting_user=self.user, reason=v["reason"])
        else:
            services.approve_results(plan, acting_user=self.user, note=v["reason"])
        return _detail(plan)


class VenueListAPIView(ProvinceListAPIView[ExamVenue]):
    allowed_roles = ORGANIZATION
    serializer_class = s.VenueSerializer

    def get_queryset(self) -> QuerySet[ExamVenue]:
        return scope_venues(self.access).select_related("city")

    @extend_schema(request=s.VenueSerializer, responses={
        201: s.VenueSerializer, **merge_error_responses(INVALID, FORBIDDEN, [(400, Codes.VENUE_INVALID)])})
    def post(self, request: Request, province: str) -> Response:
        data = s.VenueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        venue = services.create_venue(_institution(self), acting_user=self.user, name=data.validated_data["name"],
                                      address=data.validated_data["address"], city=data.validated_data["city"])
        return Response(s.VenueSerializer(venue).data, status=status.HTTP_201_CREATED)


class StaffListAPIView(ProvinceListAPIView[ExamStaff]):
    allowed_roles = ORGANIZATION
    serializer_class = s.StaffSerializer

    def get_queryset(self) -> QuerySet[ExamStaff]:
        return scope_staff(self.access).prefetch_related("qualifications__occupation")

    @extend_schema(request=s.StaffInputSerializer, responses={
        201: s.StaffSerializer, **merge_error_responses(INVALID, FORBIDDEN, [(400, Codes.STAFF_INVALID)])})
    def post(self, request: Request, province: str) -> Response:
        data = s.StaffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        staff = services.create_staff(
            _institution(self), acting_user=self.user, name=v["name"], id_number=v["id_number"], duty=v["duty"],
            certificate_number=v["certificate_number"],
            qualifications=[services.Qualification(q["occupation"], tuple(q["levels"])) for q in v["qualifications"]])
        return Response(s.StaffSerializer(staff).data, status=status.HTTP_201_CREATED)


class ObjectionAnswerAPIView(_APIView):
    """The organization answers an objection to its result publicity (upheld: the candidate is withdrawn)."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.ObjectionAnswerSerializer, responses={
        200: s.ResultObjectionSerializer, **merge_error_responses(INVALID, MOVES, FORBIDDEN)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        objection = access_result_objection(self.access, pk)
        data = s.ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.answer_objection(objection, acting_user=self.user,
                                             upheld=data.validated_data["upheld"],
                                             resolution=data.validated_data["resolution"])
        return Response(s.ResultObjectionSerializer(answered).data)
