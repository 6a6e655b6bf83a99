"""Helpers the transfer services share: locking, step bookkeeping, filing a step's case, and the
blocks every message carries."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from cases.models import PriorityReason
from cases.services import case_file
from core.calendar import add_working_days
from core.models import Agency
from transfers.models import StepStatus, Transfer, TransferStep
from transfers.procedures import step_spec, steps_for

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import ServiceItem


def new_reference(region_code: str, on: date) -> str:
    """Shared by both sides: the applying region, the date, and a random part (no sequence
    can collide across deployments)."""
    return f"ZY{region_code}{on:%Y%m%d}{secrets.token_hex(3).upper()}"


def transfer_lock(transfer_id: int) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("partner", "from_region", "to_region", "local_region", "person")
        .get(pk=transfer_id)
    )


def steps_create(transfer: Transfer) -> dict[int, TransferStep]:
    steps = {
        spec.number: TransferStep(
            transfer=transfer,
            number=spec.number,
            side=spec.side,
            action=spec.action,
            item_code=spec.item_code or "",
        )
        for spec in steps_for(transfer.kind)
    }
    TransferStep.objects.bulk_create(steps.values())
    return {step.number: step for step in transfer.steps.all()}


def step_get(transfer: Transfer, number: int) -> TransferStep:
    return TransferStep.objects.select_for_update().get(transfer=transfer, number=number)


def step_open_ours(
    transfer: Transfer,
    step: TransferStep,
    *,
    agency: Agency,
    by: User | None,
    channel: str,
    submitted_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> TransferStep:
    """Our step starts: file its case (its deadline is the step's), or, for a step the case
    catalogue has no item for, start it without a statutory deadline."""
    submitted_at = submitted_at or timezone.now()
    step.status = StepStatus.OPEN
    if step.item_code:
        case = case_file(
            item_code=step.item_code,
            channel=channel,
            received_by=agency,
            by=by,
            submitted_at=submitted_at,
            applicant_id_number=transfer.id_number,
            applicant_name=transfer.name,
            payload={"transfer": transfer.reference, "step": step.number, **(payload or {})},
            reference=f"transfers:{transfer.reference}:{transfer.side}:{step.number}",
            # Art. 17 ¶2: military transfers head the case engine's worklists too.
            priority_reason=PriorityReason.MILITARY if transfer.is_military else "",
        )
        step.case = case
        step.started_on = case.received_on
        step.deadline = case.deadline
        step.deadline_provisional = case.deadline_provisional
    else:
        step.started_on = timezone.localtime(submitted_at).date()
    step.save()
    transfer.current_step = step.number
    transfer.save(update_fields=["current_step", "updated_at"])
    return step


def step_open_partner(transfer: Transfer, step: TransferStep, *, started_on: date) -> None:
    """The partner's step starts: we know the statutory limit, so we show the deadline it
    should meet until the partner reports its own."""
    step.status = StepStatus.OPEN
    step.started_on = started_on
    if step.item_code:
        limit = _item(step.item_code)
        if limit is not None:
            deadline = add_working_days(started_on, limit.time_limit_working_days)
            step.deadline, step.deadline_provisional = deadline.date, deadline.provisional
    step.save()
    transfer.current_step = step.number
    transfer.save(update_fields=["current_step", "updated_at"])


def step_report_apply(step: TransferStep, report: dict[str, Any]) -> None:
    """What the partner reported about its own step (dates, deadline, outcome)."""
    if report.get("started_on"):
        step.started_on = date.fromisoformat(report["started_on"])
    if report.get("deadline"):
        step.deadline = date.fromisoformat(report["deadline"])
        step.deadline_provisional = bool(report.get("deadline_provisional"))
    if report.get("finished_at"):
        step.finished_at = datetime.fromisoformat(report["finished_at"])
    step.status = report.get("status") or step.status
    step.save()


def _item(code: str) -> ServiceItem | None:
    from cases.models import ServiceItem

    return ServiceItem.objects.filter(code=code).first()


def transfer_block(transfer: Transfer) -> dict[str, Any]:
    return {
        "kind": transfer.kind,
        "id_number": transfer.id_number,
        "name": transfer.name,
        "from_region": transfer.from_region.code,
        "to_region": transfer.to_region.code,
        "is_military": transfer.is_military,
        "military_organ": transfer.military_organ,
        "military_document": transfer.military_document,
        "applied_on": transfer.applied_on.isoformat(),
    }


def step_block(step: TransferStep) -> dict[str, Any]:
    return {
        "number": step.number,
        "status": step.status,
        "started_on": step.started_on.isoformat() if step.started_on else None,
        "deadline": step.deadline.isoformat() if step.deadline else None,
        "deadline_provisional": step.deadline_provisional,
        "finished_at": step.finished_at.isoformat() if step.finished_at else None,
    }


def spec_of(step: TransferStep) -> Any:
    return step_spec(step.transfer.kind, step.number)
