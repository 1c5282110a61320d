"""Template context shared by every page: the portal's name, the user's provinces and unread count."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .models import Membership, Notification


def portal(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"portal_name": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        memberships = (
            Membership.objects.active().filter(user=user).select_related("province").order_by("province__code")
        )
        provinces = []
        for m in memberships:
            if m.province not in provinces:
                provinces.append(m.province)
        context["my_provinces"] = provinces
        context["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return context
