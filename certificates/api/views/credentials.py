"""API of verifiable credentials (no login): a certificate's vc+jwt for the holder of its QR payload, and the
provinces' Bitstring Status Lists, the same documents as /verify/vc/ and /verify/status/."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.schema import merge_error_responses
from portal.ratelimit import client_ip

from ... import services, vc
from ...errors import Codes
from ..serializers import credentials as s
from .certificates import INVALID, LIMITED, _PublicAPIView


class CredentialAPIView(_PublicAPIView):
    """The certificate a QR payload names, as a W3C Verifiable Credential (vc+jwt, EdDSA with the province's key),
    with its revocation and suspension status entries. Counted and rate-limited as a QR lookup."""

    @extend_schema(request=s.CredentialInputSerializer, responses={200: s.CredentialSerializer, **merge_error_responses(
        INVALID, LIMITED, [(400, "payload_malformed"), (400, "payload_unknown_key"), (400, "payload_bad_signature"),
         (404, Codes.CREDENTIAL_NOT_FOUND)])})
    def post(self, request: Request) -> Response:
        data = s.CredentialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate, credential = services.credential_for_payload(data.validated_data["payload"],
                                                                  ip=client_ip(request))
        return Response({"number": certificate.number, "media_type": vc.MEDIA_TYPE, "credential": credential})


class StatusListAPIView(_PublicAPIView):
    """A province's status list (purpose revocation or suspension, list number from 1), signed as a credential."""

    @extend_schema(responses={200: s.StatusListSerializer,
                              **merge_error_responses([(404, Codes.STATUS_LIST_NOT_FOUND)])})
    def get(self, request: Request, province: str, purpose: str, number: int) -> Response:
        credential, etag = services.status_list_for(province, purpose, number)
        return Response({"media_type": vc.MEDIA_TYPE, "etag": etag, "credential": credential})
