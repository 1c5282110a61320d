"""Dashboard panels of supervision on the officers' and supervisors' homes, and its notes in the public catalog."""

from functools import partial

from django.utils.translation import gettext as _

from filings.selectors import pack_for
from portal import catalog, dashboards, homecache
from portal.models import Role
from portal.roles import ProvinceAccess

from . import selectors
from .access import scope_flags
from .models import FlagState


def _officer_panel(access: ProvinceAccess, title: str) -> list[dashboards.Panel]:
    # The panel itself is computed after any change in the province (it reads the sweep's last run, which records
    # no event in a province); each of its figures is kept until an event of what that figure reads.
    data = selectors.officer_dashboard(access, min_n=pack_for(access.province).settings.ranking_min_n,
                                       lazy_funnel=True, figures=partial(homecache.cached_parts, access))
    return [dashboards.Panel(title, "supervision/dashboard_officer.html", data)]


@dashboards.register(Role.PROVINCIAL_OFFICER)
def province_at_a_glance(access: ProvinceAccess) -> list[dashboards.Panel]:
    return _officer_panel(access, _("全省概况"))


@dashboards.register(Role.CITY_OFFICER)
def city_at_a_glance(access: ProvinceAccess) -> list[dashboards.Panel]:
    if access.has(Role.PROVINCIAL_OFFICER):
        return []  # the province's panel already shows it
    return _officer_panel(access, _("本市概况"))


@dashboards.register(Role.QUALITY_SUPERVISOR)
def my_flags(access: ProvinceAccess) -> list[dashboards.Panel]:
    flags = list(scope_flags(access).filter(state=FlagState.OPEN, assigned_to=access.user)
                 .select_related("institution").order_by("-found_at")[:20])
    return [dashboards.Panel(_("分配给我的疑点"), "supervision/dashboard_supervisor.html", {"flags": flags})]


catalog.register(selectors.ranking_notes)
