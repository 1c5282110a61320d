"""Who may use which page: every entry point declares its roles, and a request carries its province access.

UI views subclass ProvinceView (or PublicView / AuthenticatedView) and set `allowed_roles`; API views use
portal.api.permissions.ProvinceRolePermission, which reads the same attribute. A user with no membership in the
province named by the URL gets 404 — another province's pages do not exist for them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from .errors import NotPermitted
from .models import City, Institution, Membership, Province, Role, User

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def _bound(province: Province, roles: Iterable[str], *, city: City | None = None,
           institution: Institution | None = None) -> Any:
    qs = Membership.objects.active().filter(province=province, role__in=list(roles))
    if city is not None:
        qs = qs.filter(city=city)
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs


def has_role(user: User, province: Province, *roles: str, city: City | None = None,
             institution: Institution | None = None) -> bool:
    """Whether `user` holds one of `roles` in `province` (bound to `city` / `institution` when given)."""
    if not roles:
        raise ValueError("has_role needs at least one role")
    return bool(_bound(province, roles, city=city, institution=institution).filter(user=user).exists())


def require_role(user: User, province: Province, *roles: str, city: City | None = None,
                 institution: Institution | None = None, message: str | None = None) -> None:
    """Refuse (NotPermitted, 403) unless `user` holds one of `roles` in `province` with the binding given."""
    if not has_role(user, province, *roles, city=city, institution=institution):
        raise NotPermitted(message or _("您没有办理此事项的权限。"))


def users_with_role(province: Province, role: str, *, city: City | None = None,
                    institution: Institution | None = None) -> list[User]:
    """Everyone holding `role` in `province` (bound to `city` / `institution` when given): whom to notify."""
    return [m.user for m in _bound(province, (role,), city=city, institution=institution).select_related("user")]


@dataclass(frozen=True)
class ProvinceAccess:
    """What one user may do in one province: the roles held and the cities and institutions they are bound to."""

    user: User
    province: Province
    memberships: tuple[Membership, ...]
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_user(cls, user: User, province: Province) -> "ProvinceAccess":
        memberships = tuple(
            Membership.objects.active()
            .filter(user=user, province=province)
            .select_related("city", "institution")
        )
        return cls(user, province, memberships, frozenset(m.role for m in memberships))

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def city_ids(self) -> set[int]:
        return {m.city_id for m in self.memberships if m.role == Role.CITY_OFFICER and m.city_id}

    def institution_ids(self) -> set[int]:
        return {
            m.institution_id
            for m in self.memberships
            if m.role == Role.INSTITUTION_MEMBER and m.institution_id
        }

    @property
    def is_provincial_officer(self) -> bool:
        return Role.PROVINCIAL_OFFICER in self.roles


def names_object(url_kwargs: dict[str, Any]) -> bool:
    """Whether a URL under /<province>/ names one object: it carries an id (pk, year, ...) beside the province."""
    return any(name != "province" for name in url_kwargs)


def resolve_province_access(
    request: HttpRequest, slug: str, allowed_roles: Iterable[str], *, object_url: bool = False
) -> ProvinceAccess:
    """The caller's access in the province of the URL; 404 without any membership there.

    Without the role: 403 on a page, but 404 on a URL that names an object (`object_url`), so that an id the
    caller cannot reach answers 404 whatever the reason, as an object of another province does.
    """
    province = get_object_or_404(Province, slug=slug)
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    access = ProvinceAccess.for_user(user, province)
    if not access.memberships:
        raise Http404
    if not access.has(*allowed_roles):
        raise Http404 if object_url else PermissionDenied
    return access


class PublicView(View):
    """A page anyone may open, without logging in."""

    allowed_roles: tuple[str, ...] = (PUBLIC,)


class AuthenticatedView(LoginRequiredMixin, View):
    """A page for any logged-in person, outside a province (inbox, password change)."""

    allowed_roles: tuple[str, ...] = (AUTHENTICATED,)

    @property
    def user(self) -> User:
        """The logged-in user (LoginRequiredMixin let only them in)."""
        return cast(User, self.request.user)


class ProvinceView(LoginRequiredMixin, View):
    """A page under /<province>/ for the roles in `allowed_roles`; sets request.access."""

    allowed_roles: tuple[str, ...] = ()
    access: ProvinceAccess

    @property
    def user(self) -> User:
        """The logged-in user with a role in this province (dispatch let only them in)."""
        return self.access.user

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed_roles:
            raise PermissionDenied  # a view that forgot to declare its roles admits nobody
        self.access = resolve_province_access(
            request, kwargs["province"], self.allowed_roles, object_url=names_object(kwargs)
        )
        request.access = self.access  # type: ignore[attr-defined]  # HttpRequest declares no access; see portal.http
        return super().dispatch(request, *args, **kwargs)

    @property
    def province(self) -> Province:
        return self.access.province

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]  # a mixin: the view's ContextMixin
        context["access"] = self.access
        context["province"] = self.access.province
        return context


OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
ALL_ROLES = tuple(Role.values)
