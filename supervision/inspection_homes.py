"""Worklist entries and dashboard panels of inspections and rectification orders on each role's home: inspectors
their inspections and answers to verify, officers the overdue orders and draws waiting for their numbers, an
organization its open orders."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import dashboards, worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from . import selectors
from .access_inspections import scope_campaigns, scope_inspections
from .models import CampaignState, InspectionState, OrderState

# A person holding both roles sees the entries once: the city officer's defer to the provincial officer's, the
# expert's to the quality supervisor's.
DEFERS_TO: dict[str, str] = {Role.CITY_OFFICER: Role.PROVINCIAL_OFFICER, Role.EXPERT: Role.QUALITY_SUPERVISOR}


def _url(access: ProvinceAccess, name: str, query: str = "") -> str:
    return reverse(f"supervision:{name}", kwargs={"province": access.province.slug}) + query


def _to_verify(access: ProvinceAccess) -> int:
    return selectors.open_orders(access).filter(
        state=OrderState.SUBMITTED, finding__inspection__assignments__inspector=access.user,
        finding__inspection__assignments__replaced_at__isnull=True).distinct().count()


def inspector_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    items = []
    if count := selectors.my_inspections(access).count():
        items.append(worklists.WorkItem(_("待开展的监督检查"), count, _url(access, "inspection_list", "?mine=1")))
    if count := _to_verify(access):
        items.append(worklists.WorkItem(_("待验证的整改报告"), count, _url(access, "order_list", "?state=submitted"),
                                        urgent=True))
    return items


def officer_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    counts = selectors.order_counts(access)
    items = []
    if counts["overdue"]:
        items.append(worklists.WorkItem(_("逾期未整改的整改通知"), counts["overdue"],
                                        _url(access, "order_list", "?overdue=on"), urgent=True))
    waiting = scope_campaigns(access).filter(state=CampaignState.COMMITTED,
                                             random_source_date__lte=timezone.localdate())
    if access.has(Role.CITY_OFFICER) and not access.has(Role.PROVINCIAL_OFFICER):
        waiting = waiting.filter(city_id__in=access.city_ids())
    if count := waiting.count():
        items.append(worklists.WorkItem(_("待录入公开随机数的抽查任务"), count,
                                        _url(access, "campaign_list", "?state=committed")))
    return items


def organization_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = selectors.open_orders(access).filter(state=OrderState.OPEN,
                                                 institution_id__in=access.institution_ids()).count()
    if not count:
        return []
    return [worklists.WorkItem(_("待整改的整改通知"), count, _url(access, "order_list", "?state=open"), urgent=True)]


def _once(role: str, provider: worklists.Provider) -> worklists.Provider:
    """The provider for `role`, silent when the person holds the role it defers to (one entry per person)."""
    defers_to = DEFERS_TO.get(role)

    def provide(access: ProvinceAccess) -> list[worklists.WorkItem]:
        return [] if defers_to and access.has(defers_to) else provider(access)

    return provide


# What the officers' counts read: every change to a campaign, an inspection or an order records an event on it.
OFFICER_READS = ("supervision.campaign", "supervision.inspection", "supervision.rectificationorder")

for _role, _provider in ((Role.QUALITY_SUPERVISOR, inspector_items), (Role.EXPERT, inspector_items),
                         (Role.PROVINCIAL_OFFICER, officer_items), (Role.CITY_OFFICER, officer_items),
                         (Role.INSTITUTION_MEMBER, organization_items)):
    worklists.register(_role, reads=OFFICER_READS if _provider is officer_items else None)(_once(_role, _provider))


def inspector_panel(access: ProvinceAccess) -> list[dashboards.Panel]:
    inspections = list(selectors.my_inspections(access).order_by("scheduled_on", "id")[:20])
    orders = list(selectors.open_orders(access).filter(
        finding__inspection__assignments__inspector=access.user).distinct().order_by("deadline")[:20])
    return [dashboards.Panel(_("我的监督检查"), "supervision/inspections/dashboard_inspector.html",
                             {"inspections": inspections, "orders": orders})]


def officer_panel(access: ProvinceAccess) -> list[dashboards.Panel]:
    counts = selectors.order_counts(access)
    scheduled = scope_inspections(access).filter(state=InspectionState.SCHEDULED).count()
    return [dashboards.Panel(_("监督检查与整改"), "supervision/inspections/dashboard_officer.html",
                             {"counts": counts, "scheduled": scheduled})]


def organization_panel(access: ProvinceAccess) -> list[dashboards.Panel]:
    orders = list(selectors.open_orders(access).filter(institution_id__in=access.institution_ids())
                  .order_by("deadline")[:20])
    if not orders:
        return []
    return [dashboards.Panel(_("整改通知"), "supervision/inspections/dashboard_organization.html",
                             {"orders": orders, "today": timezone.localdate()})]


def _panels_once(role: str, provider: dashboards.Provider) -> dashboards.Provider:
    defers_to = DEFERS_TO.get(role)

    def provide(access: ProvinceAccess) -> list[dashboards.Panel]:
        return [] if defers_to and access.has(defers_to) else provider(access)

    return provide


for _role, _panel in ((Role.QUALITY_SUPERVISOR, inspector_panel), (Role.EXPERT, inspector_panel),
                      (Role.PROVINCIAL_OFFICER, officer_panel), (Role.CITY_OFFICER, officer_panel),
                      (Role.INSTITUTION_MEMBER, organization_panel)):
    dashboards.register(_role, reads=OFFICER_READS if _panel is officer_panel else None)(_panels_once(_role, _panel))
