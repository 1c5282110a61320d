"""Tenant-scoped access to selection objects: the only way a request reaches a sheet, panel or expert by id.

Provincial officers see their province; city officers their cities' panels and sheets; an expert only the sheets
assigned to them (and through those, the application and its materials). Anything else is a 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from filings.access import scope_applications
from filings.models import Application, ApplicationState, Call, Evidence, Route
from portal.models import City, Role
from portal.roles import ProvinceAccess

from .models import Expert, LeadershipApproval, Panel, PanelLevel, ScoreSheet, SheetState, SummaryTable


def scope_panels(access: ProvinceAccess) -> QuerySet[Panel]:
    qs = Panel.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    if access.has(Role.CITY_OFFICER):
        return qs.filter(level=PanelLevel.CITY, city_id__in=access.city_ids())
    return qs.none()


def access_panel(access: ProvinceAccess, pk: int) -> Panel:
    return get_object_or_404(scope_panels(access).select_related("call", "city", "province"), pk=pk)


def scope_own_sheets(access: ProvinceAccess) -> QuerySet[ScoreSheet]:
    """The sheets assigned to the caller as an expert of this province (recused ones included, read-only)."""
    if not access.has(Role.EXPERT):
        return ScoreSheet.objects.none()
    return ScoreSheet.objects.filter(panel__province=access.province, expert__province=access.province,
                                     expert__user=access.user)


def access_own_sheet(access: ProvinceAccess, pk: int) -> ScoreSheet:
    return get_object_or_404(
        scope_own_sheets(access).select_related(
            "panel__call", "panel__city", "panel__province", "application__institution", "application__city",
            "application__call", "application__province", "expert"),
        pk=pk,
    )


def scope_officer_sheets(access: ProvinceAccess) -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.filter(panel__in=scope_panels(access))


def access_officer_sheet(access: ProvinceAccess, pk: int) -> ScoreSheet:
    return get_object_or_404(
        scope_officer_sheets(access).select_related("panel__province", "panel__city", "panel__call", "expert",
                                                    "application__institution"), pk=pk)


def access_sheet_evidence(access: ProvinceAccess, sheet_pk: int, pk: int) -> Evidence:
    """A material of the application behind one of the expert's own (not recused) sheets."""
    sheet = get_object_or_404(scope_own_sheets(access).exclude(state=SheetState.RECUSED), pk=sheet_pk)
    return get_object_or_404(
        Evidence.objects.filter(application_id=sheet.application_id, removed_at__isnull=True)
        .select_related("application__province"), pk=pk
    )


def scope_experts(access: ProvinceAccess) -> QuerySet[Expert]:
    if not access.has(Role.PROVINCIAL_OFFICER):
        return Expert.objects.none()
    return Expert.objects.filter(province=access.province)


def access_expert(access: ProvinceAccess, pk: int) -> Expert:
    return get_object_or_404(scope_experts(access).select_related("city", "user"), pk=pk)


def pool_expert(panel: Panel, pk: int) -> Expert:
    """An expert of the panel's province pool, named by an organizer assigning them (city officers included)."""
    return get_object_or_404(Expert.objects.filter(province=panel.province), pk=pk)


def access_panel_application(access: ProvinceAccess, panel: Panel, pk: int) -> Application:
    """An application the panel works on and the caller may see (province and city scope of filings): another
    city's application, or one the caller's role does not reach, is a 404 whatever its state."""
    qs = scope_applications(access).filter(call=panel.call)
    if panel.level == PanelLevel.CITY:
        qs = qs.filter(Q(city=panel.city))
    return get_object_or_404(qs.select_related("institution", "city", "call", "province"), pk=pk)


def access_approval(access: ProvinceAccess, pk: int) -> LeadershipApproval:
    if not access.has(Role.PROVINCIAL_OFFICER):
        raise Http404
    return get_object_or_404(LeadershipApproval.objects.filter(round__province=access.province), pk=pk)


def scope_table_applications(call: Call, city: City) -> QuerySet[Application]:
    """The city's applications of the call on its summary table: those awaiting its recommendation, and once the
    table is sent, those it recommended or not (the city itself comes through `city_for`)."""
    on_table = Q(pk__in=SummaryTable.objects.filter(call=call, city=city).values("rows__application"))
    return Application.objects.filter(call=call, city=city, route=Route.CITY).filter(
        Q(state=ApplicationState.CITY_SCORING) | on_table
    )


def access_table_application(call: Call, city: City, pk: int) -> Application:
    """An application on the city's summary table (the call and city already reached through the access helpers)."""
    return get_object_or_404(scope_table_applications(call, city).select_related("institution"), pk=pk)


def access_call_application(call: Call, pk: int, *, states: list[str] | None = None) -> Application:
    """An application of a call the caller reached through `access_call` (in `states`, when given)."""
    qs = Application.objects.filter(call=call)
    if states is not None:
        qs = qs.filter(state__in=states)
    return get_object_or_404(qs, pk=pk)


def province_city(access: ProvinceAccess, code: str) -> City:
    """Any city of the province by its code (a provincial panel's organizer naming where a city panel goes)."""
    return get_object_or_404(City, province=access.province, code=code)


def city_for(access: ProvinceAccess, code: str) -> City:
    """A city of the province by its code: any for the provincial officer, only their own for a city officer."""
    city = get_object_or_404(City, province=access.province, code=code)
    if not access.is_provincial_officer and city.pk not in access.city_ids():
        raise Http404
    return city
