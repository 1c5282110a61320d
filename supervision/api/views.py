"""API of supervision: indicators per organization × occupation × period (scoped like the pages), feedback received,
the organization's declarations, and the public feedback forms (no login; rate-limited like the certificate lookup).
One class per operation; refusals come back as {"code", "detail", ...} from portal.api.errors."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.permissions import DeclaredRoles
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes, DomainError
from portal.models import Institution, Occupation, Role
from portal.ratelimit import client_ip
from portal.roles import PUBLIC

from .. import selectors, services
from ..access import access_organization, scope_indicator_cells
from ..errors import Codes
from ..models import IndicatorCell, PeriodKind
from ..periods import parse_period
from . import serializers as s

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
EVERYONE = (*OFFICERS, Role.INSTITUTION_MEMBER)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)
FEEDBACK_ERRORS = merge_error_responses(
    [(400, Codes.CERTIFICATE_NOT_MATCHED), (400, Codes.CERTIFICATE_NOT_VALID), (400, CoreCodes.INVALID),
     (429, CoreCodes.RATE_LIMITED)])
DECLARATION_ERRORS = merge_error_responses(
    [(400, Codes.DECLARATION_INVALID), (400, Codes.OCCUPATION_NOT_FILED), (400, CoreCodes.INVALID),
     (403, CoreCodes.NOT_PERMITTED), (404, CoreCodes.NOT_FOUND)])
PERIOD_PARAMS = [
    OpenApiParameter("period_kind", str, enum=PeriodKind.values, description="quarter or year"),
    OpenApiParameter("period", str, description="2026 or 2026Q1"),
    OpenApiParameter("organization", int, description="An organization's id"),
]


def filter_cells(qs: QuerySet[IndicatorCell], params: Any) -> QuerySet[IndicatorCell]:
    """Apply ?period_kind=&period=&organization= (a malformed value is refused with PERIOD_INVALID)."""
    kind = params.get("period_kind") or ""
    if kind:
        if kind not in PeriodKind.values:
            raise DomainError(_("统计周期应为 quarter（季度）或 year（年度）。"), code=Codes.PERIOD_INVALID)
        qs = qs.filter(period_kind=kind)
    if period := (params.get("period") or "").strip().upper():
        if parse_period(period) is None:
            raise DomainError(_("期间格式应为“2026”或“2026Q1”。"), code=Codes.PERIOD_INVALID)
        qs = qs.filter(period=period)
    if organization := params.get("organization"):
        if not str(organization).isdecimal():
            raise DomainError(_("机构编号应为整数。"), code=Codes.PERIOD_INVALID)
        qs = qs.filter(institution_id=int(organization))
    return qs


class IndicatorListAPIView(ProvinceListAPIView[IndicatorCell]):
    """Every indicator cell the caller may see (provincial officers: the province; city officers: organizations of
    their cities; an organization: its own), each indicator with numerator, denominator and 95% Wilson interval."""

    allowed_roles = EVERYONE
    serializer_class = s.IndicatorCellSerializer

    def get_queryset(self) -> QuerySet[IndicatorCell]:
        qs = scope_indicator_cells(self.access).select_related("institution", "occupation")
        return filter_cells(qs, self.request.query_params).order_by("-period_start", "institution_id",
                                                                    "occupation__code")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([selectors.cell_dict(c) for c in page or []])

    @extend_schema(parameters=PERIOD_PARAMS,
                   responses={200: s.IndicatorCellSerializer(many=True),
                              **error_responses(Codes.PERIOD_INVALID)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class _OrganizationAPIView(ProvinceAPIView):
    def organization(self) -> Institution:
        return access_organization(self.access, self.kwargs["pk"])

    def own_organization(self) -> Institution:
        institution = self.organization()
        if institution.pk not in self.access.institution_ids():
            raise DomainError(_("只有本机构用户可以申报。"), code=CoreCodes.NOT_PERMITTED, status=403)
        return institution


class OrganizationFeedbackAPIView(_OrganizationAPIView):
    """Feedback an organization received: trainees' responses and employers' ratings (newest 100 of each)."""

    allowed_roles = EVERYONE

    @extend_schema(responses={200: s.OrganizationFeedbackSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        institution = self.organization()
        return Response({
            "trainee": s.TraineeFeedbackSerializer(selectors.trainee_feedback_of(institution)[:100], many=True).data,
            "employer": s.EmployerFeedbackSerializer(selectors.employer_feedback_of(institution)[:100],
                                                     many=True).data,
        })


def _occupation(code: str) -> Occupation:
    return get_object_or_404(Occupation, code=code)


class EnrolmentAPIView(_OrganizationAPIView):
    """招生规模: the history (GET) and a new declaration (POST, the organization itself; earlier rows stay)."""

    allowed_roles = EVERYONE

    @extend_schema(responses={200: s.EnrolmentSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(s.EnrolmentSerializer(selectors.enrolment_history(self.organization())[:200], many=True).data)

    @extend_schema(request=s.EnrolmentInputSerializer,
                   responses={201: s.EnrolmentSerializer, **DECLARATION_ERRORS, **error_responses(
                       Codes.PERIOD_INVALID, Codes.DECLARATION_INVALID, Codes.OCCUPATION_NOT_FILED,
                       CoreCodes.INVALID)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        institution = self.own_organization()
        data = s.EnrolmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = services.declare_enrolment(institution, acting_user=self.user, occupation=_occupation(v["occupation"]),
                                         period=v["period"], enrolled=v["enrolled"], note=v["note"])
        return Response(s.EnrolmentSerializer(row).data, status=status.HTTP_201_CREATED)


class CoursePriceAPIView(_OrganizationAPIView):
    """课程价格: the history (GET) and a new price (POST, the organization itself; earlier rows stay)."""

    allowed_roles = EVERYONE

    @extend_schema(responses={200: s.CoursePriceSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(s.CoursePriceSerializer(selectors.price_history(self.organization())[:200], many=True).data)

    @extend_schema(request=s.CoursePriceInputSerializer, responses={201: s.CoursePriceSerializer,
                                                                     **DECLARATION_ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        institution = self.own_organization()
        data = s.CoursePriceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = services.declare_course_price(
            institution, acting_user=self.user, occupation=_occupation(v["occupation"]), level=v["level"],
            price=v["price"], hours=v["hours"], effective_from=v["effective_from"], note=v["note"])
        return Response(s.CoursePriceSerializer(row).data, status=status.HTTP_201_CREATED)


class _PublicAPIView(APIView):
    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    throttle_classes: list[type[BaseThrottle]] = []  # the services' per-address limit applies, as on /feedback/


class TraineeFeedbackAPIView(_PublicAPIView):
    """A holder's feedback on a certificate: number + name + last 6 of the ID, and the answers (a second call within
    30 days edits it)."""

    @extend_schema(request=s.TraineeFeedbackInputSerializer,
                   responses={200: s.TraineeFeedbackSerializer, **FEEDBACK_ERRORS,
                              **error_responses(Codes.CERTIFICATE_NOT_MATCHED, Codes.CERTIFICATE_NOT_VALID,
                                                Codes.FEEDBACK_INVALID, CoreCodes.INVALID),
                              **error_responses(Codes.FEEDBACK_CLOSED, status=409)})
    def post(self, request: Request) -> Response:
        data = s.TraineeFeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        certificate = services.find_certificate_for_trainee(v.pop("number"), v.pop("name"), v.pop("id_tail"),
                                                            ip=client_ip(request))
        feedback = services.submit_trainee_feedback(certificate, services.TraineeAnswers(**v))
        return Response(s.TraineeFeedbackSerializer(feedback).data)


class EmployerFeedbackAPIView(_PublicAPIView):
    """An employer rates a holder it employs (certificate number + name); one rating per employer and certificate."""

    @extend_schema(request=s.EmployerFeedbackInputSerializer,
                   responses={200: s.EmployerFeedbackSerializer, **FEEDBACK_ERRORS,
                              **error_responses(Codes.CERTIFICATE_NOT_MATCHED, Codes.CERTIFICATE_NOT_VALID,
                                                Codes.EMPLOYER_INVALID, CoreCodes.INVALID)})
    def post(self, request: Request) -> Response:
        data = s.EmployerFeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        certificate = services.find_certificate_for_employer(v["number"], v["name"], ip=client_ip(request))
        employer = services.Employer(v["employer_name"], v["employer_credit_code"], v["contact_name"],
                                     v["contact_phone"])
        feedback = services.submit_employer_feedback(certificate, employer, skill_match=v["skill_match"],
                                                     would_hire_again=v["would_hire_again"])
        return Response(s.EmployerFeedbackSerializer(feedback).data)
