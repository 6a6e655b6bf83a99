"""Admin, read-only: the catalogue changes by migration or `service_item_define`, cases only
through the services (each step audited)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases.models import Case, CaseEvent, ItemMaterial, ProxyAuthorisation, ServiceItem


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ItemMaterialInline(admin.TabularInline[ItemMaterial, ServiceItem]):
    model = ItemMaterial
    extra = 0
    fields = ["code", "name", "kind", "legal_basis", "fetched_by_agency", "fetched_from"]
    readonly_fields = ["code", "name", "kind", "legal_basis", "fetched_by_agency", "fetched_from"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "owner_app", "time_limit_working_days", "is_high_risk"]
    list_filter = ["owner_app", "is_high_risk"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ItemMaterialInline]


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 0
    fields = ["occurred_at", "kind", "actor_label", "from_status", "to_status", "note"]
    readonly_fields = ["occurred_at", "kind", "actor_label", "from_status", "to_status", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "item", "status", "deadline", "assignee", "received_by"]
    list_filter = ["status", "item", "channel"]
    search_fields = ["case_number", "applicant_name"]
    exclude = ["applicant_id_number", "applicant_id_hash"]
    inlines = [CaseEventInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Case.objects.visible_to(request.user)  # type: ignore[arg-type]


@admin.register(ProxyAuthorisation)
class ProxyAuthorisationAdmin(ReadOnlyAdmin):
    list_display = ["agent_name", "principal_name", "relationship", "valid_from", "valid_until"]
    exclude = ["principal_id_number", "principal_id_hash", "agent_id_number", "agent_id_hash"]
