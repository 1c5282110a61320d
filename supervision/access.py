"""Tenant-scoped access to supervision's objects: organizations (institutions holding a filing), their indicator
cells, fraud flags, rankings, complaints, renewals, exits and suspensions. Provincial officers see the province; city
officers the organizations they supervise (the filing's city); an organization's members their own. Anything else is
a 404."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from filings.access import scope_filings
from portal.models import Institution, Role
from portal.roles import ProvinceAccess

from .models import (
    Complaint,
    FilingExit,
    FraudFlag,
    HandlingLevel,
    IndicatorCell,
    Ranking,
    RankingState,
    Renewal,
    Suspension,
)


def scope_organizations(access: ProvinceAccess) -> QuerySet[Institution]:
    return Institution.objects.in_province(access.province).filter(
        pk__in=scope_filings(access).values("institution_id"))


def access_organization(access: ProvinceAccess, pk: int) -> Institution:
    return get_object_or_404(scope_organizations(access).select_related("province", "city"), pk=pk)


def scope_indicator_cells(access: ProvinceAccess) -> QuerySet[IndicatorCell]:
    return IndicatorCell.objects.filter(province=access.province,
                                        institution_id__in=scope_filings(access).values("institution_id"))


def scope_flags(access: ProvinceAccess) -> QuerySet[FraudFlag]:
    """Fraud flags: the province's for its officers and quality supervisors; a city officer's organizations' flags."""
    qs = FraudFlag.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER, Role.QUALITY_SUPERVISOR):
        return qs
    if access.has(Role.CITY_OFFICER):
        return qs.filter(institution_id__in=scope_filings(access).values("institution_id"))
    return qs.none()


def access_flag(access: ProvinceAccess, pk: int) -> FraudFlag:
    return get_object_or_404(scope_flags(access).select_related("institution", "assigned_to", "dismissed_by"), pk=pk)


def scope_rankings(access: ProvinceAccess) -> QuerySet[Ranking]:
    """Rankings of the province: drafts for its provincial officers, published ones for every officer."""
    qs = Ranking.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    if access.has(Role.CITY_OFFICER, Role.QUALITY_SUPERVISOR):
        return qs.filter(state=RankingState.PUBLISHED)
    return qs.none()


def access_ranking(access: ProvinceAccess, pk: int) -> Ranking:
    return get_object_or_404(scope_rankings(access).select_related("formula", "notice"), pk=pk)


def scope_complaints(access: ProvinceAccess) -> QuerySet[Complaint]:
    """Complaints: the province's for its officers; a city officer's city's (those the city handles or handled
    before escalation); an organization's members those forwarded to it."""
    qs = Complaint.objects.filter(province=access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids()) & (Q(level=HandlingLevel.CITY) | Q(escalated_at__isnull=False))
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(institution_id__in=access.institution_ids(), forwarded_at__isnull=False)
    return qs.filter(visible)


def access_complaint(access: ProvinceAccess, pk: int) -> Complaint:
    return get_object_or_404(scope_complaints(access).select_related(
        "province", "institution", "occupation", "city", "plan", "certificate", "decided_by"), pk=pk)


def scope_renewals(access: ProvinceAccess) -> QuerySet[Renewal]:
    """Renewals: the province's for provincial officers, the organizations a city supervises for its officers, an
    organization's own for its members."""
    return Renewal.objects.filter(province=access.province, filing__in=scope_filings(access))


def access_renewal(access: ProvinceAccess, pk: int) -> Renewal:
    return get_object_or_404(scope_renewals(access).select_related("province", "filing__city", "institution"), pk=pk)


def scope_exits(access: ProvinceAccess) -> QuerySet[FilingExit]:
    """Exits of the filings the caller may see (the province, the supervising city, the organization itself)."""
    return FilingExit.objects.filter(province=access.province, filing__in=scope_filings(access))


def access_exit(access: ProvinceAccess, pk: int) -> FilingExit:
    return get_object_or_404(scope_exits(access).select_related("province", "filing__institution", "filing__city"),
                             pk=pk)


def scope_suspensions(access: ProvinceAccess) -> QuerySet[Suspension]:
    return Suspension.objects.filter(province=access.province, filing__in=scope_filings(access))


def access_suspension(access: ProvinceAccess, pk: int) -> Suspension:
    return get_object_or_404(scope_suspensions(access).select_related("province", "filing__institution",
                                                                      "filing__city"), pk=pk)
