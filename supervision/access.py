"""Tenant-scoped access to supervision's objects: organizations (institutions holding a filing) and their
indicator cells. Provincial officers see the province; city officers the organizations they supervise (the filing's
city); an organization's members their own. Anything else is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from filings.access import scope_filings
from portal.models import Institution
from portal.roles import ProvinceAccess

from .models import IndicatorCell


def scope_organizations(access: ProvinceAccess) -> QuerySet[Institution]:
    return Institution.objects.in_province(access.province).filter(
        pk__in=scope_filings(access).values("institution_id"))


def access_organization(access: ProvinceAccess, pk: int) -> Institution:
    return get_object_or_404(scope_organizations(access).select_related("province", "city"), pk=pk)


def scope_indicator_cells(access: ProvinceAccess) -> QuerySet[IndicatorCell]:
    return IndicatorCell.objects.filter(province=access.province,
                                        institution_id__in=scope_filings(access).values("institution_id"))
