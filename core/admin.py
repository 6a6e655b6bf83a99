"""Admin for the system administrator: regions, agencies, calendar years, policy parameters."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin_audit import AuditedAdmin
from core.models import Agency, CalendarDay, CalendarYear, Job, PolicyParameter, Region
from core.policy import KNOWN_KEYS
from core.services import calendar_year_changed


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_en", "level", "parent", "pooling_region"]
    search_fields = ["code", "name", "name_en"]
    list_filter = ["level"]
    raw_id_fields = ["parent", "pooling_region"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["code", "name", "region", "line", "parent"]
    search_fields = ["code", "name", "name_en"]
    list_filter = ["line"]
    raw_id_fields = ["region", "parent"]


class CalendarDayInline(admin.TabularInline[CalendarDay, CalendarYear]):
    model = CalendarDay
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    """Next year's State Council notice is entered here, without a release (working-days.md §4)."""

    list_display = ["year", "source", "entered_at"]
    inlines = [CalendarDayInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        calendar_year_changed(year=form.instance.year)


class PolicyParameterForm(forms.ModelForm[PolicyParameter]):
    class Meta:
        model = PolicyParameter
        fields = ["key", "region", "valid_from", "value", "source", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, value = data.get("key"), data.get("value")
        if key not in KNOWN_KEYS:
            self.add_error("key", f"Unknown key. Known keys: {', '.join(sorted(KNOWN_KEYS))}")
        elif KNOWN_KEYS[key][0] == "decimal" and value is not None:
            try:
                Decimal(value)
            except InvalidOperation:
                self.add_error("value", "This key takes a decimal number, e.g. 8000.00")
        return data


@admin.register(PolicyParameter)
class PolicyParameterAdmin(AuditedAdmin):
    form = PolicyParameterForm
    list_display = ["key", "region", "valid_from", "value", "source"]
    list_filter = ["key"]
    search_fields = ["key", "region__code", "region__name"]
    raw_id_fields = ["region"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = [
        "id",
        "kind",
        "status",
        "progress_done",
        "progress_total",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
