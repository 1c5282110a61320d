"""API of certificates: the public lookup and QR check (no login, the same rules as /verify/), and the
organization's and approvers' operations under /api/v1/<province>/certificates/. One class per operation; every
refusal comes back as {"code", "detail"} through portal.api.errors; a lookup past the rate limit as 429."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.utils.json import strict_constant
from rest_framework.views import APIView

from portal.api.base import ProvinceAPIView
from portal.api.negotiation import JSON, USUAL_ACCEPTS
from portal.api.permissions import DeclaredRoles
from portal.api.representation import representer
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes, DomainError
from portal.models import Role
from portal.ratelimit import client_ip
from portal.roles import PUBLIC

from ... import selectors, services, verify_checklist
from ...access import access_batch, access_certificate, access_change, access_own_plan, own_live_filing
from ...errors import Codes
from ...models.issuance import LookupChannel
from ...signing import Payload
from ..serializers import certificates as s

ORGANIZATION = (Role.INSTITUTION_MEMBER,)
APPROVERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
EVERYONE = (Role.INSTITUTION_MEMBER, *APPROVERS)
Errors = list[tuple[int, str]]  # (status, code) pairs for merge_error_responses
INVALID: Errors = [(400, CoreCodes.INVALID)]
FORBIDDEN: Errors = [(403, CoreCodes.NOT_PERMITTED)]
LIMITED: Errors = [(429, CoreCodes.RATE_LIMITED), (503, CoreCodes.SERVICE_UNAVAILABLE)]
LOOKUP_ERRORS = merge_error_responses(INVALID, LIMITED)
CHANGE_MOVES: Errors = [(409, CoreCodes.INVALID_TRANSITION), (409, CoreCodes.CONFLICT), (409, Codes.CHANGE_DECIDED),
                (409, Codes.CHANGE_PENDING)]
ISSUE: Errors = [(400, Codes.NOT_ACTIVE), (400, Codes.NOTHING_TO_ISSUE), (409, Codes.ALREADY_ISSUED),
                 (400, Codes.LEVEL_INVALID), (400, Codes.CERTIFICATE_SEQUENCE_EXHAUSTED),
                 (400, Codes.ORGANIZATION_SEQUENCE_INVALID)]
DECIDE: Errors = [(400, Codes.REASON_REQUIRED), (400, Codes.CERTIFICATE_NOT_VALID)]
REVOKE: Errors = [*DECIDE, (400, Codes.REASON_CODE_INVALID)]
CORRECT: Errors = [*DECIDE, *((400, c) for c in (Codes.CORRECTION_FIELD, Codes.CORRECTION_EMPTY, Codes.CORRECTION_ID_TYPE,
                                                 Codes.CORRECTION_NAME, Codes.CORRECTION_UNCHANGED))]


# PublicCertificateSerializer's output, compiled once: building the serializer on every lookup cost a sixth of it
_public_certificate = representer(s.PublicCertificateSerializer)


def _public(certificates: list[selectors.PublicCertificate], *, scanned: Payload | None = None) -> list[dict[str, Any]]:
    """What the public sees of each certificate, with its verify checklist (signature, issuer, revocation)."""
    return [_public_certificate(v) for v in verify_checklist.checked_views(certificates, scanned=scanned)]


class _PublicAPIView(APIView):
    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    throttle_classes: list[type[BaseThrottle]] = []  # the services' per-address limit applies, as on /verify/


class CertificateLookupAPIView(_PublicAPIView):
    """Verify a certificate: number + holder's name, or ID number + name (both must match; a miss says nothing about
    which was wrong). Each address may make CERTIFICATE_LOOKUP_RATE lookups per window; past it: 429."""

    # (A comment, not the docstring: the docstring is the endpoint's description in the OpenAPI schema.)
    # The usual request (a plain JSON body of the usual shape, JSON or nothing asked for, no query) is answered
    # without DRF's dispatch: what DRF would do for it is known (no authentication, a public permission, the JSON
    # renderer), and its request wrapper, steps and response finalising were the most of what the API cost beyond
    # the lookup page (docs/performance.md). The answer is DRF's byte for byte: its renderer, its headers; any refusal
    # goes through DRF's exception handling. Every other request takes DRF's whole way.
    # tests/certificates/test_lookup_api_direct.py sends the same requests both ways and compares the answers.
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        direct = PUBLIC in self.allowed_roles and getattr(settings, "CERTIFICATE_LOOKUP_API_DIRECT", True)
        body = _usual_lookup(request) if direct else None  # public: DRF's permission step would admit anyone
        if body is None:
            return super().dispatch(request, *args, **kwargs)
        self.args, self.kwargs, self.headers = args, kwargs, self.default_response_headers
        try:
            results = _looked_up(body, client_ip(request))
        except Exception as exc:  # noqa: BLE001 - DRF's own handling of whatever it is, as its dispatch does
            self.request = drf = self.initialize_request(request, *args, **kwargs)
            self.format_kwarg = self.get_format_suffix(**kwargs)
            drf.accepted_renderer, drf.accepted_media_type = self.perform_content_negotiation(drf)
            response = self.handle_exception(exc)
            return self.finalize_response(self.request, response, *args, **kwargs)
        answer = HttpResponse(_JSON.render({"results": results}, JSON), content_type=JSON)
        for name, value in self.headers.items():
            answer[name] = value
        return answer

    @extend_schema(request=s.LookupInputSerializer, responses={200: s.LookupResultSerializer, **LOOKUP_ERRORS})
    def post(self, request: Request) -> Response:
        v = s.plainly_valid_lookup(request.data)
        if v is None:  # anything but the common shape: the serializer validates it and words the refusal
            data = s.LookupInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
        return Response({"results": _looked_up(v, client_ip(request))})


_JSON = JSONRenderer()


def _usual_lookup(request: HttpRequest) -> dict[str, str] | None:
    """The lookup a request asks, when it is the usual one DRF would answer with its JSON renderer and no other step
    of consequence: POST, a plain JSON body of the usual shape (plainly_valid_lookup; parsed as DRF's JSON parser
    parses it: UTF-8, no NaN or Infinity), JSON or nothing asked for, no query string. None for anything else."""
    meta = request.META
    if (request.method != "POST" or meta.get("CONTENT_TYPE") != JSON or meta.get("QUERY_STRING")
            or meta.get("HTTP_ACCEPT") not in USUAL_ACCEPTS):
        return None
    try:
        data = json.loads(request.body.decode("utf-8"), parse_constant=strict_constant)
    except ValueError:  # not UTF-8, not JSON: DRF words the refusal
        return None
    return s.plainly_valid_lookup(data)


def _looked_up(v: dict[str, str], ip: str) -> list[dict[str, Any]]:
    if v.get("number"):
        found = services.lookup_by_number(v["number"], v["name"], ip=ip, channel=LookupChannel.API_NUMBER)
        return _public([found] if found else [])
    return _public(services.lookup_by_id_number(v["id_number"], v["name"], ip=ip,
                                                channel=LookupChannel.API_ID_NUMBER))


class PayloadVerifyAPIView(_PublicAPIView):
    """Check a QR payload's Ed25519 signature with the province's published keys and return what it certifies,
    with the certificate's current status (the signature alone cannot say it was revoked since)."""

    @extend_schema(request=s.PayloadInputSerializer, responses={
        200: s.PayloadResultSerializer, **merge_error_responses(INVALID, LIMITED, [(400, Codes.LINK_INVALID)])})
    def post(self, request: Request) -> Response:
        data = s.PayloadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload, certificate = services.lookup_by_payload(data.validated_data["payload"], ip=client_ip(request))
        return Response({"signature_valid": True, "payload": payload.as_dict(),
                         "certificate": _public([certificate], scanned=payload)[0] if certificate else None})


class IssueAPIView(ProvinceAPIView):
    """The organization issues certificates for its approved results (one plan's, or all); PDFs follow."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.IssueInputSerializer, responses={
        201: s.BatchSerializer, **merge_error_responses(INVALID, FORBIDDEN, ISSUE)})
    def post(self, request: Request, province: str) -> Response:
        access = self.access
        data = s.IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = own_live_filing(access)
        if filing is None:
            raise DomainError("本机构没有有效备案，不能颁发证书。", code=Codes.NOT_ACTIVE)
        plan = access_own_plan(access, data.validated_data["plan"]) if data.validated_data.get("plan") else None
        batch = services.issue_certificates(filing, acting_user=self.user, plan=plan)
        return Response(_batch(batch), status=status.HTTP_201_CREATED)


def _batch(batch: Any) -> dict[str, Any]:
    return s.BatchSerializer({**selectors.batch_progress(batch), "kind": batch.kind, "issued_on": batch.issued_on,
                              "number_ranges": batch.number_ranges}).data


class BatchAPIView(ProvinceAPIView):
    """A batch and the progress of its PDFs."""

    allowed_roles = EVERYONE

    @extend_schema(responses={200: s.BatchSerializer, **error_responses(CoreCodes.NOT_FOUND, status=404)})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_batch(access_batch(self.access, pk)))


class RevocationAPIView(ProvinceAPIView):
    """The organization asks to revoke a certificate (approved by its city or the province, per pack)."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.RevocationInputSerializer, responses={
        201: s.ChangeSerializer, **merge_error_responses(INVALID, FORBIDDEN, CHANGE_MOVES, REVOKE)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        certificate = access_certificate(self.access, pk)
        data = s.RevocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.request_revocation(certificate, acting_user=self.user,
                                             reason_code=data.validated_data["reason_code"],
                                             reason=data.validated_data["reason"])
        return Response(s.ChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class CorrectionAPIView(ProvinceAPIView):
    """The organization asks to correct printed fields; once approved, a new certificate replaces this one."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=s.CorrectionInputSerializer, responses={
        201: s.ChangeSerializer, **merge_error_responses(INVALID, FORBIDDEN, CHANGE_MOVES, CORRECT)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        certificate = access_certificate(self.access, pk)
        data = s.CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k != "reason"}
        change = services.request_correction(certificate, acting_user=self.user,
                                             corrections=fields, reason=data.validated_data["reason"])
        return Response(s.ChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ApproveChangeAPIView(ProvinceAPIView):
    allowed_roles = APPROVERS

    @extend_schema(request=s.DecisionInputSerializer, responses={
        200: s.ChangeSerializer, **merge_error_responses(INVALID, FORBIDDEN, CHANGE_MOVES, DECIDE)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        change = access_change(self.access, pk)
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.approve_change(change, acting_user=self.user,
                                          note=data.validated_data.get("note", ""))
        return Response(s.ChangeSerializer(decided).data)


class RejectChangeAPIView(ProvinceAPIView):
    allowed_roles = APPROVERS

    @extend_schema(request=s.DecisionInputSerializer, responses={
        200: s.ChangeSerializer, **merge_error_responses(INVALID, FORBIDDEN, CHANGE_MOVES, DECIDE)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        change = access_change(self.access, pk)
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.reject_change(change, acting_user=self.user,
                                         note=data.validated_data.get("note", ""))
        return Response(s.ChangeSerializer(decided).data)
