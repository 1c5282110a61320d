"""Helpers shared by selection's service modules: who may act, fresh applications, links and whom to notify."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from filings.models import Application, ApplicationState
from portal.errors import NotPermitted
from portal.models import City, Province, Role, User
from portal.roles import has_role, require_role, users_with_role

from ..models import Panel, PanelLevel, ScoreSheet

S = ApplicationState


def require_provincial_officer(user: User, province: Province) -> None:
    require_role(user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))


def require_city_officer(user: User, city: City) -> None:
    require_role(user, city.province, Role.CITY_OFFICER, city=city,
                 message=_("只有%(city)s的地市经办人员可以办理此事项。") % {"city": city.name})


def require_panel_officer(user: User, panel: Panel) -> None:
    """The provincial officer for any panel; a city's officer for that city's panel."""
    if has_role(user, panel.province, Role.PROVINCIAL_OFFICER):
        return
    if panel.level == PanelLevel.CITY and panel.city is not None and has_role(
        user, panel.province, Role.CITY_OFFICER, city=panel.city
    ):
        return
    raise NotPermitted(_("只有该评审专家组的组织单位可以办理此事项。"))


def require_own_sheet(sheet: ScoreSheet, user: User) -> None:
    if sheet.expert.user_id != user.pk or not has_role(user, sheet.panel.province, Role.EXPERT):
        raise NotPermitted(_("只能填写分配给本人的评估表。"))


def panel_organizers(panel: Panel) -> list[User]:
    """Whom to tell about a panel's work: the city's officers for a city panel, the provincial officers otherwise."""
    if panel.level == PanelLevel.CITY:
        return users_with_role(panel.province, Role.CITY_OFFICER, city=panel.city)
    return users_with_role(panel.province, Role.PROVINCIAL_OFFICER)


def applicants(application: Application) -> list[User]:
    return users_with_role(application.province, Role.INSTITUTION_MEMBER, institution=application.institution)


def fresh(application: Application, *, lock: bool = False) -> Application:
    qs = Application.objects.select_related("province", "call", "institution", "city")
    return (qs.select_for_update(of=("self",)) if lock else qs).get(pk=application.pk)


def link(name: str, province: Province, **kwargs: Any) -> str:
    """The URL of a selection page, for a notification."""
    return reverse(f"selection:{name}", kwargs={"province": province.slug, **kwargs})
