"""API of rankings and fraud flags (scoped like the pages): list and build rankings, read one with its rows and
publish it; list flags, read one and dismiss it with a reason. Refusals come back from portal.api.errors."""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Role

from .. import services
from ..access import access_flag, access_ranking, scope_flags, scope_rankings
from ..errors import Codes
from ..models import FlagKind, FlagState, FraudFlag, Ranking, RankingRow

READERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.QUALITY_SUPERVISOR)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)


class RankingRowSerializer(serializers.ModelSerializer[RankingRow]):
    institution = serializers.CharField(source="institution.name")
    institution_id = serializers.IntegerField()

    class Meta:
        model = RankingRow
        fields = ["institution_id", "institution", "sat", "passed", "complaints", "pass_band", "complaint_band",
                  "risk_score", "signals"]


class RankingSerializer(serializers.ModelSerializer[Ranking]):
    formula_version = serializers.IntegerField(source="formula.version")
    formula_weights = serializers.JSONField(source="formula.weights")
    notice_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Ranking
        fields = ["id", "group", "period_kind", "period", "state", "min_n", "pass_rate_norm", "complaint_rate_norm",
                  "formula_version", "formula_weights", "notice_id", "created_at", "published_at"]


class RankingDetailSerializer(RankingSerializer):
    rows = RankingRowSerializer(many=True, read_only=True)

    class Meta(RankingSerializer.Meta):
        fields = [*RankingSerializer.Meta.fields, "rows"]


class BuildRankingSerializer(serializers.Serializer[Any]):
    group = serializers.RegexField(r"^\d{1,2}-\d{2}$", help_text="职业编码的中类，如 6-18")
    period = serializers.CharField(max_length=7, help_text="2026 or 2026Q1")


class FlagSerializer(serializers.ModelSerializer[FraudFlag]):
    institution_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = FraudFlag
        fields = ["id", "kind", "state", "summary", "evidence", "institution_id", "plan_id", "found_at",
                  "dismissed_reason", "dismissed_at"]


class DismissSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class RankingListAPIView(ProvinceListAPIView[Ranking]):
    """Rankings of the province (drafts for provincial officers); POST builds a draft from the indicators."""

    allowed_roles = READERS
    serializer_class = RankingSerializer

    def get_queryset(self) -> QuerySet[Ranking]:
        return scope_rankings(self.access).select_related("formula").order_by("-period_start", "group", "-id")

    @extend_schema(responses={200: RankingSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=BuildRankingSerializer, responses={201: RankingDetailSerializer, **merge_error_responses(
        [(400, Codes.RANKING_EMPTY), (400, Codes.PERIOD_INVALID), (400, CoreCodes.INVALID), (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str) -> Response:
        data = BuildRankingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ranking = services.build_ranking(self.access.province, acting_user=self.user, **data.validated_data)
        return Response(RankingDetailSerializer(ranking).data, status=status.HTTP_201_CREATED)


class RankingDetailAPIView(ProvinceAPIView):
    """One ranking with every organization's counts, bands and risk score."""

    allowed_roles = READERS

    @extend_schema(responses={200: RankingDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        ranking = access_ranking(self.access, pk)
        # the rows with their organizations in one query, however many rows the ranking has
        prefetch_related_objects([ranking], Prefetch("rows", queryset=RankingRow.objects.select_related("institution")))
        return Response(RankingDetailSerializer(ranking).data)


class RankingPublishAPIView(ProvinceAPIView):
    """Publish a draft ranking as a publicity notice (kind "ranking")."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    @extend_schema(request=None, responses={200: RankingSerializer, **NOT_FOUND, **merge_error_responses(
        [(409, Codes.RANKING_PUBLISHED), (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        ranking = services.publish_ranking(access_ranking(self.access, pk), acting_user=self.user)
        return Response(RankingSerializer(ranking).data)


class FlagListAPIView(ProvinceListAPIView[FraudFlag]):
    """Fraud flags the caller may see; ?state=open|dismissed, ?kind=…"""

    allowed_roles = READERS
    serializer_class = FlagSerializer

    def get_queryset(self) -> QuerySet[FraudFlag]:
        qs = scope_flags(self.access).order_by("-found_at", "-id")
        params = self.request.query_params
        if params.get("state") in FlagState.values:
            qs = qs.filter(state=params["state"])
        if params.get("kind") in FlagKind.values:
            qs = qs.filter(kind=params["kind"])
        return qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=FlagState.values),
                               OpenApiParameter("kind", str, enum=FlagKind.values)],
                   responses={200: FlagSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FlagDetailAPIView(ProvinceAPIView):
    allowed_roles = READERS

    @extend_schema(responses={200: FlagSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(FlagSerializer(access_flag(self.access, pk)).data)


class FlagDismissAPIView(ProvinceAPIView):
    """Dismiss an open flag with a reason (quality supervisors and provincial officers; audited)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER, Role.QUALITY_SUPERVISOR)

    @extend_schema(request=DismissSerializer, responses={200: FlagSerializer, **NOT_FOUND, **merge_error_responses(
        [(400, Codes.REASON_REQUIRED), (400, CoreCodes.INVALID), (409, Codes.FLAG_CLOSED), (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        flag = access_flag(self.access, pk)  # another province's flag is a 404 before the body is read
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.dismiss_flag(flag, acting_user=self.user, reason=data.validated_data["reason"])
        return Response(FlagSerializer(flag).data)
