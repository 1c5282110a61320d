"""Tenant-scoped access to the core's objects: the only way a request reaches an object by its id.

Each access_* helper filters by the province of the caller's access and by the role binding (a city officer sees
their city's institutions, an institution member only their own), and raises Http404 otherwise.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AuditEvent, ExportJob, Institution, Notification, Objection, PublicityNotice, Role, User
from .roles import ProvinceAccess


def scope_institutions(access: ProvinceAccess) -> QuerySet[Institution]:
    qs = Institution.objects.in_province(access.province)
    if access.has(Role.PROVINCIAL_OFFICER):
        return qs
    if access.has(Role.CITY_OFFICER):
        return qs.filter(city_id__in=access.city_ids())
    return qs.filter(pk__in=access.institution_ids())


def access_institution(access: ProvinceAccess, pk: int) -> Institution:
    return get_object_or_404(scope_institutions(access), pk=pk)


def scope_audit_events(access: ProvinceAccess) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(province=access.province)


def access_audit_event(access: ProvinceAccess, pk: int) -> AuditEvent:
    return get_object_or_404(scope_audit_events(access).select_related("actor"), pk=pk)


def access_export_job(access: ProvinceAccess, pk: int) -> ExportJob:
    return get_object_or_404(
        ExportJob.objects.filter(province=access.province, requested_by=access.user), pk=pk
    )


def access_notification(user: User, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.filter(recipient=user), pk=pk)


def scope_notices(access: ProvinceAccess) -> QuerySet[PublicityNotice]:
    """Publicity notices of the province (officers manage them; the public reads them without this helper)."""
    return PublicityNotice.objects.in_province(access.province)


def access_notice(access: ProvinceAccess, pk: int) -> PublicityNotice:
    return get_object_or_404(scope_notices(access).select_related("province", "created_by"), pk=pk)


def scope_objections(access: ProvinceAccess) -> QuerySet[Objection]:
    return Objection.objects.in_province(access.province)


def access_objection(access: ProvinceAccess, pk: int) -> Objection:
    return get_object_or_404(
        scope_objections(access).select_related("notice__province", "item", "resolved_by"), pk=pk
    )
