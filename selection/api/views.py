"""API views of selection, one class per operation. Errors come back as {"code", "detail"} (portal.api.errors)."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from filings.access import access_call
from filings.models import Application, Call
from portal.api.permissions import DeclaredRoles
from portal.errors import DomainError
from portal.models import City, Role
from portal.roles import OFFICERS

from .. import selectors, services
from ..access import access_officer_sheet, access_own_sheet, access_panel, city_for, scope_own_sheets, scope_panels
from ..models import Expert, Panel, PanelLevel, ScoreSheet
from . import serializers as s

PROVINCIAL = (Role.PROVINCIAL_OFFICER,)
EXPERT = (Role.EXPERT,)


class _SelectionAPIView(APIView):
    permission_classes = [DeclaredRoles]

    def load(self) -> Any:
        """The object the URL names, through its access helper (views with an id in the URL override this)."""
        return None

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # an object the caller cannot reach is a 404 whatever the method, as on the pages
        self.load()
        return super().http_method_not_allowed(request, *args, **kwargs)

    @property
    def user(self) -> Any:
        return self.request.user


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
        sheets = scope_own_sheets(self.access).select_related(  # type: ignore[attr-defined]
            "panel__city", "application__institution", "application__city").order_by("state", "-assigned_at")
        return Response(s.SheetSummarySerializer(sheets, many=True).data)


class _OwnSheetAPIView(_SelectionAPIView):
    allowed_roles = EXPERT

    def load(self) -> ScoreSheet:
        return access_own_sheet(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]


class SheetAPIView(_OwnSheetAPIView):
    """One sheet with its criteria and the expert's scores; other experts' totals only once it is submitted."""

    @extend_schema(responses=s.SheetDetailSerializer)
    def get(self, request: Request, province: str, pk: int) -> Response:
        return Response(_sheet_detail(self.load()))


class SheetScoresAPIView(_OwnSheetAPIView):
    """Save a draft of the scores (blank scores allowed); the sheet stays open."""

    @extend_schema(request=s.SheetInputSerializer, responses=s.SheetDetailSerializer)
    def put(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.SheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_sheet(sheet, acting_user=self.user, scores=_scores(data.validated_data),
                            comment=data.validated_data.get("comment"))
        return Response(_sheet_detail(self.load()))


class SheetSubmitAPIView(_OwnSheetAPIView):
    """Submit the sheet (409 sheet_already_submitted when it already was: nothing changes)."""

    @extend_schema(request=s.SubmitInputSerializer, responses=s.SheetDetailSerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_sheet(sheet, acting_user=self.user, scores=_scores(data.validated_data),
                              comment=data.validated_data.get("comment"))
        return Response(_sheet_detail(self.load()))


class ConflictAPIView(_OwnSheetAPIView):
    """Declare a conflict of interest with the sheet's application (the expert is recused)."""

    @extend_schema(request=s.ConflictInputSerializer, responses={201: s.ConflictSerializer})
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
        return access_officer_sheet(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    @extend_schema(request=s.ReasonInputSerializer, responses=s.SheetSummarySerializer)
    def post(self, request: Request, province: str, pk: int) -> Response:
        sheet = self.load()
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(s.SheetSummarySerializer(
            services.reopen_sheet(sheet, acting_user=self.user, reason=data.validated_data["reason"])).data)


class _CallAPIView(_SelectionAPIView):
    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])  # type: ignore[attr-defined]


class PanelListAPIView(_CallAPIView):
    """The call's panels the caller organizes."""

    allowed_roles = OFFICERS

    @extend_schema(responses=s.PanelSerializer(many=True))
    def get(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        panels = scope_panels(self.access).filter(call=call).select_related("city")  # type: ignore[attr-defined]
        return Response(s.PanelSerializer(panels, many=True).data)


class PanelFormAPIView(_CallAPIView):
    """Form the call's panel for a city or for the province (returns the existing one if already formed)."""

    allowed_roles = OFFICERS

    @extend_schema(request=s.PanelInputSerializer, responses={201: s.PanelSerializer})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.PanelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        city = None
        if data.validated_data["level"] == PanelLevel.CITY:
            city = get_object_or_404(City, province=call.province, code=data.validated_data.get("city") or "")
        panel = services.form_panel(call, acting_user=self.user, level=data.validated_data["level"], city=city)
        return Response(s.PanelSerializer(panel).data, status=status.HTTP_201_CREATED)


class _PanelAPIView(_SelectionAPIView):
    allowed_roles = OFFICERS

    def load(self) -> Panel:
        return access_panel(self.access, self.kwargs["pk"])  # type: ignore[attr-defined]

    def application(self, panel: Panel, pk: int) -> Application:
        return get_object_or_404(Application.objects.filter(call=panel.call, province=panel.province), pk=pk)

    def expert(self, panel: Panel, pk: int) -> Expert:
        return get_object_or_404(Expert.objects.filter(province=panel.province), pk=pk)


class AssignAPIView(_PanelAPIView):
    """Assign an expert to an application by hand."""

    @extend_schema(request=s.AssignInputSerializer, responses={201: s.SheetSummarySerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        panel = self.load()
        data = s.AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.assign_expert(panel, self.application(panel, data.validated_data["application"]),
                                       self.expert(panel, data.validated_data["expert"]), acting_user=self.user)
        return Response(s.SheetSummarySerializer(sheet).data, status=status.HTTP_201_CREATED)


class DrawAPIView(_PanelAPIView):
    """Draw experts at random for an application; the record holds the seed, candidates and result."""

    @extend_schema(request=s.DrawInputSerializer, responses={201: s.DrawSerializer})
    def post(self, request: Request, province: str, pk: int) -> Response:
        panel = self.load()
        data = s.DrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        draw = services.draw_experts(panel, self.application(panel, v["application"]), acting_user=self.user,
                                     count=v["count"], seed=v.get("seed"), match_fields=v["match_fields"])
        return Response(s.DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class RankingsAPIView(_CallAPIView):
    """Rankings of the call: the province's (default) or a city's (?city=<code>), overall and per occupation."""

    allowed_roles = OFFICERS

    @extend_schema(responses=s.RankingsSerializer)
    def get(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        code = request.query_params.get("city")
        if code:
            city = city_for(self.access, code)  # type: ignore[attr-defined]
            apps = list(selectors.with_occupations(selectors.city_applications(call, city)))
            overall, per_occupation = selectors.rankings(selectors.city_panel(call, city), apps)
            level = PanelLevel.CITY
        else:
            if not self.access.is_provincial_officer:  # type: ignore[attr-defined]
                raise DomainError(_("请用 ?city= 指定地市。"), code="city_required")
            apps = list(selectors.with_occupations(selectors.province_applications(call)))
            overall, per_occupation = selectors.rankings(selectors.province_panel(call), apps)
            level, city = PanelLevel.PROVINCE, None
        return Response(s.RankingsSerializer({"level": level, "city": city.code if city else None,
                                              "overall": overall, "per_occupation": per_occupation}).data)


class _CityAPIView(_CallAPIView):
    allowed_roles = (Role.CITY_OFFICER,)

    def target(self) -> tuple[Call, City]:
        return self.load(), city_for(self.access, self.kwargs["city"])  # type: ignore[attr-defined]

    def load(self) -> Call:
        call = super().load()
        city_for(self.access, self.kwargs["city"])  # type: ignore[attr-defined]
        return call


class RecommendAPIView(_CityAPIView):
    """Mark an application of the city recommended (reason optional) or not (reason required) on the table."""

    @extend_schema(request=s.RecommendationInputSerializer, responses=s.TableRowSerializer)
    def post(self, request: Request, province: str, call_pk: int, city: str) -> Response:
        call, city_obj = self.target()
        data = s.RecommendationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(selectors.city_applications(call, city_obj),
                                        pk=data.validated_data["application"])
        row = services.decide_recommendation(application, acting_user=self.user,
                                             recommended=data.validated_data["recommended"],
                                             reason=data.validated_data["reason"])
        return Response(s.TableRowSerializer(row).data)


class SendTableAPIView(_CityAPIView):
    """Send the city's summary table to the province (refused after the deadline or outside the pack's range)."""

    @extend_schema(request=None, responses=s.TableSerializer)
    def post(self, request: Request, province: str, call_pk: int, city: str) -> Response:
        call, city_obj = self.target()
        table = services.send_summary_table(call, city_obj, acting_user=self.user)
        return Response(s.TableSerializer(table).data)


class StartReviewAPIView(_CallAPIView):
    """Start the province's review of an application filed straight with the province (or a recommended one)."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=s.ApplicationInputSerializer, responses=s.ApplicationRefSerializer)
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(Application.objects.filter(call=call), pk=data.validated_data["application"])
        return Response(s.ApplicationRefSerializer(services.start_province_review(application, acting_user=self.user)).data)


class SelectAPIView(_CallAPIView):
    """Select the listed applications under review; the others under review are not selected (reason required)."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=s.SelectionInputSerializer, responses=s.SelectionResultSerializer)
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

    @extend_schema(request={"multipart/form-data": s.ApprovalInputSerializer}, responses={201: s.ApprovalSerializer})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        call = self.load()
        data = s.ApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = services.record_approval(call, acting_user=self.user, **data.validated_data)
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class PublishAPIView(_CallAPIView):
    """Publish the approved applications for the pack's publicity period."""

    allowed_roles = PROVINCIAL

    @extend_schema(request=None, responses={201: s.NoticeRefSerializer})
    def post(self, request: Request, province: str, call_pk: int) -> Response:
        notice = services.publish_selection(self.load(), acting_user=self.user)
        return Response(s.NoticeRefSerializer(notice).data, status=status.HTTP_201_CREATED)
