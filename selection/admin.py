"""Admin of selection: read-mostly views for support staff; every change goes through selection.services."""

from django.contrib import admin

from .models import ConflictDeclaration, Draw, Expert, LeadershipApproval, Panel, ScoreSheet, SummaryTable


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "employer", "province", "city", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name", "employer", "employer_credit_code"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


for model in (Panel, Draw, ScoreSheet, ConflictDeclaration, SummaryTable, LeadershipApproval):
    admin.site.register(model, ReadOnlyAdmin)
