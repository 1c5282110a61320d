"""API of cultivations: the commitment letter, question banks, exam-affairs training and the filing decision."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.base import ProvinceListAPIView
from portal.api.schema import error_responses
from portal.errors import Codes as CoreCodes, DomainError
from portal.roles import OFFICERS

from ... import services
from ...access import (
    access_cultivation,
    access_cultivation_task,
    scope_cultivations,
)
from ...errors import Codes
from ...models import Cultivation, CultivationTask, QuestionBankRound
from .. import serializers as s
from ._shared import APPLICANT, EVERYONE, PROVINCE, _ObjectAPIView


def _cultivation_detail(cultivation: Cultivation) -> dict[str, Any]:
    rounds = QuestionBankRound.objects.prefetch_related("files")
    tasks = CultivationTask.objects.prefetch_related(Prefetch("rounds", queryset=rounds))
    loaded = (Cultivation.objects.select_related("institution", "city")
              .prefetch_related("occupations__occupation", "occupations__work_type",
                                Prefetch("occupations__tasks", queryset=tasks))
              .get(pk=cultivation.pk))
    return dict(s.CultivationDetailSerializer(loaded).data)


class CultivationListAPIView(ProvinceListAPIView[Cultivation]):
    """Cultivations in the caller's scope; filter with ?state=."""

    allowed_roles = EVERYONE
    serializer_class = s.CultivationSerializer

    def get_queryset(self) -> QuerySet[Cultivation]:
        qs = scope_cultivations(self.access).select_related("institution", "city").order_by("ends_on", "pk")
        if self.request.query_params.get("state"):
            qs = qs.filter(state=self.request.query_params["state"])
        return qs


class _CultivationAPIView(_ObjectAPIView):
    def get_object(self) -> Cultivation:
        return access_cultivation(self.access, self.kwargs["pk"])


class CultivationAPIView(_CultivationAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.CultivationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_cultivation_detail(self.get_object()))


class CommitmentAPIView(_CultivationAPIView):
    """Sign the commitment letter (培育机构工作承诺书)."""

    allowed_roles = APPLICANT

    @extend_schema(
        request=s.CommitmentInputSerializer,
        responses={
            200: s.CultivationDetailSerializer,
            **error_responses(Codes.COMMITMENT_SIGNER_MISSING, Codes.NO_COMMITMENT_LETTER, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.COMMITMENT_ALREADY_SIGNED, Codes.CULTIVATION_NOT_ACTIVE, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        cultivation = self.get_object()
        data = s.CommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sign_commitment(cultivation, acting_user=self.user,
                                 signer_name=data.validated_data["signer_name"],
                                 signer_title=data.validated_data["signer_title"])
        return Response(_cultivation_detail(cultivation))


class CommitmentPDFAPIView(_CultivationAPIView):
    allowed_roles = EVERYONE

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **error_responses(Codes.COMMITMENT_NOT_SIGNED),
        },
    )
    def get(self, request: Request, province: str, pk: int) -> FileResponse:
        cultivation = self.get_object()
        if not cultivation.is_signed:
            raise DomainError("承诺书尚未签署。", code=Codes.COMMITMENT_NOT_SIGNED)
        if not cultivation.commitment_pdf:
            services.render_commitment_letter(cultivation.pk)
            cultivation.refresh_from_db()
        return FileResponse(cultivation.commitment_pdf.open("rb"), as_attachment=True,
                            filename=f"commitment-{cultivation.pk}.pdf", content_type="application/pdf")


class FileDecisionAPIView(_CultivationAPIView):
    """The province files the accepted occupations (all of them unless `occupations` lists some)."""

    allowed_roles = PROVINCE

    @extend_schema(
        request=s.FileDecisionInputSerializer,
        responses={
            201: s.FilingDetailSerializer,
            **error_responses(
                Codes.ALREADY_FILED, Codes.CULTIVATION_WITHOUT_APPLICATION, Codes.INSTITUTION_CODE_EXHAUSTED,
                Codes.NOTHING_TO_FILE, Codes.OCCUPATION_ALREADY_FILED, Codes.OCCUPATION_NOT_ACCEPTED,
                Codes.ORGANIZATION_SEQUENCE_EXHAUSTED, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.FILING_NOT_ACTIVE, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        cultivation = self.get_object()
        data = s.FileDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = services.file_cultivation(cultivation, acting_user=self.user,
                                           occupation_ids=data.validated_data["occupations"],
                                           reason=data.validated_data["reason"])
        return Response(s.FilingDetailSerializer(filing).data, status=status.HTTP_201_CREATED)


class _TaskAPIView(_ObjectAPIView):
    def get_object(self) -> CultivationTask:
        return access_cultivation_task(self.access, self.kwargs["pk"])


class QuestionBankSubmitAPIView(_TaskAPIView):
    """Submit a question bank (items and documents) for the province's review."""

    allowed_roles = APPLICANT
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.QuestionBankInputSerializer},
        responses={
            201: s.QuestionBankRoundSerializer,
            **error_responses(
                Codes.COMMITMENT_NOT_SIGNED, Codes.TASK_KIND, CoreCodes.UPLOAD_ACTIVE_CONTENT,
                CoreCodes.UPLOAD_ARCHIVE_TOO_LARGE, CoreCodes.UPLOAD_EMPTY, CoreCodes.UPLOAD_INFECTED,
                CoreCodes.UPLOAD_TOO_LARGE, CoreCodes.UPLOAD_TYPE, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(
                Codes.CULTIVATION_NOT_ACTIVE, CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409
            ),
            **error_responses(CoreCodes.UPLOAD_SCAN_UNAVAILABLE, status=503),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.QuestionBankInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        round_ = services.submit_question_bank(task, acting_user=self.user, items=v["items"],
                                               documents=v["documents"], note=v["note"])
        return Response(s.QuestionBankRoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class QuestionBankReviewAPIView(_TaskAPIView):
    """Accept a question bank, or return it with reasons."""

    allowed_roles = PROVINCE

    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={
            200: s.QuestionBankRoundSerializer,
            **error_responses(Codes.REASON_REQUIRED, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(
                Codes.CULTIVATION_NOT_ACTIVE, CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409
            ),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.review_question_bank(task, acting_user=self.user,
                                               accept=data.validated_data["decision"] == "accept",
                                               reasons=data.validated_data["reasons"])
        return Response(s.QuestionBankRoundSerializer(round_).data)


class TrainingAPIView(_TaskAPIView):
    """Record the organization's attendance at the exam-affairs training (city or province)."""

    allowed_roles = OFFICERS

    @extend_schema(
        request=s.TrainingInputSerializer,
        responses={
            200: s.CultivationTaskSerializer,
            **error_responses(
                Codes.ATTENDED_ON_BEFORE_START, Codes.ATTENDED_ON_FUTURE, Codes.COMMITMENT_NOT_SIGNED, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(
                Codes.CULTIVATION_NOT_ACTIVE, CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409
            ),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.TrainingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = services.record_training_attendance(task, acting_user=self.user,
                                                       attended_on=data.validated_data["attended_on"],
                                                       note=data.validated_data["note"])
        return Response(s.CultivationTaskSerializer(recorded).data)
