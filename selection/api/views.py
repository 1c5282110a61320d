"""API views of selection, one class per operation. Errors come back as {"code", "detail"} (portal.api.errors);
each operation documents the codes it can answer with.

Every object an operation names — a sheet, a panel, a call, a city, an application, an expert — is reached through
selection.access (or filings.access), so another province's, city's or expert's object is a 404 that says nothing
about it.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from filings.access import access_call
from filings.models import Call
from portal.api.base import ProvinceAPIView
from portal.api.schema import merge_error_responses
from portal.errors import Codes as Core, DomainError
from portal.models import City, Role
from portal.roles import OFFICERS

from .. import selectors, services
from ..access import (
    access_call_application,
    access_officer_sheet,
    access_own_sheet,
    access_panel,
    access_panel_application,
    access_table_application,
    city_for,
    pool_expert,
    province_city,
)
from ..errors import Codes
from ..models import Panel, PanelLevel, ScoreSheet
from . import serializers as s

PROVINCIAL = (Role.PROVINCIAL_OFFICER,)
EXPERT = (Role.EXPERT,)


def errors_of(*codes: str, forbidden: bool = True, conflict: tuple[str, ...] = (),
              unavailable: tuple[str, ...] = ()) -> dict[int, OpenApiResponse]:
    """The error responses of an operation naming an object: `codes` (400), not_permitted (403) when a service
    checks the role, not_found (404), `conflict` (409) and `unavailable` (503)."""
    groups: list[tuple[int, str]] = [(400, code) for code in codes]
    groups += [(403, Core.NOT_PERMITTED)] if forbidden else []
    groups += [(404, Core.NOT_FOUND)] + [(409, code) for code in conflict] + [(503, code) for code in unavailable]
    return merge_error_responses(groups)


class _SelectionAPIView(ProvinceAPIView):
    def load(self) -> Any:
        """The object the URL names, through its access helper (views with an id in the URL override this)."""
        return None

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # an object the caller cannot reach is a 404 whatever the method, as on the pages
        self.load()
        return super().http_method_not_allowed(request, *args, **kwargs)


def _sheet_detail(sheet: ScoreSheet) -> dict[str, Any]:
    criteria = []
    for criterion, score in selectors.sheet_scores(sheet):
        criteria.append({"criterion": criterion.pk, "key": criterion.key, "label": criterion.label,
                         "max_score": criterion.max_score, "description": criterion.description,
                         "score": getattr(score, "score", None), "comment": getattr(score, "comment", "")})
    aggregate = None
    if sheet.is_submitted:
        agg = selectors.aggregates(sheet.panel, [sheet.application_id])[sheet.application_id]
        aggregate = {"submitted": agg.submitted, "assigned": agg.assigned, "score": agg.score,
                     "dropped": list(agg.dropped)}
    data = s.SheetSummarySerializer(sheet).data
    data.update(comment=sheet.comment, criteria=s.CriterionScoreSerializer(criteria, many=True).data,
                others=[{"expert": o.expert.name, "total": str(o.total)} for o in selectors.other_sheets_visible(sheet)],
                aggregate=s.AggregateSerializer(aggregate).data if aggregate else None)
    return data


def _scores(data: dict[str, Any]) -> list[services.ScoreInput]:
    return [services.ScoreInput(x["criterion"], x["score"], x.get("comment", "")) for x in data.get("scores", [])]


# --- experts ---

class MySheetsAPIView(_SelectionAPIView):
    """The expert's assignments: every sheet assigned to the caller in this province."""

    allowed_roles = EXPERT

    @extend_schema(responses=s.SheetSummarySerializer(many=True))
    def get(self, request: Request, province: str) -> Response:
        return Response(s.SheetSummarySerializer(selectors.own_sheets(self.access), many=True).data)


class _OwnSheetAPIView(_SelectionAPIView):
    allowed_roles = EXPERT

    def load(self) -> ScoreSheet:
        return access_own_sheet(self.access, self.kwargs["pk"])


SCORE_CODES = (Core.INVALID, Codes.SHEET_RECUSED, Codes.CRITERION_UNKNOWN, Codes.SCORE_OUT_OF_RANGE)


class SheetAPIView(_OwnSheetAPIView):
    """One sheet with its criteria and the expert's scores; other experts' totals only once it is submitted."""

    @extend_schema(responses={200: s.SheetDetailSerializer, **errors_of(forbidden=False)})
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_sheet_detail(self.load()))


class SheetScoresAPIView(_OwnSheetAPIView):
    """Save a draft of the scores (blank scores allowed); the sheet stays open."""

    @extend_schema(request=s.SheetInputSerializer, responses={
        200: s.SheetDetailSerializer, **errors_of(*SCORE_CODES, conflict=(Codes.SHEET_ALREADY_SUBMITTED,))})
    def put(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.SheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_sheet(sheet, acting_user=self.user, scores=_scores(data.validated_data),
                            comment=data.validated_data.get("comment"))
        return Response(_sheet_detail(self.load()))


class SheetSubmitAPIView(_OwnSheetAPIView):
    """Submit the sheet (409 sheet_already_submitted when it already was: nothing changes)."""

    @extend_schema(request=s.SubmitInputSerializer, responses={
        200: s.SheetDetailSerializer,
        **errors_of(*SCORE_CODES, Codes.SHEET_INCOMPLETE, conflict=(Codes.SHEET_ALREADY_SUBMITTED,))})
    def post(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_sheet(sheet, acting_user=self.user, scores=_scores(data.validated_data),
                              comment=data.validated_data.get("comment"))
        return Response(_sheet_detail(self.load()))


class ConflictAPIView(_OwnSheetAPIView):
    """Declare a conflict of interest with the sheet's application (the expert is recused)."""

    @extend_schema(request=s.ConflictInputSerializer, responses={
        201: s.ConflictSerializer, **errors_of(Core.INVALID, Codes.CONFLICT_KIND_INVALID, Codes.REASON_REQUIRED)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.ConflictInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = services.declare_conflict(sheet.application, acting_user=self.user, **data.validated_data)
        return Response(s.ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)


# --- organizers ---

class SheetReopenAPIView(_SelectionAPIView):
    """An organizer reopens a submitted sheet for the expert, with the reason."""

    allowed_roles = OFFICERS

    def load(self) -> ScoreSheet:
        return access_officer_sheet(self.access, self.kwargs["pk"])

    @extend_schema(request=s.ReasonInputSerializer, responses={
        200: s.SheetSummarySerializer, **errors_of(Core.INVALID, Codes.REASON_REQUIRED, Codes.SHEET_DECIDED,
                                                 conflict=(Codes.SHEET_NOT_SUBMITTED,))})
    def post(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(s.SheetSummarySerializer(
            services.reopen_sheet(sheet, acting_user=self.user, reason=data.validated_data["reason"])).data)


class _CallAPIView(_SelectionAPIView):
    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])


class PanelListAPIView(_CallAPIView):
    """The call's panels the caller organizes."""

    allowed_roles = OFFICERS

    @extend_schema(responses={200: s.PanelSerializer(many=True), **errors_of(forbidden=False)})
    def get(self, request: Request, province: str, call_pk: int) -> Response:
        return Response(s.PanelSerializer(selectors.call_panels(self.access, self.load()), many=True).data)


class PanelFormAPIView(_CallAPIView):
    """Form the call's panel for a city or for the province (returns the existing one if already formed)."""

    allowed_roles = OFFICERS

    @extend_schema(request=s.PanelInputSerializer, responses={
        201: s.PanelSerializer, **errors_of(Core.INVALID, Codes.PANEL_CITY_MISSING, Codes.PANEL_LEVEL_UNKNOWN,
                                         conflict=(Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.PanelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        city = None
        if data.validated_data["level"] == PanelLevel.CITY:
            city = province_city(self.access, data.validated_data.get("city") or "")
        panel = services.form_panel(call, acting_user=self.user, level=data.validated_data["level"], city=city)
        return Response(s.PanelSerializer(panel).data, status=status.HTTP_201_CREATED)


PANEL_APPLICATION_CODES = (Core.INVALID, Codes.APPLICATION_OTHER_CALL, Codes.APPLICATION_NOT_IN_PANEL,
                           Codes.RUBRIC_MISSING)
PANEL_CONFLICTS = (Codes.EXPERT_ALREADY_ASSIGNED, Core.INVALID_TRANSITION, Core.CONFLICT)


class _PanelAPIView(_SelectionAPIView):
    """An operation on a panel naming one of its applications: another city's application, or one the caller
    cannot see, is a 404 (never a refusal stating its state)."""

    allowed_roles = OFFICERS

    def load(self) -> Panel:
        return access_panel(self.access, self.kwargs["pk"])


class AssignAPIView(_PanelAPIView):
    """Assign an expert to an application by hand."""

    @extend_schema(request=s.AssignInputSerializer, responses={
        201: s.SheetSummarySerializer,
        **errors_of(*PANEL_APPLICATION_CODES, Codes.EXPERT_UNAVAILABLE, Codes.EXPERT_CONFLICT, Codes.EXPERT_RECUSED,
                 conflict=PANEL_CONFLICTS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        panel = self.load()
        data = s.AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = access_panel_application(self.access, panel, data.validated_data["application"])
        expert = pool_expert(panel, data.validated_data["expert"])
        sheet = services.assign_expert(panel, application, expert, acting_user=self.user)
        return Response(s.SheetSummarySerializer(sheet).data, status=status.HTTP_201_CREATED)


class DrawAPIView(_PanelAPIView):
    """Draw experts at random for an application; the record holds the seed, candidates and result."""

    @extend_schema(request=s.DrawInputSerializer, responses={
        201: s.DrawSerializer,
        **errors_of(*PANEL_APPLICATION_CODES, Codes.DRAW_COUNT_INVALID, Codes.DRAW_NOT_ENOUGH_CANDIDATES,
                 conflict=PANEL_CONFLICTS)})
    def post(self, request: Request, province: str, pk: int) -> Response:
        panel = self.load()
        data = s.DrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        application = access_panel_application(self.access, panel, v["application"])
        draw = services.draw_experts(panel, application, acting_user=self.user, count=v["count"], seed=v.get("seed"),
                                     match_fields=v["match_fields"])
        return Response(s.DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class RankingsAPIView(_CallAPIView):
    """Rankings of the call: the province's (default) or a city's (?city=<code>), overall and per occupation."""

    allowed_roles = OFFICERS

    @extend_schema(responses={200: s.RankingsSerializer, **errors_of(Codes.CITY_REQUIRED, forbidden=False)})
    def get(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        code = request.query_params.get("city")
        city: City | None = None
        if code:
            city = city_for(self.access, code)
            apps = list(selectors.with_occupations(selectors.city_applications(call, city)))
            overall, per_occupation = selectors.rankings(selectors.city_panel(call, city), apps)
            level = PanelLevel.CITY
        else:
            if not self.access.is_provincial_officer:
                raise DomainError(_("请用 ?city= 指定地市。"), code=Codes.CITY_REQUIRED)
            apps = list(selectors.with_occupations(selectors.province_applications(call)))
            overall, per_occupation = selectors.rankings(selectors.province_panel(call), apps)
            level = PanelLevel.PROVINCE
        return Response(s.RankingsSerializer({"level": level, "city": city.code if city else None,
                                              "overall": overall, "per_occupation": per_occupation}).data)


class _CityAPIView(_CallAPIView):
    allowed_roles = (Role.CITY_OFFICER,)

    def target(self) -> tuple[Call, City]:
        return self.load(), city_for(self.access, self.kwargs["city"])

    def load(self) -> Call:
        call = super().load()
        city_for(self.access, self.kwargs["city"])
        return call


class RecommendAPIView(_CityAPIView):
    """Mark an application of the city recommended (reason optional) or not (reason required) on the table."""

    @extend_schema(request=s.RecommendationInputSerializer, responses={
        200: s.TableRowSerializer,
        **errors_of(Core.INVALID, Codes.REASON_REQUIRED, Codes.APPLICATION_NOT_IN_CITY_SCORING,
                 conflict=(Codes.TABLE_ALREADY_SENT,))})
    def post(self, request: Request, province: str, call_pk: int, city: str) -> Response:
        call, city_obj = self.target()
        data = s.RecommendationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = access_table_application(call, city_obj, data.validated_data["application"])
        row = services.decide_recommendation(application, acting_user=self.user,
                                             recommended=data.validated_data["recommended"],
                                             reason=data.validated_data["reason"])
        return Response(s.TableRowSerializer(row).data)


class SendTableAPIView(_CityAPIView):
    """Send the city's summary table to the province (refused after the deadline or outside the pack's range)."""

    @extend_schema(request=None, responses={
        200: s.TableSerializer,
        **errors_of(Codes.DEADLINE_PASSED, Codes.TABLE_EMPTY, Codes.TABLE_INCOMPLETE, Codes.RECOMMEND_COUNT_OUT_OF_RANGE,
                 conflict=(Codes.TABLE_ALREADY_SENT, Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int, city: str) -> Response:
        call, city_obj = self.target()
        table = services.send_summary_table(call, city_obj, acting_user=self.user)
        return Response(s.TableSerializer(table).data)


class StartReviewAPIView(_CallAPIView):
    """Start the province's review of an application filed straight with the province (or a recommended one)."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=s.ApplicationInputSerializer, responses={
        200: s.ApplicationRefSerializer,
        **errors_of(Core.INVALID, Codes.APPLICATION_CITY_ROUTE, conflict=(Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = access_call_application(call, data.validated_data["application"])
        return Response(s.ApplicationRefSerializer(services.start_province_review(application, acting_user=self.user)).data)


class SelectAPIView(_CallAPIView):
    """Select the listed applications under review; the others under review are not selected (reason required)."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=s.SelectionInputSerializer, responses={
        200: s.SelectionResultSerializer,
        **errors_of(Core.INVALID, Codes.REASON_REQUIRED, conflict=(
            Codes.NOTHING_TO_SELECT, Codes.SELECTION_STALE, Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.SelectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        selected, not_selected = services.decide_selection(call, acting_user=self.user,
                                                           selected_ids=data.validated_data["selected"],
                                                           reason=data.validated_data["reason"])
        return Response({"selected": [a.pk for a in selected], "not_selected": [a.pk for a in not_selected]})


class ApprovalAPIView(_CallAPIView):
    """Record the leadership group's approval of the selected applications (multipart, with the document)."""

    allowed_roles = PROVINCIAL
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.ApprovalInputSerializer}, responses={
        201: s.ApprovalSerializer,
        **errors_of(Core.INVALID, Codes.DOCUMENT_NUMBER_MISSING, Codes.MEETING_DATE_FUTURE, Codes.NOTHING_TO_APPROVE,
                 Core.UPLOAD_EMPTY, Core.UPLOAD_TOO_LARGE, Core.UPLOAD_TYPE, Core.UPLOAD_ARCHIVE_TOO_LARGE,
                 Core.UPLOAD_ACTIVE_CONTENT, Core.UPLOAD_INFECTED,
                 conflict=(Core.INVALID_TRANSITION, Core.CONFLICT, Codes.NO_LEADERSHIP_APPROVAL),
                 unavailable=(Core.UPLOAD_SCAN_UNAVAILABLE,))})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.ApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = services.record_approval(call, acting_user=self.user, **data.validated_data)
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class PublishAPIView(_CallAPIView):
    """Publish the approved applications for the pack's publicity period; where the centre decides (Shandong), the
    applications the provincial centre selected among those filed with it, with no leadership approval."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=None, responses={
        201: s.NoticeRefSerializer,
        **errors_of(Codes.NOTHING_TO_PUBLISH, Core.CALENDAR_YEAR_MISSING,
                 conflict=(Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        notice = services.publish_selection(self.load(), acting_user=self.user)
        return Response(s.NoticeRefSerializer(notice).data, status=status.HTTP_201_CREATED)


class CityPublishAPIView(_CityAPIView):
    """Where the centre decides (Shandong, 002 三(二)4): the city centre publishes the applications it determined for
    the pack's publicity period; publicity ended without objection, they are filed with an institution code."""

    @extend_schema(request=None, responses={
        201: s.NoticeRefSerializer,
        **errors_of(Codes.NOTHING_TO_PUBLISH, Core.CALENDAR_YEAR_MISSING,
                    conflict=(Core.INVALID_TRANSITION, Core.CONFLICT))})
    def post(self, request: Request, province: str, call_pk: int, city: str) -> Response:
        call, city_obj = self.target()
        notice = services.publish_selection(call, acting_user=self.user, city=city_obj)
        return Response(s.NoticeRefSerializer(notice).data, status=status.HTTP_201_CREATED)
