"""API of rectification orders (scoped like the pages): list and read orders, the organization's answer with
evidence (multipart), and the verifier's decision. Refusals come from portal.api.errors."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Role

from .. import services
from ..access_inspections import INSPECTOR_ROLES, access_order, scope_orders
from ..errors import Codes
from ..models import OrderState, RectificationOrder, RectificationResponse

ORDER_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, *INSPECTOR_ROLES, Role.INSTITUTION_MEMBER)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)


class RectificationResponseSerializer(serializers.ModelSerializer[RectificationResponse]):
    files = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = RectificationResponse
        fields = ["id", "text", "submitted_at", "submitted_on", "late", "decision", "decision_reason", "decided_at",
                  "files"]


class RectificationOrderSerializer(serializers.ModelSerializer[RectificationOrder]):
    institution = serializers.CharField(source="institution.name")
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        model = RectificationOrder
        fields = ["id", "institution", "institution_id", "source_kind", "finding", "source_ref", "severity",
                  "findings_text", "issued_on", "working_days", "deadline", "state", "overdue", "closed_at",
                  "closed_late"]


class RectificationOrderDetailSerializer(RectificationOrderSerializer):
    responses = RectificationResponseSerializer(many=True, read_only=True)

    class Meta(RectificationOrderSerializer.Meta):
        fields = [*RectificationOrderSerializer.Meta.fields, "responses"]


class RectificationAnswerSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class RectificationVerifySerializer(serializers.Serializer[Any]):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class OrderListAPIView(ProvinceListAPIView[RectificationOrder]):
    """Orders the caller may see; ?state=open|submitted|closed, ?overdue=true."""

    allowed_roles = ORDER_ROLES
    serializer_class = RectificationOrderSerializer

    def get_queryset(self) -> QuerySet[RectificationOrder]:
        qs = scope_orders(self.access).select_related("institution").order_by("deadline", "id")
        params = self.request.query_params
        if params.get("state") in OrderState.values:
            qs = qs.filter(state=params["state"])
        if params.get("overdue") == "true":
            qs = qs.filter(state=OrderState.OPEN, deadline__lt=timezone.localdate())
        return qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=OrderState.values),
                               OpenApiParameter("overdue", bool)], responses={200: RectificationOrderSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OrderDetailAPIView(ProvinceAPIView):
    allowed_roles = ORDER_ROLES

    @extend_schema(responses={200: RectificationOrderDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(RectificationOrderDetailSerializer(access_order(self.access, pk)).data)


class OrderAnswerAPIView(ProvinceAPIView):
    """The organization's answer, with evidence files (multipart, field `files` repeated)."""

    allowed_roles = (Role.INSTITUTION_MEMBER,)
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": RectificationAnswerSerializer, "application/json": RectificationAnswerSerializer},
                   responses={201: RectificationResponseSerializer, **NOT_FOUND, **merge_error_responses(
                       [(409, Codes.ORDER_STATE), (400, Codes.ORDER_INVALID), (400, CoreCodes.UPLOAD_REJECTED),
                        (403, CoreCodes.NOT_PERMITTED), (400, CoreCodes.INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        order = access_order(self.access, pk)
        data = RectificationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.answer_order(order, acting_user=self.user, text=data.validated_data["text"],
                                         files=data.validated_data["files"])
        return Response(RectificationResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class OrderVerifyAPIView(ProvinceAPIView):
    """Accept the answer (closed; late when that answer came after the deadline) or reject it with a reason."""

    allowed_roles = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, *INSPECTOR_ROLES)

    @extend_schema(request=RectificationVerifySerializer, responses={200: RectificationOrderDetailSerializer, **NOT_FOUND, **merge_error_responses(
        [(409, Codes.ORDER_STATE), (400, "reason_required"), (403, CoreCodes.NOT_PERMITTED), (400, CoreCodes.INVALID)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        order = access_order(self.access, pk)
        data = RectificationVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.verify_order(order, acting_user=self.user, **data.validated_data)
        return Response(RectificationOrderDetailSerializer(order).data)
