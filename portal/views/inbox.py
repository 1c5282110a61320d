"""Each person's in-app inbox, across provinces."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import ListView

from ..access import access_notification
from ..models import Notification
from ..notifications import mark_all_read, mark_read
from ..roles import AuthenticatedView


class InboxView(AuthenticatedView, ListView[Notification]):
    template_name = "portal/inbox.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient_id=self.user.pk).select_related("province")


class NotificationReadView(AuthenticatedView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = access_notification(self.user, pk)
        mark_read(notification)
        target = notification.link
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("inbox")


class NotificationReadAllView(AuthenticatedView):
    def post(self, request: HttpRequest, *args: Any) -> HttpResponse:
        mark_all_read(self.user)
        return redirect("inbox")
