"""Read-only admin views of the trail; nobody can add, change or delete through the admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AccessLogEntry, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "occurred_at", "actor_label", "action", "target_type", "target_repr"]
    list_filter = ["actor_kind"]
    search_fields = ["actor_label", "action", "target_id"]
    show_full_result_count = False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "occurred_at", "actor_label", "subject_repr", "purpose"]
    search_fields = ["actor_label", "subject_id"]
    show_full_result_count = False
