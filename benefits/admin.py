"""Read-only admin views of the benefits tables: every change goes through the services (claims
through the case engine, runs through their approval, debts through their ledger)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from benefits.models import Award, Claim, Debt, PaymentRun


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "region", "created_at")
    list_filter = ("kind", "status")
    exclude = ("payee_account",)


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "amount", "start_month", "end_month", "region")
    list_filter = ("kind", "status", "frequency")
    exclude = ("payee_account",)
    show_full_result_count = False  # no COUNT(*) over a million awards on each page


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "region", "period", "status", "payments_count", "net_total")
    list_filter = ("status",)


@admin.register(Debt)
class DebtAdmin(ReadOnlyAdmin):
    list_display = ("id", "cause", "status", "amount", "outstanding", "region")
    list_filter = ("status", "cause")
