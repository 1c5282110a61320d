"""Tenant-scoped access to inspection campaigns, inspections and rectification orders. Provincial officers see the
province; city officers their cities' (a campaign of their city or the province's); inspectors the inspections they
were drawn for and their orders; an organization its own orders, and its inspections once announced or done.
Anything else is a 404."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Role
from portal.roles import ProvinceAccess

from .models import (
    Campaign,
    CampaignState,
    Inspection,
    InspectionState,
    InspectorAssignment,
    RectificationOrder,
)

INSPECTOR_ROLES = (Role.QUALITY_SUPERVISOR, Role.EXPERT)


def scope_campaigns(access: ProvinceAccess) -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids()) | Q(city__isnull=True, state__in=_public_states())
    if access.has(*INSPECTOR_ROLES):
        visible |= Q(state__in=_public_states())
    return qs.filter(visible)


def _public_states() -> list[str]:
    return [CampaignState.COMMITTED, CampaignState.DRAWN, CampaignState.CLOSED]


def access_campaign(access: ProvinceAccess, pk: int) -> Campaign:
    return get_object_or_404(scope_campaigns(access).select_related("city", "created_by"), pk=pk)


def _assigned_to(access: ProvinceAccess) -> QuerySet[InspectorAssignment]:
    return InspectorAssignment.objects.filter(inspector=access.user)


def scope_inspections(access: ProvinceAccess) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids())
    if access.has(*INSPECTOR_ROLES):
        visible |= Q(pk__in=_assigned_to(access).values("inspection_id"))
    if access.has(Role.INSTITUTION_MEMBER):
        own = Q(institution_id__in=access.institution_ids())
        visible |= own & (Q(announced=True, scheduled_on__isnull=False) | Q(state=InspectionState.COMPLETED))
    return qs.filter(visible)


def access_inspection(access: ProvinceAccess, pk: int) -> Inspection:
    return get_object_or_404(scope_inspections(access).select_related("campaign", "institution", "city"), pk=pk)


def scope_orders(access: ProvinceAccess) -> QuerySet[RectificationOrder]:
    qs = RectificationOrder.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids())
    if access.has(*INSPECTOR_ROLES):
        visible |= Q(finding__inspection_id__in=_assigned_to(access).values("inspection_id"))
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(institution_id__in=access.institution_ids())
    return qs.filter(visible)


def access_order(access: ProvinceAccess, pk: int) -> RectificationOrder:
    return get_object_or_404(scope_orders(access).select_related("institution", "finding__inspection"), pk=pk)
