"""Tenant-scoped access to filings objects: the only way a request reaches an application or its files by id.

Provincial officers see their province; city officers the applications of their cities that go through the city;
institution members their own institution's; assigned experts get their access through selection (which extends
`scope_applications` with its own helper, never by an unscoped get).
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Role
from portal.roles import ProvinceAccess

from .models import (
    Application,
    Call,
    Cultivation,
    CultivationTask,
    Evidence,
    Filing,
    FilingLetter,
    OccupationAddition,
    QuestionBankFile,
    Route,
)


def scope_applications(access: ProvinceAccess) -> QuerySet[Application]:
    qs = Application.objects.in_province(access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs.exclude(state="draft")
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids(), route=Route.CITY) & ~Q(state="draft")
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(institution_id__in=access.institution_ids())
    return qs.filter(visible)


def access_application(access: ProvinceAccess, pk: int) -> Application:
    return get_object_or_404(
        scope_applications(access).select_related("call", "institution", "city", "province"), pk=pk
    )


def access_own_application(access: ProvinceAccess, pk: int) -> Application:
    """An application of the caller's own institution (the applicant's side)."""
    qs = Application.objects.in_province(access.province).filter(institution_id__in=access.institution_ids())
    return get_object_or_404(qs.select_related("call", "institution", "city", "province"), pk=pk)


def access_evidence(access: ProvinceAccess, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(application__in=scope_applications(access)).select_related("application"), pk=pk
    )


def scope_calls(access: ProvinceAccess) -> QuerySet[Call]:
    return Call.objects.filter(province=access.province)


def access_call(access: ProvinceAccess, pk: int) -> Call:
    return get_object_or_404(scope_calls(access), pk=pk)


# --- cultivations, filings and their documents ---

def _bound_to(access: ProvinceAccess) -> Q:
    """Objects of the caller's binding: the whole province, their cities (city = the supervising city), their own."""
    if access.has(Role.PROVINCIAL_OFFICER):
        return Q()
    visible = Q(pk__in=[])
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids())
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(institution_id__in=access.institution_ids())
    return visible


def scope_cultivations(access: ProvinceAccess) -> QuerySet[Cultivation]:
    return Cultivation.objects.in_province(access.province).filter(_bound_to(access))


def access_cultivation(access: ProvinceAccess, pk: int) -> Cultivation:
    return get_object_or_404(
        scope_cultivations(access).select_related("province", "institution", "city", "filing", "application"), pk=pk
    )


def access_cultivation_task(access: ProvinceAccess, pk: int) -> CultivationTask:
    return get_object_or_404(
        CultivationTask.objects.filter(occupation__cultivation__in=scope_cultivations(access)).select_related(
            "occupation__cultivation__province", "occupation__cultivation__institution",
            "occupation__cultivation__city", "occupation__occupation", "occupation__work_type",
        ),
        pk=pk,
    )


def access_question_bank_file(access: ProvinceAccess, pk: int) -> QuestionBankFile:
    return get_object_or_404(
        QuestionBankFile.objects.filter(round__task__occupation__cultivation__in=scope_cultivations(access))
        .select_related("round__task__occupation__cultivation"),
        pk=pk,
    )


def scope_filings(access: ProvinceAccess) -> QuerySet[Filing]:
    return Filing.objects.in_province(access.province).filter(_bound_to(access))


def access_filing(access: ProvinceAccess, pk: int) -> Filing:
    return get_object_or_404(scope_filings(access).select_related("province", "institution", "city"), pk=pk)


def access_filing_letter(access: ProvinceAccess, pk: int) -> FilingLetter:
    return get_object_or_404(
        FilingLetter.objects.filter(filing__in=scope_filings(access)).select_related("filing__institution"), pk=pk
    )


def access_occupation_addition(access: ProvinceAccess, pk: int) -> OccupationAddition:
    return get_object_or_404(
        OccupationAddition.objects.filter(filing__in=scope_filings(access)).select_related(
            "filing__institution", "filing__province"),
        pk=pk,
    )
