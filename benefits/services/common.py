"""Helpers the benefits services share: months, money, permissions, raw SQL table names."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.errors import PermissionDeniedError
from core.money import money as money  # re-exported for the services

if TYPE_CHECKING:
    from accounts.models import User


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_add(month: date, months: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 + months, 12)
    return date(year, index + 1, 1)


def require_perm(user: User | None, permission: str) -> None:
    """Services check the permission themselves: the UI, the API and tasks share them."""
    if user is None or not user.has_perm(permission):
        raise PermissionDeniedError(
            _("You do not have the permission this action needs."), permission=permission
        )


def table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]
