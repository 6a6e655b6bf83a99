"""The one scoping rule for benefits rows (DESIGN.md "Lessons"): staff see their agency's pooling
region (provincial staff without an agency see all); nobody else sees any. Lists, counts,
exports and the API all start from `.visible_to(user)`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User


def staff_region_id(user: User) -> int | None:
    """The pooling region of the user's agency, or None for provincial staff."""
    if user.agency_id is None:
        return None
    from core.models import Agency

    row = (
        Agency.objects.filter(pk=user.agency_id)
        .values_list("region__pooling_region_id", "region_id")
        .get()
    )
    return int(row[0] or row[1])


_M = TypeVar("_M", bound=models.Model)


class RegionScopedQuerySet(models.QuerySet[_M]):
    region_field = "region"

    def visible_to(self, user: User) -> Self:
        if not user.is_authenticated or not user.is_staff or user.employer_id is not None:
            return self.none()
        region_id = staff_region_id(user)
        if region_id is None:
            return self
        return self.filter(**{f"{self.region_field}_id": region_id})
