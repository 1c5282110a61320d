"""Audit events of a province: browse, filter, export; read-only for everyone."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.views.generic import DetailView

from .. import naming
from ..access import access_audit_event, scope_audit_events
from ..exports import Column, ExportableListView
from ..forms import AuditFilterForm
from ..models import AuditEvent, Role
from ..roles import ProvinceAccess, ProvinceView


class AuditListView(ExportableListView):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    template_name = "portal/audit_list.html"
    export_name = "audit_events"
    export_title = "审计日志"
    filter_form_class = AuditFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[AuditEvent]:
        return scope_audit_events(access).select_related("actor")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("actor"):
            qs = qs.filter(Q(actor__username=data["actor"]) | Q(actor__display_name=data["actor"]))
        if data.get("q"):
            qs = qs.filter(object_repr__icontains=data["q"])
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
            Column("操作人", lambda e: str(e.actor) if e.actor else "系统"),
            Column("动作", lambda e: naming.event_name(e.action)),
            Column("对象类型", lambda e: naming.model_name(e.object_type)),
            Column("对象", lambda e: e.object_repr),
            Column("原状态", lambda e: naming.state_name(e.from_state, e.object_type)),
            Column("新状态", lambda e: naming.state_name(e.to_state, e.object_type)),
            Column("理由", lambda e: e.reason),
        ]


class AuditDetailView(ProvinceView, DetailView[AuditEvent]):
    allowed_roles = (Role.PROVINCIAL_OFFICER,)
    template_name = "portal/audit_detail.html"
    context_object_name = "event"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> AuditEvent:
        return access_audit_event(self.access, self.kwargs["pk"])
