"""API of certificates: the public lookup and QR check (no login, the same rules as /verify/), and the
organization's and approvers' operations under /api/v1/<province>/certificates/. One class per operation; domain
errors come back as {"code", "detail"} (portal.api.errors), a refused lookup past the rate limit as 429."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from portal.api.permissions import DeclaredRoles
from portal.errors import DomainError
from portal.models import Role
from portal.roles import PUBLIC

from .. import selectors, services
from ..access import access_batch, access_certificate, access_change, access_own_plan, own_live_filing
from ..models.issuance import LookupChannel
from . import serializers_certificates as s

ORGANIZATION = (Role.INSTITUTION_MEMBER,)
APPROVERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
EVERYONE = (Role.INSTITUTION_MEMBER, *APPROVERS)
ERRORS = {400: OpenApiResponse(description='{"code", "detail"}'), 404: OpenApiResponse(description="not found"),
          429: OpenApiResponse(description='{"code": "rate_limited", "detail"}')}


def _ip(request: Request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _public(certificates: list[selectors.PublicCertificate]) -> list[dict[str, Any]]:
    return [s.PublicCertificateSerializer(selectors.public_view(c)).data for c in certificates]


class _PublicAPIView(APIView):
    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    throttle_classes: list[type[BaseThrottle]] = []  # the services' per-address limit applies, as on /verify/


class CertificateLookupAPIView(_PublicAPIView):
    """Verify a certificate: number + holder's name, or ID number + name (both must match; a miss says nothing about
    which was wrong). Each address may make CERTIFICATE_LOOKUP_RATE lookups per window; past it: 429."""

    @extend_schema(request=s.LookupInputSerializer, responses={200: s.LookupResultSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = s.LookupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v.get("number"):
            found = services.lookup_by_number(v["number"], v["name"], ip=_ip(request),
                                              channel=LookupChannel.API_NUMBER)
            results = [found] if found else []
        else:
            results = services.lookup_by_id_number(v["id_number"], v["name"], ip=_ip(request),
                                                   channel=LookupChannel.API_ID_NUMBER)
        return Response({"results": _public(results)})


class PayloadVerifyAPIView(_PublicAPIView):
    """Check a QR payload's Ed25519 signature with the province's published keys and return what it certifies,
    with the certificate's current status (the signature alone cannot say it was revoked since)."""

    @extend_schema(request=s.PayloadInputSerializer, responses={200: s.PayloadResultSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = s.PayloadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload, certificate = services.lookup_by_payload(data.validated_data["payload"], ip=_ip(request))
        return Response({"signature_valid": True, "payload": payload.as_dict(),
                         "certificate": _public([certificate])[0] if certificate else None})


class _ProvinceAPIView(APIView):
    permission_classes = [DeclaredRoles]


class IssueAPIView(_ProvinceAPIView):
    """The organization issues certificates for its approved results (one plan's, or all); PDFs follow."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.IssueInputSerializer, responses={201: s.BatchSerializer, **ERRORS})
    def post(self, request: Request, province: str) -> Response:
        access = self.access  # type: ignore[attr-defined]
        data = s.IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = own_live_filing(access)
        if filing is None:
            raise DomainError("本机构没有有效备案，不能颁发证书。", code="filing_not_active")
        plan = access_own_plan(access, data.validated_data["plan"]) if data.validated_data.get("plan") else None
        batch = services.issue_certificates(filing, acting_user=request.user, plan=plan)  # type: ignore[arg-type]
        return Response(_batch(batch), status=status.HTTP_201_CREATED)


def _batch(batch: Any) -> dict[str, Any]:
    return s.BatchSerializer({**selectors.batch_progress(batch), "kind": batch.kind, "issued_on": batch.issued_on,
                              "number_ranges": batch.number_ranges}).data


class BatchAPIView(_ProvinceAPIView):
    """A batch and the progress of its PDFs."""

    allowed_roles = EVERYONE

    @extend_schema(responses={200: s.BatchSerializer, 404: ERRORS[404]})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_batch(access_batch(self.access, pk)))  # type: ignore[attr-defined]


class RevocationAPIView(_ProvinceAPIView):
    """The organization asks to revoke a certificate (approved by its city or the province, per pack)."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.RevocationInputSerializer, responses={201: s.ChangeSerializer, **ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        certificate = access_certificate(self.access, pk)  # type: ignore[attr-defined]
        data = s.RevocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.request_revocation(certificate, acting_user=request.user,  # type: ignore[arg-type]
                                             reason_code=data.validated_data["reason_code"],
                                             reason=data.validated_data["reason"])
        return Response(s.ChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class CorrectionAPIView(_ProvinceAPIView):
    """The organization asks to correct printed fields; once approved, a new certificate replaces this one."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.CorrectionInputSerializer, responses={201: s.ChangeSerializer, **ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        certificate = access_certificate(self.access, pk)  # type: ignore[attr-defined]
        data = s.CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k != "reason"}
        change = services.request_correction(certificate, acting_user=request.user,  # type: ignore[arg-type]
                                             corrections=fields, reason=data.validated_data["reason"])
        return Response(s.ChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ApproveChangeAPIView(_ProvinceAPIView):
    allowed_roles = APPROVERS

    @extend_schema(request=s.DecisionInputSerializer, responses={200: s.ChangeSerializer, **ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        change = access_change(self.access, pk)  # type: ignore[attr-defined]
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.approve_change(change, acting_user=request.user,  # type: ignore[arg-type]
                                          note=data.validated_data.get("note", ""))
        return Response(s.ChangeSerializer(decided).data)


class RejectChangeAPIView(_ProvinceAPIView):
    allowed_roles = APPROVERS

    @extend_schema(request=s.DecisionInputSerializer, responses={200: s.ChangeSerializer, **ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        change = access_change(self.access, pk)  # type: ignore[attr-defined]
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.reject_change(change, acting_user=request.user,  # type: ignore[arg-type]
                                         note=data.validated_data.get("note", ""))
        return Response(s.ChangeSerializer(decided).data)
