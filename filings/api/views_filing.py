"""API of cultivation, filings, letters and the public catalog. Errors come back as {"code", "detail"}
(portal.api.errors): a refused action is a DomainError with a stable code, never a 500."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.permissions import DeclaredRoles
from portal.errors import DomainError
from portal.models import Province, Role
from portal.roles import OFFICERS, PUBLIC

from .. import selectors, services
from ..access import (
    access_cultivation,
    access_cultivation_task,
    access_filing,
    access_filing_letter,
    scope_cultivations,
    scope_filings,
)
from ..errors import Codes
from ..models import Cultivation, CultivationTask, Filing, QuestionBankRound
from . import serializers_filing as s

EVERYONE = (Role.INSTITUTION_MEMBER, *OFFICERS)
APPLICANT = (Role.INSTITUTION_MEMBER,)
PROVINCE = (Role.PROVINCIAL_OFFICER,)


class _ObjectAPIView(APIView):
    """An endpoint about one object: the object is looked up in the caller's scope before the method is checked, so
    an object the caller cannot reach answers 404 to any method."""

    permission_classes = [DeclaredRoles]

    def get_object(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


def _cultivation_detail(cultivation: Cultivation) -> dict[str, Any]:
    rounds = QuestionBankRound.objects.prefetch_related("files")
    tasks = CultivationTask.objects.prefetch_related(Prefetch("rounds", queryset=rounds))
    loaded = (Cultivation.objects.select_related("institution", "city")
              .prefetch_related("occupations__occupation", "occupations__work_type",
                                Prefetch("occupations__tasks", queryset=tasks))
              .get(pk=cultivation.pk))
    return s.CultivationDetailSerializer(loaded).data  # type: ignore[return-value]


# --- cultivations ---

class CultivationListAPIView(generics.ListAPIView):  # type: ignore[type-arg]
    """Cultivations in the caller's scope; filter with ?state=."""

    allowed_roles = EVERYONE
    permission_classes = [DeclaredRoles]
    serializer_class = s.CultivationSerializer

    def get_queryset(self) -> QuerySet[Cultivation]:
        qs = scope_cultivations(self.access).select_related("institution", "city").order_by("ends_on", "pk")  # type: ignore[attr-defined]
        if self.request.query_params.get("state"):
            qs = qs.filter(state=self.request.query_params["state"])
        return qs


class _CultivationAPIView(_ObjectAPIView):
    def get_object(self) -> Cultivation:
        return access_cultivation(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]


class CultivationAPIView(_CultivationAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.CultivationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_cultivation_detail(self.get_object()))


class CommitmentAPIView(_CultivationAPIView):
    """Sign the commitment letter (培育机构工作承诺书)."""

    allowed_roles = APPLICANT

    @extend_schema(request=s.CommitmentInputSerializer, responses=s.CultivationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        cultivation = self.get_object()
        data = s.CommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sign_commitment(cultivation, acting_user=request.user,  # type: ignore[arg-type]
                                 signer_name=data.validated_data["signer_name"],
                                 signer_title=data.validated_data["signer_title"])
        return Response(_cultivation_detail(cultivation))


class CommitmentPDFAPIView(_CultivationAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
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

    @extend_schema(request=s.FileDecisionInputSerializer, responses={201: s.FilingDetailSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        cultivation = self.get_object()
        data = s.FileDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = services.file_cultivation(cultivation, acting_user=request.user,  # type: ignore[arg-type]
                                           occupation_ids=data.validated_data["occupations"],
                                           reason=data.validated_data["reason"])
        return Response(s.FilingDetailSerializer(filing).data, status=status.HTTP_201_CREATED)


class _TaskAPIView(_ObjectAPIView):
    def get_object(self) -> CultivationTask:
        return access_cultivation_task(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]


class QuestionBankSubmitAPIView(_TaskAPIView):
    """Submit a question bank (items and documents) for the province's review."""

    allowed_roles = APPLICANT
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.QuestionBankInputSerializer},
                   responses={201: s.QuestionBankRoundSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.QuestionBankInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        round_ = services.submit_question_bank(task, acting_user=request.user, items=v["items"],  # type: ignore[arg-type]
                                               documents=v["documents"], note=v["note"])
        return Response(s.QuestionBankRoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class QuestionBankReviewAPIView(_TaskAPIView):
    """Accept a question bank, or return it with reasons."""

    allowed_roles = PROVINCE

    @extend_schema(request=s.ReviewInputSerializer, responses=s.QuestionBankRoundSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.review_question_bank(task, acting_user=request.user,  # type: ignore[arg-type]
                                               accept=data.validated_data["decision"] == "accept",
                                               reasons=data.validated_data["reasons"])
        return Response(s.QuestionBankRoundSerializer(round_).data)


class TrainingAPIView(_TaskAPIView):
    """Record the organization's attendance at the exam-affairs training (city or province)."""

    allowed_roles = OFFICERS

    @extend_schema(request=s.TrainingInputSerializer, responses=s.CultivationTaskSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        task = self.get_object()
        data = s.TrainingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = services.record_training_attendance(task, acting_user=request.user,  # type: ignore[arg-type]
                                                       attended_on=data.validated_data["attended_on"],
                                                       note=data.validated_data["note"])
        return Response(s.CultivationTaskSerializer(recorded).data)


# --- filings ---

class FilingListAPIView(generics.ListAPIView):  # type: ignore[type-arg]
    """Filings in the caller's scope; filter with ?status=."""

    allowed_roles = EVERYONE
    permission_classes = [DeclaredRoles]
    serializer_class = s.FilingSerializer

    def get_queryset(self) -> QuerySet[Filing]:
        qs = (scope_filings(self.access).select_related("institution", "city")  # type: ignore[attr-defined]
              .prefetch_related("occupations__occupation", "occupations__work_type").order_by("pk"))
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs


class _FilingAPIView(_ObjectAPIView):
    def get_object(self) -> Filing:
        return access_filing(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]


class FilingAPIView(_FilingAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.FilingDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(s.FilingDetailSerializer(self.get_object()).data)


class AdditionAPIView(_FilingAPIView):
    """Apply to add occupations to an active filing (Guangdong: they enter cultivation at once)."""

    allowed_roles = APPLICANT

    @extend_schema(request=s.AdditionInputSerializer, responses={201: s.AdditionSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing = self.get_object()
        data = s.AdditionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        addition = services.apply_to_add_occupations(
            filing, acting_user=request.user,  # type: ignore[arg-type]
            lines=[services.ScopeLine(o["occupation"], o["work_type"], o["levels"]) for o in v["occupations"]],
            has_completed_question_bank=v["has_completed_question_bank"], operating_normally=v["operating_normally"],
            note=v["note"],
        )
        return Response(s.AdditionSerializer(addition).data, status=status.HTTP_201_CREATED)


class FilingLetterAPIView(_ObjectAPIView):
    """Download a filing letter (备案函) or receipt (回执) as PDF."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_filing_letter(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, province: str, pk: int) -> FileResponse:
        letter = self.get_object()
        if not letter.pdf:
            services.render_filing_letter(letter.pk)
            letter.refresh_from_db()
        return FileResponse(letter.pdf.open("rb"), as_attachment=True, filename=letter.filename,
                            content_type="application/pdf")


# --- the public catalog ---

class CatalogAPIView(generics.ListAPIView):  # type: ignore[type-arg]
    """The public catalog of filed organizations (评价机构目录) of a province; no login."""

    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    serializer_class = s.CatalogEntrySerializer

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description="机构名称、备案编号、机构代码或统一社会信用代码"),
        OpenApiParameter("occupation", str, description="职业（工种）名称或编码前缀"),
        OpenApiParameter("city", str, description="地市行政区划代码"),
        OpenApiParameter("status", str, enum=["active", "suspended", "exiting", "terminated"]),
        OpenApiParameter("category", str),
    ])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Filing]:
        province = get_object_or_404(Province, slug=self.kwargs["province"])
        params = self.request.query_params
        return selectors.search_catalog(
            selectors.catalog(province), **{k: params.get(k, "") for k in ("q", "city", "occupation", "status", "category")}
        )
