"""API of the holder's skill-bank account: open it (public), read the record (JSON or PDF), manage share links,
and the public read of a share link; and the provincial registry in the national fields (CSV). Every refusal comes
back as {"code", "detail"} through portal.api.errors."""

from typing import Any, cast

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.base import ProvinceAPIView
from portal.api.permissions import DeclaredRoles
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes, DomainError
from portal.identifiers import mask_id_number
from portal.models import HolderAccount, Role, User
from portal.ratelimit import client_ip
from portal.roles import AUTHENTICATED

from ... import services
from ...access import scope_certificates
from ...errors import Codes
from ...views.holder import record_pdf_response
from ..serializers import holder as s
from .certificates import LIMITED, _PublicAPIView

NO_ACCOUNT = [(404, Codes.HOLDER_ACCOUNT_REQUIRED)]
OPEN_ERRORS = merge_error_responses(
    [(400, CoreCodes.INVALID), (400, Codes.HOLDER_FACTS_MISMATCH), (400, Codes.HOLDER_PASSWORD_WEAK),
     (409, Codes.HOLDER_ACCOUNT_EXISTS), (409, Codes.HOLDER_MOBILE_TAKEN)], LIMITED)


class _HolderAPIView(APIView):
    """For the logged-in holder only: anyone else (an officer) is told there is no account (404)."""

    allowed_roles = (AUTHENTICATED,)
    permission_classes = [DeclaredRoles]

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    @property
    def account(self) -> HolderAccount:
        account = services.account_of(self.request.user)
        if account is None:
            raise DomainError(_("当前登录的账号不是技能银行账号。"), code=Codes.HOLDER_ACCOUNT_REQUIRED, status=404)
        return account


class OpenAccountAPIView(_PublicAPIView):
    """Open the holder's account on the three facts and a password; a miss says nothing about which fact was wrong,
    counts against the address's and the identity number's limits (past them: 429) and is audited."""

    @extend_schema(request=s.OpenAccountInputSerializer, responses={201: s.OpenedAccountSerializer, **OPEN_ERRORS})
    def post(self, request: Request) -> Response:
        data = s.OpenAccountInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        account = services.open_account(id_number=v["id_number"], holder_name=v["name"],
                                        certificate_number=v["certificate_number"], password=v["password"],
                                        mobile=v.get("mobile", ""), ip=client_ip(request))
        return Response({"username": account.user.username, "holder_name": account.holder_name,
                         "masked_id": mask_id_number(account.id_number)}, status=status.HTTP_201_CREATED)


class RecordAPIView(_HolderAPIView):
    """The holder's whole record: every certificate of their identity number, every exam, the feedback they gave."""

    @extend_schema(responses={200: s.RecordSerializer, **merge_error_responses(NO_ACCOUNT)})
    def get(self, request: Request) -> Response:
        record = services.holder_record(self.account)
        services.record_download(record, acting_user=self.user, what=services.RECORD_JSON)
        return Response(services.record_json(record))


class RecordPdfAPIView(_HolderAPIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                              **merge_error_responses(NO_ACCOUNT)})
    def get(self, request: Request) -> HttpResponse:
        return record_pdf_response(self.account, self.user)


class ShareLinksAPIView(_HolderAPIView):
    """The holder's share links (GET) and a new one (POST): its URL is in this answer only."""

    @extend_schema(responses={200: s.ShareLinkSerializer(many=True), **merge_error_responses(NO_ACCOUNT)})
    def get(self, request: Request) -> Response:
        return Response(s.ShareLinkSerializer(services.links_of(self.account), many=True).data)

    @extend_schema(request=s.ShareInputSerializer, responses={201: s.NewShareLinkSerializer, **merge_error_responses(
        NO_ACCOUNT, [(400, CoreCodes.INVALID), (400, Codes.SHARE_NO_CERTIFICATES), (400, Codes.SHARE_EXPIRY_INVALID)])})
    def post(self, request: Request) -> Response:
        data = s.ShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        link, token = services.create_share_link(self.account, v["certificates"], days=v["days"],
                                                 id_display=v["id_display"], acting_user=self.user)
        url = request.build_absolute_uri(reverse("holder:shared", kwargs={"token": token}))
        return Response({**s.ShareLinkSerializer(link).data, "url": url}, status=status.HTTP_201_CREATED)


class ShareRevokeAPIView(_HolderAPIView):
    @extend_schema(request=None, responses={200: s.ShareLinkSerializer, **merge_error_responses(
        NO_ACCOUNT, [(404, CoreCodes.NOT_FOUND)])})
    def post(self, request: Request, pk: int) -> Response:
        link = services.link_of(self.account, pk)
        if link is None:
            raise DomainError(_("没有这个分享链接。"), code=CoreCodes.NOT_FOUND, status=404)
        return Response(s.ShareLinkSerializer(services.revoke_share_link(link, acting_user=self.user)).data)


class SharedAPIView(_PublicAPIView):
    """What a share link shows (each read counted): a wrong, expired or revoked token is one 404."""

    @extend_schema(responses={200: s.SharedSerializer, **merge_error_responses(
        [(404, Codes.SHARE_LINK_INVALID)], LIMITED)})
    def get(self, request: Request, token: str) -> Response:
        link, certificates = services.open_share_link(token, ip=client_ip(request))
        return Response(s.SharedSerializer({"expires_at": link.expires_at, "certificates": certificates}).data,
                        headers={"Cache-Control": "no-store"})


class RegistryExportAPIView(ProvinceAPIView):
    """The province's certificate registry as CSV in the national data fields (for the national networked lookup);
    the export is audited."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
                              **error_responses(CoreCodes.NOT_PERMITTED, status=403)})
    def get(self, request: Request, province: str) -> StreamingHttpResponse:
        qs = services.with_national_fields(scope_certificates(self.access)).order_by("-issued_on", "number")
        params: dict[str, Any] = {"via": "api"}
        lines = services.export_registry_csv(self.access.province, qs, services.NATIONAL_COLUMNS,
                                             acting_user=self.user, export_name="certificates",
                                             title=services.CERTIFICATE_NAME, params=params)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="certificates-{timezone.localdate():%Y%m%d}.csv"'
        return response
