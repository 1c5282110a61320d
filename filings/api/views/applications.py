"""API of the applicant: registration, the institution, calls, the draft application and its submission."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from portal.access import access_institution
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses
from portal.errors import Codes as CoreCodes, DomainError
from portal.models import Province, Role
from portal.roles import OFFICERS, PUBLIC

from ... import selectors, services
from ...access import access_application, access_own_application, scope_calls
from ...errors import Codes
from ...models import Application, ApplicationOccupation, Call
from .. import serializers as s
from ._shared import APPLICANT


class RegisterAPIView(ProvinceAPIView):
    """Register an applicant account and its institution in the province of the URL."""

    allowed_roles = (PUBLIC,)
    authentication_classes: list[Any] = []

    @extend_schema(
        request=s.RegistrationSerializer,
        responses={
            201: s.InstitutionSerializer,
            **error_responses(
                Codes.CATEGORY_UNKNOWN, Codes.CITY_OUTSIDE_PROVINCE, Codes.MOBILE_TAKEN, Codes.USCC_CHARACTER,
                Codes.USCC_CHECKSUM, Codes.USCC_DUPLICATE, Codes.USCC_INVALID, Codes.USCC_LENGTH,
                Codes.USCC_OTHER_PROVINCE, Codes.USERNAME_TAKEN, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.CONFLICT, status=409),
        },
    )
    def post(self, request: Request, province: str) -> Response:
        p = get_object_or_404(Province, slug=province)
        data = s.RegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _, institution = services.register_institution(
            p, username=v["username"], password=v["password"], email=v["email"], mobile=v.get("mobile") or None,
            display_name=v["display_name"], institution_data=dict(v["institution"]),
        )
        return Response(s.InstitutionSerializer(institution).data, status=status.HTTP_201_CREATED)


class MyInstitutionAPIView(ProvinceAPIView):
    allowed_roles = APPLICANT

    def institution(self) -> Any:
        return access_institution(self.access, next(iter(self.access.institution_ids())))

    @extend_schema(responses=s.InstitutionSerializer)
    def get(self, request: Request, province: str) -> Response:
        return Response(s.InstitutionSerializer(self.institution()).data)

    @extend_schema(
        request=s.InstitutionSerializer,
        responses={
            200: s.InstitutionSerializer,
            **error_responses(
                Codes.CATEGORY_UNKNOWN, Codes.CITY_OUTSIDE_PROVINCE, Codes.USCC_CHARACTER, Codes.USCC_CHECKSUM,
                Codes.USCC_DUPLICATE, Codes.USCC_INVALID, Codes.USCC_LENGTH, Codes.USCC_LOCKED,
                Codes.USCC_OTHER_PROVINCE, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
        },
    )
    def put(self, request: Request, province: str) -> Response:
        institution = self.institution()
        data = s.InstitutionSerializer(institution, data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.update_institution(institution, acting_user=self.user, data=dict(data.validated_data))
        return Response(s.InstitutionSerializer(updated).data)


class CallListAPIView(ProvinceListAPIView[Call]):
    allowed_roles = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.INSTITUTION_MEMBER)
    serializer_class = s.CallSerializer

    def get_queryset(self) -> QuerySet[Call]:
        return scope_calls(self.access).prefetch_related("occupations")


class MyApplicationListAPIView(ProvinceAPIView):
    allowed_roles = APPLICANT

    @extend_schema(responses=s.ApplicationSerializer(many=True))
    def get(self, request: Request, province: str) -> Response:
        qs = Application.objects.in_province(self.access.province).filter(
            institution_id__in=self.access.institution_ids()
        ).prefetch_related("occupations__occupation", "occupations__work_type").select_related("institution", "city")
        return Response(s.ApplicationSerializer(qs, many=True).data)

    @extend_schema(
        request=s.StartApplicationSerializer,
        responses={
            201: s.ApplicationSerializer,
            **error_responses(Codes.CALL_OTHER_PROVINCE, Codes.DEADLINE_PASSED, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
        },
    )
    def post(self, request: Request, province: str) -> Response:
        data = s.StartApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = get_object_or_404(scope_calls(self.access), pk=data.validated_data["call"])
        institution = access_institution(self.access, next(iter(self.access.institution_ids())))
        application = services.create_application(call, institution, acting_user=self.user)
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class _OwnApplicationAPIView(ProvinceAPIView):
    allowed_roles = APPLICANT

    def application(self) -> Application:
        return access_own_application(self.access, self.kwargs["pk"])

    def detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        application.refresh_from_db()
        return Response(s.ApplicationDetailSerializer(application).data, status=code)


class MyApplicationAPIView(_OwnApplicationAPIView):
    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(self.application())


class ApplicationOccupationsAPIView(_OwnApplicationAPIView):
    @extend_schema(
        request=s.OccupationInputSerializer,
        responses={
            201: s.ApplicationDetailSerializer,
            **error_responses(
                Codes.LEVELS_INVALID, Codes.LEVEL_NOT_ALLOWED, Codes.OCCUPATION_DUPLICATE,
                Codes.OCCUPATION_NOT_ADMITTED, Codes.TOO_MANY_OCCUPATIONS, Codes.WORK_TYPE_MISMATCH, CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.APPLICATION_NOT_EDITABLE, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.OccupationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_occupation(application, acting_user=self.user, **data.validated_data)
        return self.detail(application, status.HTTP_201_CREATED)


class ApplicationOccupationAPIView(_OwnApplicationAPIView):
    @extend_schema(
        responses={
            204: None,
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.APPLICATION_NOT_EDITABLE, status=409),
        },
    )
    def delete(self, request: Request, province: str, pk: int, item_pk: int) -> Response:
        item = get_object_or_404(ApplicationOccupation, application=self.application(), pk=item_pk)
        services.remove_occupation(item, acting_user=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApplicationFactsAPIView(_OwnApplicationAPIView):
    @extend_schema(
        request=s.FactsInputSerializer,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(Codes.OCCUPATION_FACTS_KEYS, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.APPLICATION_NOT_EDITABLE, status=409),
        },
    )
    def put(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.FactsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            occupation_facts = {int(k): dict(val) for k, val in v["occupation_facts"].items()}
        except ValueError as exc:
            raise DomainError("occupation_facts 的键应为申报职业记录的 id。",
                              code=Codes.OCCUPATION_FACTS_KEYS) from exc
        services.save_facts(application, acting_user=self.user, facts=dict(v["facts"]),
                            occupation_facts=occupation_facts, prefers_province_route=v["prefers_province_route"])
        return self.detail(application)


class ApplicationEvidenceAPIView(_OwnApplicationAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.UploadSerializer},
        responses={
            201: s.EvidenceSerializer,
            **error_responses(
                Codes.CHECKLIST_UNKNOWN, CoreCodes.UPLOAD_ACTIVE_CONTENT, CoreCodes.UPLOAD_ARCHIVE_TOO_LARGE,
                CoreCodes.UPLOAD_EMPTY, CoreCodes.UPLOAD_INFECTED, CoreCodes.UPLOAD_TOO_LARGE, CoreCodes.UPLOAD_TYPE,
                CoreCodes.INVALID
            ),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.APPLICATION_NOT_EDITABLE, status=409),
            **error_responses(CoreCodes.UPLOAD_SCAN_UNAVAILABLE, status=503),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.upload_evidence(application, acting_user=self.user,
                                            checklist_key=data.validated_data["checklist_key"],
                                            upload=data.validated_data["file"])
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class PrecheckAPIView(ProvinceAPIView):
    """The pre-check: every rule of the province's pack with its verdict (applicant and officers)."""

    allowed_roles = (Role.INSTITUTION_MEMBER, *OFFICERS)

    @extend_schema(responses=s.RuleResultSerializer(many=True))
    def get(self, request: Request, province: str, pk: int) -> Response:
        application = access_application(self.access, pk)
        return Response(s.RuleResultSerializer(selectors.precheck(application), many=True).data)


class PledgeAPIView(_OwnApplicationAPIView):
    @extend_schema(
        request=s.PledgeSerializer,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(Codes.PLEDGE_SIGNER_MISSING, CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(Codes.APPLICATION_NOT_EDITABLE, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.PledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.confirm_pledge(application, acting_user=self.user,
                                              signer=data.validated_data["signer"])
        return self.detail(application)


class SubmitAPIView(_OwnApplicationAPIView):
    @extend_schema(
        request=None,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(Codes.DEADLINE_PASSED, Codes.NO_OCCUPATIONS, Codes.SUBMISSION_REFUSED),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = services.submit_application(self.application(), acting_user=self.user)
        return self.detail(application)


class WithdrawAPIView(_OwnApplicationAPIView):
    @extend_schema(
        request=s.ReasonSerializer,
        responses={
            200: s.ApplicationDetailSerializer,
            **error_responses(CoreCodes.INVALID),
            **error_responses(CoreCodes.NOT_PERMITTED, status=403),
            **error_responses(CoreCodes.CONFLICT, CoreCodes.INVALID_TRANSITION, status=409),
        },
    )
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.withdraw_application(application, acting_user=self.user,
                                                    reason=data.validated_data["reason"])
        return self.detail(application)
