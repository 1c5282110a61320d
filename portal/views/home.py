"""Home pages: the root sends a person to their province; each province page lists the worklist of every role held."""

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .. import dashboards, homecache, shortcuts, worklists
from ..models import HolderAccount, Province, Role, User
from ..roles import ALL_ROLES, AuthenticatedView, ProvinceView, PublicView

# What appears in a role's worklist, and when: the empty state of a home says it instead of a bare "nothing".
EMPTY_WORKLIST = {
    Role.PROVINCIAL_OFFICER: _("暂无待办事项。直接向省申报的申请、地市推荐后待分配专家的申请、待评审的试题资源、"
                               "待公布的机构、投诉和续期申请会在到达时列在这里。"),
    Role.CITY_OFFICER: _("暂无待办事项。本市机构提交备案申请、报备考核计划，或收到投诉后，待受理和将超期的事项会列在这里。"),
    Role.EXPERT: _("暂无待办事项。经办人员为您分配评估表或监督检查后，会在这里列出，并附截止时间。"),
    Role.QUALITY_SUPERVISOR: _("暂无待办事项。分配给您的监督检查、考核督导、待验证的整改报告和真实性疑点会在这里列出。"),
    Role.INSTITUTION_MEMBER: _("暂无待办事项。申报批次开放时会在这里提示；提交申请后，退回补正、培育辅导、考核计划和整改通知等"
                               "需要本机构办理的事项也会列在这里。"),
}


class RootView(PublicView):
    """Anonymous visitors see the public entry points; a person with one province goes straight to it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("home")
        return render(request, "portal/landing.html", {"public_provinces": Province.objects.order_by("code")})


class HomeView(AuthenticatedView):
    def get(self, request: HttpRequest) -> HttpResponse:
        from ..context_processors import portal as portal_context

        provinces = portal_context(request).get("my_provinces", [])
        if len(provinces) == 1:
            return redirect("province_home", province=provinces[0].slug)
        if not provinces and HolderAccount.objects.filter(user=cast(User, request.user)).exists():
            return redirect("holder:home")  # a certificate holder has no province: their account is their home
        return render(request, "portal/choose_province.html",
                      {"provinces": provinces, "is_platform_admin": request.user.is_superuser})


class ProvinceHomeView(ProvinceView, TemplateView):
    allowed_roles = ALL_ROLES
    template_name = "portal/province_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The sections and their rendering are cached together: drawing thirty worklist lines and the panels costs
        # more than reading them, so a view that finds them in the cache renders only the page around them.
        context["sections"], context["sections_html"] = homecache.cached_sections(self.access, self._drawn_sections)
        return context

    def _drawn_sections(self) -> tuple[list[dict[str, Any]], str]:
        sections = self._sections()
        html = render_to_string("portal/_home_sections.html", {"sections": sections, "province": self.access.province})
        return sections, mark_safe(html)  # noqa: S308  the portal's own template, its values escaped in it

    def _sections(self) -> list[dict[str, Any]]:
        # Each provider is a part of its own (portal.homecache): after a change only those reading what changed
        # are computed again. A person's shortcuts depend on no data.
        roles = [role for role in Role if role.value in self.access.roles]
        parts: list[homecache.Part] = []
        for role in roles:
            parts.extend(homecache.Part(f"items:{role.value}:{_name(p)}", reads, partial(p, self.access))
                         for p, reads in worklists.providers(role.value))
            parts.extend(homecache.Part(f"panels:{role.value}:{_name(p)}", reads, partial(p, self.access))
                         for p, reads in dashboards.providers(role.value))
            parts.append(homecache.Part(f"shortcuts:{role.value}", (),
                                        partial(shortcuts.shortcuts_for, self.access, role.value)))
        values = iter(homecache.cached_parts(self.access, parts))
        sections = []
        for role in roles:
            items = [item for _p in worklists.providers(role.value) for item in next(values)]
            panels = [panel for _p in dashboards.providers(role.value) for panel in next(values)]
            bound = [
                m.city or m.institution for m in self.access.memberships if m.role == role.value and (m.city or m.institution)
            ]
            sections.append({"role": role, "bound": bound, "items": items, "panels": panels,
                             "empty": EMPTY_WORKLIST[role], "shortcuts": next(values)})
        return sections


def _name(provider: Callable[..., Any]) -> str:
    return f"{provider.__module__}.{provider.__qualname__}"
