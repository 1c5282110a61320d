"""Admin for superusers: reference data and accounts; audit events are read-only here as everywhere."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import AuditEvent, CalendarYear, City, Institution, Membership, Occupation, Province, User, WorkType


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "mobile", "email", "is_active"]
    search_fields = ["username", "display_name", "mobile", "email"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("联系方式", {"fields": ("display_name", "mobile")}))  # type: ignore[misc]  # the stubs type fieldsets too narrowly


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["code", "name", "slug", "policy_pack"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin[City]):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin[Institution]):
    list_display = ["name", "credit_code", "province", "city", "category"]
    list_filter = ["province"]
    search_fields = ["name", "credit_code"]


class WorkTypeInline(admin.TabularInline[WorkType, Occupation]):
    model = WorkType
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin[Occupation]):
    list_display = ["code", "name", "is_skill_type", "has_national_standard", "is_access_type"]
    list_filter = ["is_skill_type", "has_national_standard", "is_access_type"]
    search_fields = ["code", "name"]
    inlines = [WorkTypeInline]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "source", "is_published"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor", "province", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["province", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
