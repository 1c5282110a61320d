"""API of filings: filings in scope, adding occupations, filing letters, and the public catalog."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.base import ProvinceListAPIView
from portal.api.schema import error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Province
from portal.roles import PUBLIC

from ... import selectors, services
from ...access import (
    access_filing,
    access_filing_letter,
    scope_filings,
)
from ...errors import Codes
from ...models import Filing
from .. import serializers as s
from ._shared import APPLICANT, EVERYONE, _ObjectAPIView


class FilingListAPIView(ProvinceListAPIView[Filing]):
    """Filings in the caller's scope; filter with ?status=."""

    allowed_roles = EVERYONE
    serializer_class = s.FilingSerializer

    def get_queryset(self) -> QuerySet[Filing]:
        qs = (scope_filings(self.access).select_related("institution", "city")
              .prefetch_related("occupations__occupation", "occupations__work_type").order_by("pk"))
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs


class _FilingAPIView(_ObjectAPIView):
    def get_object(self) -> Filing:
        return access_filing(self.access, self.kwargs["pk"])


class FilingAPIView(_FilingAPIView):
    allowed_roles = EVERYONE

    @extend_schema(responses=s.FilingDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(s.FilingDetailSerializer(self.get_object()).data)


class AdditionAPIView(_FilingAPIView):
    """Apply to add occupations to an active filing (Guangdong: a chain-leader unit's enter cultivation at once; any
    other addition becomes a draft application in the open call, `application` in the answer)."""

    allowed_roles = APPLICANT

    @extend_schema(
        request=s.AdditionInputSerializer,
        responses={
            201: s.AdditionSerializer,
            **error_responses(
                Codes.ADDITION_CONDITIONS_NOT_MET, Codes.LEVELS_INVALID, Codes.NO_OCCUPATIONS,
                Codes.OCCUPATION_ALREADY_FILED, Codes.OCCUPATION_DUPLICATE, Codes.OCCUPATION_NOT_ADMITTED,
                Codes.NO_OPEN_CALL, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.FILING_NOT_ACTIVE, Codes.ADDITION_IN_SELECTION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        filing = self.get_object()
        data = s.AdditionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        addition = services.apply_to_add_occupations(
            filing, acting_user=self.user,
            lines=[services.ScopeLine(o["occupation"], o["work_type"], o["levels"]) for o in v["occupations"]],
            has_completed_question_bank=v["has_completed_question_bank"], operating_normally=v["operating_normally"],
            note=v["note"], is_chain_leader=v["is_chain_leader"],
        )
        return Response(s.AdditionSerializer(addition).data, status=status.HTTP_201_CREATED)


class FilingLetterAPIView(_ObjectAPIView):
    """Download a filing letter (备案函) or receipt (回执) as PDF."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_filing_letter(self.access, self.kwargs["pk"])

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, province: str, pk: int) -> FileResponse:
        letter = self.get_object()
        if not letter.pdf:
            services.render_filing_letter(letter.pk)
            letter.refresh_from_db()
        return FileResponse(letter.pdf.open("rb"), as_attachment=True, filename=letter.filename,
                            content_type="application/pdf")


class CatalogAPIView(ProvinceListAPIView[Filing]):
    """The public catalog of filed organizations (评价机构目录) of a province; no login."""

    allowed_roles = (PUBLIC,)
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
            selectors.catalog(province),
            **{k: params.get(k, "") for k in ("q", "city", "occupation", "status", "category")}
        )
