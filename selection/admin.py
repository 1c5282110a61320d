"""Admin of selection: read-mostly views for support staff; every change goes through selection.services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ConflictDeclaration, Draw, Expert, LeadershipApproval, Panel, ScoreSheet, SummaryTable


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin[Expert]):
    list_display = ["name", "employer", "province", "city", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name", "employer", "employer_credit_code"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (Panel, Draw, ScoreSheet, ConflictDeclaration, SummaryTable, LeadershipApproval):
    admin.site.register(model, ReadOnlyAdmin)
