"""Tenant-scoped access to exam objects: the only way a request reaches a plan, session, candidate, staff or venue.

Provincial officers see every filed plan of their province; city officers the filed plans held in their cities;
institution members their own organization's plans (drafts included), venues and staff. Anything else is a 404.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from filings.access import scope_filings
from filings.models import Filing, FilingStatus
from portal.models import Objection, Role
from portal.roles import ProvinceAccess

from .models import Candidate, ExamPlan, ExamSession, ExamStaff, ExamVenue
from .models.issuance import Certificate, CertificateChange, IssuanceBatch


def scope_plans(access: ProvinceAccess) -> QuerySet[ExamPlan]:
    qs = ExamPlan.objects.in_province(access.province)
    visible = Q(pk__in=[])
    if access.has(Role.PROVINCIAL_OFFICER):
        visible |= Q(version__gt=0)  # filed at least once (a lapsed draft never was)
    if access.has(Role.CITY_OFFICER):
        visible |= Q(city_id__in=access.city_ids()) & Q(version__gt=0)
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(institution_id__in=access.institution_ids())
    return qs.filter(visible)


def access_plan(access: ProvinceAccess, pk: int) -> ExamPlan:
    return get_object_or_404(
        scope_plans(access).select_related("province", "institution", "filing", "occupation", "work_type", "city"),
        pk=pk,
    )


def access_own_plan(access: ProvinceAccess, pk: int) -> ExamPlan:
    """A plan of the caller's own organization (the organization's side)."""
    qs = ExamPlan.objects.in_province(access.province).filter(institution_id__in=access.institution_ids())
    return get_object_or_404(
        qs.select_related("province", "institution", "filing", "occupation", "work_type", "city"), pk=pk)


def access_session(access: ProvinceAccess, plan: ExamPlan, pk: int) -> ExamSession:
    return get_object_or_404(ExamSession.objects.filter(plan=plan).select_related("plan", "venue"), pk=pk)


def access_candidate(access: ProvinceAccess, plan: ExamPlan, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.filter(plan=plan).select_related("plan"), pk=pk)


def scope_staff(access: ProvinceAccess) -> QuerySet[ExamStaff]:
    return ExamStaff.objects.filter(province=access.province, institution_id__in=access.institution_ids())


def scope_venues(access: ProvinceAccess) -> QuerySet[ExamVenue]:
    return ExamVenue.objects.filter(province=access.province, institution_id__in=access.institution_ids())


def access_result_objection(access: ProvinceAccess, pk: int) -> Objection:
    """An objection to the result publicity of a plan the caller can see (the organization answers it)."""
    notices = scope_plans(access).exclude(publicity_notice__isnull=True).values("publicity_notice_id")
    return get_object_or_404(
        Objection.objects.filter(notice__province=access.province, notice_id__in=notices)
        .select_related("notice__province", "item"), pk=pk)


# --- certificates, issuance batches and change requests ---
# Provincial officers: the whole province; city officers: organizations they supervise (the filing's city);
# institution members: their own organization's.

def _issuer_visibility(access: ProvinceAccess, prefix: str = "") -> Q:
    visible = Q(pk__in=[])
    if access.has(Role.PROVINCIAL_OFFICER):
        return Q()
    if access.has(Role.CITY_OFFICER):
        visible |= Q(**{f"{prefix}filing__city_id__in": access.city_ids()})
    if access.has(Role.INSTITUTION_MEMBER):
        visible |= Q(**{f"{prefix}institution_id__in": access.institution_ids()})
    return visible


def scope_certificates(access: ProvinceAccess) -> QuerySet[Certificate]:
    return Certificate.objects.in_province(access.province).filter(_issuer_visibility(access))


def access_certificate(access: ProvinceAccess, pk: int) -> Certificate:
    return get_object_or_404(
        scope_certificates(access).select_related("province", "filing__city", "institution", "batch",
                                                  "superseded_by"), pk=pk)


def scope_batches(access: ProvinceAccess) -> QuerySet[IssuanceBatch]:
    return IssuanceBatch.objects.filter(province=access.province).filter(_issuer_visibility(access))


def access_batch(access: ProvinceAccess, pk: int) -> IssuanceBatch:
    return get_object_or_404(scope_batches(access).select_related("province", "filing", "institution", "plan"), pk=pk)


def scope_changes(access: ProvinceAccess) -> QuerySet[CertificateChange]:
    return CertificateChange.objects.filter(province=access.province).filter(
        _issuer_visibility(access, prefix="certificate__"))


def access_change(access: ProvinceAccess, pk: int) -> CertificateChange:
    return get_object_or_404(
        scope_changes(access).select_related("certificate__province", "certificate__filing__city",
                                             "certificate__institution", "requested_by", "decided_by",
                                             "replacement"), pk=pk)


def own_live_filing(access: ProvinceAccess) -> Filing | None:
    """The caller's organization's filing that is not terminated (one per institution), for issuing."""
    return (scope_filings(access).filter(institution_id__in=access.institution_ids())
            .exclude(status=FilingStatus.TERMINATED).select_related("province", "institution").first())
