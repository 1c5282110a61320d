"""Home pages: the root sends a person to their province; each province page lists the worklist of every role held."""

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import TemplateView

from .. import dashboards, worklists
from ..models import HolderAccount, Province, Role, User
from ..roles import ALL_ROLES, AuthenticatedView, ProvinceView, PublicView


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
        return render(request, "portal/choose_province.html", {"provinces": provinces})


class ProvinceHomeView(ProvinceView, TemplateView):
    allowed_roles = ALL_ROLES
    template_name = "portal/province_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sections = []
        for role in Role:
            if role.value not in self.access.roles:
                continue
            bound = [
                m.city or m.institution for m in self.access.memberships if m.role == role.value and (m.city or m.institution)
            ]
            sections.append(
                {"role": role, "bound": bound, "items": worklists.items_for(self.access, role.value),
                 "panels": dashboards.panels_for(self.access, role.value)}
            )
        context["sections"] = sections
        return context
