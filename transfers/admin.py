"""Read-mostly admin: the registry and messages change through services and commands."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from transfers.models import InboxMessage, OutboxMessage, PartnerAgency, Transfer


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "status", "base_url", "our_key_id"]
    exclude = ["service_user"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["reference", "side", "kind", "status", "is_military", "reconciliation"]
    list_filter = ["status", "side", "kind", "is_military", "reconciliation"]
    exclude = ["id_number", "id_number_hash"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "partner", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind"]
    exclude = ["body_text"]


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "partner", "kind", "status", "received_at", "duplicates"]
    list_filter = ["status", "kind"]
    exclude = ["body_text"]
