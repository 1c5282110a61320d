"""API of the city's review: the worklist, one application, and the review decisions."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from portal.access import access_institution
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Role
from portal.roles import OFFICERS

from ... import services
from ...access import access_application, scope_applications
from ...errors import Codes
from ...models import Application
from .. import serializers as s


class ReviewListAPIView(ProvinceListAPIView[Application]):
    """Applications an officer may review; filter with ?state=, ?category=, ?call=."""

    allowed_roles = OFFICERS
    serializer_class = s.ApplicationSerializer

    @extend_schema(parameters=[s.ReviewFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Application]:
        qs = scope_applications(self.access).exclude(state="draft").select_related(
            "institution", "city").prefetch_related("occupations__occupation", "occupations__work_type").order_by("pk")
        params = s.ReviewFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)  # ?call=abc is a 400 with its field, not a 500
        for key, value in params.validated_data.items():
            if value not in ("", None):
                qs = qs.filter(**{key: value})
        return qs


class _ReviewAPIView(ProvinceAPIView):
    allowed_roles = OFFICERS

    def application(self) -> Application:
        return access_application(self.access, self.kwargs["pk"])

    def detail(self, application: Application) -> Response:
        application.refresh_from_db()
        return Response(s.ApplicationDetailSerializer(application).data)


class ReviewDetailAPIView(_ReviewAPIView):
    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(self.application())


class StartReviewAPIView(_ReviewAPIView):
    @extend_schema(
        request=None,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(services.start_city_review(self.application(), acting_user=self.user))


class ReturnAPIView(_ReviewAPIView):
    @extend_schema(
        request=s.ApplicationCorrectionInputSerializer,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(Codes.CORRECTION_ITEMS_MISSING, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ApplicationCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [services.CorrectionRequest(i["target"], i["target_label"], i["problem"])
                 for i in data.validated_data["items"]]
        services.return_application(application, acting_user=self.user, items=items,
                                    note=data.validated_data["note"])
        return self.detail(application)


class NotRecommendAPIView(_ReviewAPIView):
    @extend_schema(
        request=s.ReasonSerializer,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(Codes.REASON_REQUIRED, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.detail(services.not_recommend_application(
            application, acting_user=self.user, reason=data.validated_data["reason"]))


class PassReviewAPIView(_ReviewAPIView):
    @extend_schema(
        request=None,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(services.pass_city_review(self.application(), acting_user=self.user))


class InstitutionCreditCodeAPIView(ProvinceAPIView):
    """A provincial officer corrects an institution's credit code, with the reason (audited)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    @extend_schema(
        request=s.CreditCodeCorrectionSerializer,
        responses={
            200: s.InstitutionSerializer,
            **error_responses(
                Codes.REASON_REQUIRED, Codes.USCC_CHARACTER, Codes.USCC_CHECKSUM, Codes.USCC_DUPLICATE,
                Codes.USCC_INVALID, Codes.USCC_LENGTH, Codes.USCC_OTHER_PROVINCE, CoreCodes.INVALID,
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        institution = access_institution(self.access, pk)
        data = s.CreditCodeCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        corrected = services.correct_credit_code(institution, acting_user=self.user, **data.validated_data)
        return Response(s.InstitutionSerializer(corrected).data)
