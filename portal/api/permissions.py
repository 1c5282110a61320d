"""API permissions: the same declared roles as the pages, read from the view's `allowed_roles`."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from portal.roles import AUTHENTICATED, PUBLIC, names_object, resolve_province_access


class DeclaredRoles(BasePermission):
    """Admit the roles the view declares. Under /api/v1/<province>/ it also sets request.access.

    404 in a province without a membership there, and on a URL naming an object without the role (as pages do).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        roles = getattr(view, "allowed_roles", ())
        if PUBLIC in roles:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if AUTHENTICATED in roles:
            return True
        slug = view.kwargs.get("province")
        if slug is None or not roles:
            return False
        access = resolve_province_access(request._request, slug, roles, object_url=names_object(view.kwargs))
        request.access = access  # type: ignore[attr-defined]  # DRF's Request declares no access; see portal.api.base
        view.access = access
        return True
