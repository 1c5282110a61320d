"""Admin of filings for superusers: read-mostly; state changes go through filings.services only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Application, Call, Correction, Evidence


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ["title", "province", "year", "application_deadline", "city_review_deadline"]
    list_filter = ["province", "year"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["institution", "province", "city", "call", "state", "submitted_at"]
    list_filter = ["province", "state"]
    search_fields = ["institution__name", "institution__credit_code"]
    readonly_fields = ["state"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    list_display = ["original_name", "application", "checklist_key", "content_type", "size", "uploaded_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Correction)
