"""Public complaint API (no login): file a complaint (the tracking code comes back once), read it by its code, answer
a request for information, say whether the answer satisfies. Rate-limited per address by the services."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from portal.api.permissions import DeclaredRoles
from portal.api.schema import merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Province
from portal.ratelimit import client_ip
from portal.roles import PUBLIC

from .. import selectors, services
from ..errors import Codes
from ..models import ComplaintSubject

UPLOAD_ERRORS = [(400, CoreCodes.UPLOAD_EMPTY), (400, CoreCodes.UPLOAD_TOO_LARGE), (400, CoreCodes.UPLOAD_TYPE),
                 (400, CoreCodes.UPLOAD_ACTIVE_CONTENT), (400, CoreCodes.UPLOAD_ARCHIVE_TOO_LARGE),
                 (400, CoreCodes.UPLOAD_INFECTED)]
LIMITED = [(429, CoreCodes.RATE_LIMITED), (400, CoreCodes.INVALID)]
TRACK_ERRORS = [*LIMITED, (404, Codes.TRACKING_CODE_NOT_FOUND)]
MAX_ID = 2**63 - 1  # a bigint primary key: a larger number is refused as invalid, never sent to the database


class SubmitSerializer(serializers.Serializer[Any]):
    subject_kind = serializers.ChoiceField(choices=ComplaintSubject.choices)
    category = serializers.CharField(max_length=40, help_text="a category key of the province's pack")
    text = serializers.CharField(max_length=5000)
    organization = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                            help_text="institution id from the public catalog")
    exam_date = serializers.DateField(required=False, allow_null=True)
    certificate_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    occupation = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    anonymous = serializers.BooleanField(required=False, default=False)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class SubmittedSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField(help_text="shown once; only its hash is stored")
    state = serializers.CharField()
    level = serializers.CharField()
    legal_due_on = serializers.DateField(allow_null=True, help_text="null while past the published calendar")
    service_due_on = serializers.DateField(allow_null=True)


class CodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=30)


class InformationSerializer(CodeSerializer):
    text = serializers.CharField(max_length=5000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReactionSerializer(CodeSerializer):
    satisfied = serializers.BooleanField()
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TrackingSerializer(serializers.Serializer[Any]):
    """What the complainant sees: state, deadlines, suspensions, the responses and what they may do next."""

    state = serializers.CharField()
    state_label = serializers.CharField()
    organization = serializers.CharField()
    category = serializers.CharField()
    filed_on = serializers.DateField()
    legal_due_on = serializers.DateField(allow_null=True, help_text="null while past the published calendar")
    service_due_on = serializers.DateField(allow_null=True)
    clock_suspended = serializers.BooleanField()
    suspended_working_days = serializers.IntegerField()
    suspensions = serializers.ListField(child=serializers.DictField())
    decision = serializers.CharField(allow_null=True)
    decision_reason = serializers.CharField(allow_null=True)
    reply_window_ends_on = serializers.DateField(allow_null=True)
    reopened = serializers.BooleanField()
    satisfaction = serializers.CharField(allow_null=True)
    responses = serializers.ListField(child=serializers.DictField())
    can_provide_information = serializers.BooleanField()
    can_react = serializers.BooleanField()
    can_reopen = serializers.BooleanField()


class _PublicAPIView(APIView):
    allowed_roles = (PUBLIC,)
    permission_classes = [DeclaredRoles]
    authentication_classes: list[Any] = []
    throttle_classes: list[type[BaseThrottle]] = []  # the services' per-address limits apply
    parser_classes = [JSONParser, MultiPartParser, FormParser]


class SubmitComplaintAPIView(_PublicAPIView):
    """File a complaint about an organization of the province (directly, through an exam date, or a certificate)."""

    @extend_schema(request=SubmitSerializer, responses={201: SubmittedSerializer, **merge_error_responses(
        LIMITED, UPLOAD_ERRORS, [(400, Codes.COMPLAINT_INVALID), (400, Codes.COMPLAINT_SUBJECT_NOT_FOUND)])})
    def post(self, request: Request, province: str) -> Response:
        the_province = get_object_or_404(Province, slug=province)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        files = v.pop("attachments")
        entry = services.ComplaintInput(
            subject_kind=v["subject_kind"], category=v["category"], text=v["text"],
            organization_id=v.get("organization"), exam_date=v.get("exam_date"),
            certificate_number=v["certificate_number"], occupation_id=v.get("occupation"),
            anonymous=v["anonymous"], name=v["name"], mobile=v["mobile"].strip(), email=v["email"].strip())
        complaint, code = services.submit_complaint(the_province, entry, ip=client_ip(request), files=files)
        body = {"tracking_code": code, "state": complaint.state, "level": complaint.level,
                "legal_due_on": complaint.legal_due_on, "service_due_on": complaint.service_due_on}
        response = Response(SubmittedSerializer(body).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


def _tracking(complaint: Any) -> Response:
    response = Response(TrackingSerializer(selectors.complainant_dict(complaint)).data)
    response["Cache-Control"] = "no-store"
    return response


class TrackComplaintAPIView(_PublicAPIView):
    """The complaint of a tracking code (the code in the body, never in the address)."""

    @extend_schema(request=CodeSerializer, responses={200: TrackingSerializer, **merge_error_responses(TRACK_ERRORS)})
    def post(self, request: Request) -> Response:
        data = CodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _tracking(services.find_by_code(data.validated_data["code"], ip=client_ip(request)))


class ProvideInformationAPIView(_PublicAPIView):
    """Answer the handler's request for information; the clock resumes."""

    @extend_schema(request=InformationSerializer, responses={200: TrackingSerializer, **merge_error_responses(
        TRACK_ERRORS, UPLOAD_ERRORS, [(400, Codes.COMPLAINT_INVALID), (409, Codes.COMPLAINT_STATE)])})
    def post(self, request: Request) -> Response:
        data = InformationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        complaint = services.find_by_code(v["code"], ip=client_ip(request))
        return _tracking(services.provide_information(complaint, text=v["text"], files=v["attachments"]))


class ReactAPIView(_PublicAPIView):
    """Satisfied (closes it) or not satisfied (reopens it once, within the pack's days after the answer)."""

    @extend_schema(request=ReactionSerializer, responses={200: TrackingSerializer, **merge_error_responses(
        TRACK_ERRORS, [(409, Codes.COMPLAINT_STATE), (409, Codes.COMPLAINT_REOPEN_CLOSED)])})
    def post(self, request: Request) -> Response:
        data = ReactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        complaint = services.find_by_code(v["code"], ip=client_ip(request))
        return _tracking(services.react_to_answer(complaint, satisfied=v["satisfied"], comment=v["comment"]))
