"""Transfer reads. Every list starts from Transfer.objects.visible_to(user)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from transfers.models import (
    OutboxMessage,
    OutboxStatus,
    Reconciliation,
    Transfer,
    TransferQuerySet,
    TransferStatus,
    TransferStep,
)
from transfers.procedures import application_side

if TYPE_CHECKING:
    from accounts.models import User


def _with_current_step(transfers: TransferQuerySet) -> QuerySet[Transfer]:
    current = TransferStep.objects.filter(transfer=OuterRef("pk"), number=OuterRef("current_step"))
    return transfers.annotate(
        current_deadline=Subquery(current.values("deadline")[:1]),
        current_provisional=Subquery(current.values("deadline_provisional")[:1]),
        current_side=Subquery(current.values("side")[:1]),
    )


def transfer_list_for_clerk(
    *, user: User, status: str = TransferStatus.OPEN, waiting_on_us: bool = False
) -> QuerySet[Transfer]:
    """The worklist: military transfers first (Art. 17), then the current step's deadline."""
    transfers = Transfer.objects.visible_to(user)
    if status:
        transfers = transfers.filter(status=status)
    listed = _with_current_step(transfers).select_related("from_region", "to_region", "partner")
    if waiting_on_us:
        listed = listed.filter(current_side=F("side"))  # type: ignore[misc]
    return listed.order_by(
        "-is_military", F("current_deadline").asc(nulls_last=True), "applied_on", "pk"
    )


def mismatch_queue(*, user: User) -> QuerySet[Transfer]:
    """Transfers whose amounts do not agree: completion waits for a clerk."""
    return (
        Transfer.objects.visible_to(user)
        .filter(reconciliation=Reconciliation.MISMATCH)
        .select_related("from_region", "to_region", "partner")
        .prefetch_related("packages")
        .order_by("-is_military", "updated_at", "pk")
    )


def transfer_get(*, user: User, reference: str, side: str | None = None) -> Transfer:
    """One transfer as `user` may see it. Where both sides are here, the side the person
    applied at, unless `side` says otherwise. DoesNotExist when not visible."""
    rows = Transfer.objects.visible_to(user).filter(reference=reference)
    if side:
        rows = rows.filter(side=side)
    found = list(
        rows.select_related("from_region", "to_region", "partner", "person").prefetch_related(
            Prefetch(
                "steps",
                queryset=TransferStep.objects.select_related("case")
                .prefetch_related("case__decisions")
                .order_by("number"),
            ),
            "packages",
        )
    )
    if not found:
        raise Transfer.DoesNotExist
    found.sort(key=lambda row: row.side != application_side(row.kind))
    return found[0]


def transfers_for_portal(*, user: User) -> QuerySet[Transfer]:
    """A person's or an employer's transfers (Art. 16: progress for both)."""
    return (
        Transfer.objects.visible_to(user)
        .select_related("from_region", "to_region")
        .prefetch_related(Prefetch("steps", queryset=TransferStep.objects.order_by("number")))
        .order_by("-applied_on", "pk")
    )


def outbox_for(transfer: Transfer) -> QuerySet[OutboxMessage]:
    return transfer.outbox.select_related("partner").order_by("created_at", "pk")


def undelivered_count(*, user: User) -> int:
    visible = Transfer.objects.visible_to(user).values("pk")
    return OutboxMessage.objects.filter(
        transfer__in=visible, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
    ).count()


def latest_package(transfer: Transfer) -> Any:
    packages = sorted(transfer.packages.all(), key=lambda p: p.revision)
    return packages[-1] if packages else None
