"""API views of filings. Errors come back as {"code", "detail"} through portal.api.errors."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access import access_institution
from portal.api.permissions import DeclaredRoles
from portal.errors import DomainError
from portal.models import Province, Role
from portal.roles import OFFICERS, PUBLIC

from .. import selectors, services
from ..access import access_application, access_own_application, scope_applications, scope_calls
from ..errors import Codes
from ..models import Application, ApplicationOccupation, Call
from . import serializers as s

APPLICANT = (Role.INSTITUTION_MEMBER,)


class _ProvinceAPIView(APIView):
    permission_classes = [DeclaredRoles]


class RegisterAPIView(_ProvinceAPIView):
    """Register an applicant account and its institution in the province of the URL."""

    allowed_roles = (PUBLIC,)
    authentication_classes: list[Any] = []

    @extend_schema(request=s.RegistrationSerializer, responses={201: s.InstitutionSerializer})
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


class MyInstitutionAPIView(_ProvinceAPIView):
    allowed_roles = APPLICANT

    def institution(self) -> Any:
        return access_institution(self.access, next(iter(self.access.institution_ids())))  # type: ignore[attr-defined]

    @extend_schema(responses=s.InstitutionSerializer)
    def get(self, request: Request, province: str) -> Response:
        return Response(s.InstitutionSerializer(self.institution()).data)

    @extend_schema(request=s.InstitutionSerializer, responses=s.InstitutionSerializer)
    def put(self, request: Request, province: str) -> Response:
        institution = self.institution()
        data = s.InstitutionSerializer(institution, data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.update_institution(institution, acting_user=request.user, data=dict(data.validated_data))  # type: ignore[arg-type]
        return Response(s.InstitutionSerializer(updated).data)


class CallListAPIView(generics.ListAPIView):
    allowed_roles = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.INSTITUTION_MEMBER)
    permission_classes = [DeclaredRoles]
    serializer_class = s.CallSerializer

    def get_queryset(self) -> QuerySet[Call]:
        return scope_calls(self.access).prefetch_related("occupations")  # type: ignore[attr-defined]


class MyApplicationListAPIView(_ProvinceAPIView):
    allowed_roles = APPLICANT

    @extend_schema(responses=s.ApplicationSerializer(many=True))
    def get(self, request: Request, province: str) -> Response:
        qs = Application.objects.in_province(self.access.province).filter(  # type: ignore[attr-defined]
            institution_id__in=self.access.institution_ids()  # type: ignore[attr-defined]
        ).prefetch_related("occupations__occupation", "occupations__work_type").select_related("institution", "city")
        return Response(s.ApplicationSerializer(qs, many=True).data)

    @extend_schema(request=s.StartApplicationSerializer, responses={201: s.ApplicationSerializer})
    def post(self, request: Request, province: str) -> Response:
        data = s.StartApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = get_object_or_404(scope_calls(self.access), pk=data.validated_data["call"])  # type: ignore[attr-defined]
        institution = access_institution(self.access, next(iter(self.access.institution_ids())))  # type: ignore[attr-defined]
        application = services.create_application(call, institution, acting_user=request.user)  # type: ignore[arg-type]
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class _OwnApplicationAPIView(_ProvinceAPIView):
    allowed_roles = APPLICANT

    def application(self) -> Application:
        return access_own_application(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    def detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        application.refresh_from_db()
        return Response(s.ApplicationDetailSerializer(application).data, status=code)


class MyApplicationAPIView(_OwnApplicationAPIView):
    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(self.application())


class ApplicationOccupationsAPIView(_OwnApplicationAPIView):
    @extend_schema(request=s.OccupationInputSerializer, responses={201: s.ApplicationDetailSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.OccupationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_occupation(application, acting_user=request.user, **data.validated_data)  # type: ignore[arg-type]
        return self.detail(application, status.HTTP_201_CREATED)


class ApplicationOccupationAPIView(_OwnApplicationAPIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, province: str, pk: int, item_pk: int) -> Response:
        item = get_object_or_404(ApplicationOccupation, application=self.application(), pk=item_pk)
        services.remove_occupation(item, acting_user=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApplicationFactsAPIView(_OwnApplicationAPIView):
    @extend_schema(request=s.FactsInputSerializer, responses=s.ApplicationDetailSerializer)
    def put(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.FactsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            occupation_facts = {int(k): dict(val) for k, val in v["occupation_facts"].items()}
        except ValueError as exc:
            raise DomainError("occupation_facts 的键应为申报职业记录的 id。", code=Codes.OCCUPATION_FACTS_KEYS) from exc
        services.save_facts(application, acting_user=request.user, facts=dict(v["facts"]),  # type: ignore[arg-type]
                            occupation_facts=occupation_facts, prefers_province_route=v["prefers_province_route"])
        return self.detail(application)


class ApplicationEvidenceAPIView(_OwnApplicationAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.UploadSerializer}, responses={201: s.EvidenceSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.upload_evidence(application, acting_user=request.user,  # type: ignore[arg-type]
                                            checklist_key=data.validated_data["checklist_key"],
                                            upload=data.validated_data["file"])
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class PrecheckAPIView(_ProvinceAPIView):
    """The pre-check: every rule of the province's pack with its verdict (applicant and officers)."""

    allowed_roles = (Role.INSTITUTION_MEMBER, *OFFICERS)

    @extend_schema(responses=s.RuleResultSerializer(many=True))
    def get(self, request: Request, province: str, pk: int) -> Response:
        application = access_application(self.access, pk)  # type: ignore[attr-defined]
        return Response(s.RuleResultSerializer(selectors.precheck(application), many=True).data)


class PledgeAPIView(_OwnApplicationAPIView):
    @extend_schema(request=s.PledgeSerializer, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.PledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.confirm_pledge(application, acting_user=request.user,  # type: ignore[arg-type]
                                              signer=data.validated_data["signer"])
        return self.detail(application)


class SubmitAPIView(_OwnApplicationAPIView):
    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = services.submit_application(self.application(), acting_user=request.user)  # type: ignore[arg-type]
        return self.detail(application)


class WithdrawAPIView(_OwnApplicationAPIView):
    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.withdraw_application(application, acting_user=request.user,  # type: ignore[arg-type]
                                                    reason=data.validated_data["reason"])
        return self.detail(application)


# --- the officer's side ---

class ReviewListAPIView(generics.ListAPIView):
    """Applications an officer may review; filter with ?state=, ?category=, ?call=."""

    allowed_roles = OFFICERS
    permission_classes = [DeclaredRoles]
    serializer_class = s.ApplicationSerializer

    @extend_schema(parameters=[s.ReviewFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Application]:
        qs = scope_applications(self.access).exclude(state="draft").select_related(  # type: ignore[attr-defined]
            "institution", "city").prefetch_related("occupations__occupation", "occupations__work_type").order_by("pk")
        params = s.ReviewFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)  # ?call=abc is a 400 with its field, not a 500
        for key, value in params.validated_data.items():
            if value not in ("", None):
                qs = qs.filter(**{key: value})
        return qs


class _ReviewAPIView(_ProvinceAPIView):
    allowed_roles = OFFICERS

    def application(self) -> Application:
        return access_application(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    def detail(self, application: Application) -> Response:
        application.refresh_from_db()
        return Response(s.ApplicationDetailSerializer(application).data)


class ReviewDetailAPIView(_ReviewAPIView):
    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(self.application())


class StartReviewAPIView(_ReviewAPIView):
    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(services.start_city_review(self.application(), acting_user=request.user))  # type: ignore[arg-type]


class ReturnAPIView(_ReviewAPIView):
    @extend_schema(request=s.ApplicationCorrectionInputSerializer, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ApplicationCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [services.CorrectionRequest(i["target"], i["target_label"], i["problem"])
                 for i in data.validated_data["items"]]
        services.return_application(application, acting_user=request.user, items=items,  # type: ignore[arg-type]
                                    note=data.validated_data["note"])
        return self.detail(application)


class NotRecommendAPIView(_ReviewAPIView):
    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        application = self.application()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.detail(services.not_recommend_application(
            application, acting_user=request.user, reason=data.validated_data["reason"]))  # type: ignore[arg-type]


class PassReviewAPIView(_ReviewAPIView):
    @extend_schema(request=None, responses=s.ApplicationDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        return self.detail(services.pass_city_review(self.application(), acting_user=request.user))  # type: ignore[arg-type]
