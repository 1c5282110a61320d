"""Publicity API: the public reads notices and files objections (no login); provincial officers resolve them."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import publicity
from portal.access import access_objection, scope_objections
from portal.models import Objection, Province, PublicityItem, PublicityNotice, Role
from portal.ratelimit import client_ip
from portal.roles import PUBLIC

from .base import ProvinceAPIView, ProvinceListAPIView
from .permissions import DeclaredRoles


class ItemSerializer(serializers.ModelSerializer):
    withdrawn = serializers.BooleanField(source="is_withdrawn")

    class Meta:
        model = PublicityItem
        fields = ["id", "position", "title", "detail", "withdrawn", "withdrawn_reason"]


class NoticeSerializer(serializers.ModelSerializer):
    accepts_objections = serializers.BooleanField()

    class Meta:
        model = PublicityNotice
        fields = ["id", "kind", "title", "published_at", "starts_on", "ends_on", "working_days", "state",
                  "accepts_objections"]


class NoticeDetailSerializer(NoticeSerializer):
    items = ItemSerializer(many=True)

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "body", "items"]


class ObjectionInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    name = serializers.CharField(max_length=50)
    contact = serializers.CharField(max_length=100)
    text = serializers.CharField(max_length=5000)
    attachment = serializers.FileField(required=False, allow_null=True)


class ObjectionReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "item", "submitted_at", "state"]


class ObjectionSerializer(serializers.ModelSerializer):
    notice = serializers.IntegerField(source="notice_id")
    item_title = serializers.CharField(source="item.title")
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["id", "notice", "item", "item_title", "name", "contact", "text", "has_attachment", "submitted_at",
                  "state", "resolution", "resolved_at"]

    def get_has_attachment(self, objection: Objection) -> bool:
        return bool(objection.attachment)


class ResolutionInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField()


def _province(slug: str) -> Province:
    return get_object_or_404(Province, slug=slug)


class PublicNoticeListAPIView(generics.ListAPIView[PublicityNotice]):
    """The province's publicity notices, newest first."""

    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    serializer_class = NoticeSerializer

    def get_queryset(self) -> QuerySet[PublicityNotice]:
        return PublicityNotice.objects.in_province(_province(self.kwargs["province"])).public()


class PublicNoticeAPIView(APIView):
    """One notice with its items (withdrawn items are marked)."""

    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []

    @extend_schema(responses=NoticeDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        notice = get_object_or_404(PublicityNotice.objects.in_province(_province(province)).public(), pk=pk)
        return Response(NoticeDetailSerializer(notice).data)


class FileObjectionAPIView(APIView):
    """File an objection against an item of an open notice (no login; rate-limited per address: 429)."""

    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": ObjectionInputSerializer, "application/json": ObjectionInputSerializer},
                   responses={201: ObjectionReceiptSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        notice = get_object_or_404(PublicityNotice.objects.in_province(_province(province)).public(), pk=pk)
        data = ObjectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = get_object_or_404(PublicityItem.objects.filter(notice=notice), pk=v["item"])
        objection = publicity.file_objection(notice, item=item, name=v["name"], contact=v["contact"], text=v["text"],
                                             attachment=v.get("attachment"), ip=client_ip(request._request))
        return Response(ObjectionReceiptSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionListAPIView(ProvinceListAPIView[Objection]):
    """Objections of the province (?state=open|upheld|dismissed)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    serializer_class = ObjectionSerializer

    def get_queryset(self) -> QuerySet[Objection]:
        qs = scope_objections(self.access).select_related("item")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state else qs


class ResolveObjectionAPIView(ProvinceAPIView):
    """Uphold (the item is withdrawn and its app told) or dismiss an objection, with the reason."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def load(self) -> Objection:
        return access_objection(self.access, self.kwargs["pk"])

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.load()
        return super().http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(request=ResolutionInputSerializer, responses=ObjectionSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        objection = self.load()
        data = ResolutionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resolved = publicity.resolve_objection(objection, acting_user=self.user,
                                               upheld=data.validated_data["upheld"],
                                               resolution=data.validated_data["resolution"])
        return Response(ObjectionSerializer(resolved).data)
