"""API of renewals (scoped like the pages): the organization starts, fills in and submits its renewal; officers list
and read renewals with the pre-check and counts; provincial officers return, approve or refuse. Refusals come back
from portal.api.errors."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from filings.access import scope_filings
from portal.api.base import ProvinceAPIView, ProvinceListAPIView
from portal.api.schema import error_responses, merge_error_responses
from portal.errors import Codes as CoreCodes
from portal.models import Role

from .. import selectors, services
from ..access import access_renewal, scope_renewals
from ..errors import Codes
from ..models import Renewal, RenewalState

READERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.INSTITUTION_MEMBER)
ORGANIZATION = (Role.INSTITUTION_MEMBER,)
NOT_FOUND = error_responses(CoreCodes.NOT_FOUND, status=404)
REVIEW_ERRORS = merge_error_responses([(400, Codes.REASON_REQUIRED), (400, CoreCodes.INVALID),
                                       (403, CoreCodes.NOT_PERMITTED), (409, CoreCodes.INVALID_TRANSITION)])


class RenewalSerializer(serializers.ModelSerializer[Renewal]):
    institution = serializers.CharField(source="institution.name")
    filing_id = serializers.IntegerField()

    class Meta:
        model = Renewal
        fields = ["id", "filing_id", "institution", "state", "period_start", "period_end", "occupations", "facts",
                  "counts", "precheck", "return_reason", "decision_reason", "renewed_occupations", "new_valid_until",
                  "letter_number", "submitted_at", "decided_at"]


class RenewalDetailSerializer(RenewalSerializer):
    check = serializers.SerializerMethodField()

    class Meta(RenewalSerializer.Meta):
        fields = [*RenewalSerializer.Meta.fields, "check"]

    def get_check(self, renewal: Renewal) -> dict[str, Any]:
        check = selectors.renewal_check(renewal)
        return {
            "total": check.total, "can_submit": check.can_submit, "missing_documents": check.missing_documents,
            "occupations": [{"line_id": o.line.pk, "occupation": str(o.line), "code": o.line.occupation.code,
                             "count": o.count, "requested": o.requested, "renewed": o.renewed}
                            for o in check.occupations],
            "rules": [{"rule": r.rule_id, "text": r.text, "source": r.source, "verdict": str(r.verdict),
                       "reason": r.reason} for r in check.results],
        }


class StartSerializer(serializers.Serializer[Any]):
    filing_id = serializers.IntegerField()


class UpdateSerializer(serializers.Serializer[Any]):
    facts = serializers.DictField(child=serializers.BooleanField())
    occupations = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class DecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["approve", "return", "refuse"])
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class RenewalListAPIView(ProvinceListAPIView[Renewal]):
    """Renewals the caller may see; ?state=…; an organization's member POSTs to start its filing's renewal."""

    allowed_roles = READERS
    serializer_class = RenewalSerializer

    def get_queryset(self) -> QuerySet[Renewal]:
        qs = scope_renewals(self.access).select_related("institution").order_by("-created_at", "-id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state in RenewalState.values else qs

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=RenewalState.values)],
                   responses={200: RenewalSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=StartSerializer, responses={201: RenewalDetailSerializer, **NOT_FOUND,
                                                        **merge_error_responses([
                                                            (400, Codes.RENEWAL_NOT_OPEN), (400, Codes.RENEWAL_EXISTS),
                                                            (400, Codes.RENEWAL_NOT_OFFERED),
                                                            (403, CoreCodes.NOT_PERMITTED)])})
    def post(self, request: Request, province: str) -> Response:
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = get_object_or_404(scope_filings(self.access), pk=data.validated_data["filing_id"])
        renewal = services.start_renewal(filing, acting_user=self.user)
        return Response(RenewalDetailSerializer(renewal).data, status=status.HTTP_201_CREATED)


class RenewalDetailAPIView(ProvinceAPIView):
    """One renewal with its live pre-check and counts; its organization PATCHes declarations and occupations."""

    allowed_roles = READERS

    @extend_schema(responses={200: RenewalDetailSerializer, **NOT_FOUND})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(RenewalDetailSerializer(access_renewal(self.access, pk)).data)

    @extend_schema(request=UpdateSerializer, responses={200: RenewalDetailSerializer, **NOT_FOUND, **REVIEW_ERRORS})
    def patch(self, request: Request, province: str, pk: int) -> Response:
        renewal = access_renewal(self.access, pk)
        data = UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.update_renewal(renewal, acting_user=self.user, facts=data.validated_data["facts"],
                                          occupations=data.validated_data["occupations"])
        return Response(RenewalDetailSerializer(renewal).data)


class RenewalSubmitAPIView(ProvinceAPIView):
    """Submit (or resubmit after a return): the certificates are counted now and the pre-check must pass."""

    allowed_roles = ORGANIZATION

    @extend_schema(request=None, responses={200: RenewalDetailSerializer, **NOT_FOUND, **merge_error_responses([
        (400, Codes.RENEWAL_BLOCKED), (400, Codes.RENEWAL_NOT_OPEN), (403, CoreCodes.NOT_PERMITTED),
        (409, CoreCodes.INVALID_TRANSITION)])})
    def post(self, request: Request, province: str, pk: int) -> Response:
        renewal = services.submit_renewal(access_renewal(self.access, pk), acting_user=self.user)
        return Response(RenewalDetailSerializer(renewal).data)


class RenewalDecisionAPIView(ProvinceAPIView):
    """Return for correction or refuse (with a reason), or approve (provincial officers; audited)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    @extend_schema(request=DecisionSerializer, responses={200: RenewalDetailSerializer, **NOT_FOUND, **REVIEW_ERRORS})
    def post(self, request: Request, province: str, pk: int) -> Response:
        renewal = access_renewal(self.access, pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision, reason = data.validated_data["decision"], data.validated_data["reason"]
        if decision == "approve":
            renewal = services.approve_renewal(renewal, acting_user=self.user)
        elif decision == "return":
            renewal = services.return_renewal(renewal, acting_user=self.user, reason=reason)
        else:
            renewal = services.refuse_renewal(renewal, acting_user=self.user, reason=reason)
        return Response(RenewalDetailSerializer(renewal).data)
