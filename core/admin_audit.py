"""Admin edits are writes too: record them in the audit trail like any service would (Art. 38)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from audit.services import audit_event_record, changes_between, snapshot


class AuditedAdmin(admin.ModelAdmin[Any]):
    """The admin's change view already runs in a transaction; the audit row joins it."""

    def _fields(self, obj: models.Model) -> list[str]:
        return [field.name for field in obj._meta.concrete_fields if field.name != "id"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before: dict[str, Any] = {}
        if change and obj.pk is not None:
            original = type(obj)._default_manager.filter(pk=obj.pk).first()
            if original is not None:
                before = snapshot(original, self._fields(original))
        super().save_model(request, obj, form, change)
        after = snapshot(obj, self._fields(obj))
        audit_event_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.app_label}.{obj._meta.model_name}.{'change' if change else 'add'}",
            target=obj,
            changes=changes_between(before, after),
            note="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = snapshot(obj, self._fields(obj))
        audit_event_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.app_label}.{obj._meta.model_name}.delete",
            target=obj,
            changes={name: [value, None] for name, value in before.items()},
            note="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
