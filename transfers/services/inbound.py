"""What each message from a partner does here. Called by message_receive inside its
transaction; a DomainError refuses the message (kept with its answer, nothing else changes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import blind_index
from core.models import Region
from core.money import money
from registration.selectors import person_get_by_id_number
from transfers.amounts import history_recompute
from transfers.errors import MessageInvalidError, TransferStateError
from transfers.models import (
    PartnerAgency,
    Reconciliation,
    StepStatus,
    Transfer,
    TransferPackage,
    TransferStatus,
)
from transfers.procedures import INSURANCE_TYPE, Side, StepAction, TransferKind, steps_for
from transfers.services.common import (
    step_get,
    step_open_ours,
    step_report_apply,
    steps_create,
    transfer_lock,
)
from transfers.services.partners import local_agency_for, pooling_region_of, serves_locally

Handler = Callable[[PartnerAgency, dict[str, Any]], dict[str, Any]]


def _field(body: dict[str, Any], *path: str) -> Any:
    value: Any = body
    for key in path:
        if not isinstance(value, dict) or key not in value:
            raise MessageInvalidError(
                _("The message lacks %(field)s.") % {"field": ".".join(path)},
                fields={".".join(path): [_("This field is required.")]},
            )
        value = value[key]
    return value


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(code=code).select_related("pooling_region").first()
    if region is None:
        raise MessageInvalidError(
            _("Unknown region %(code)s.") % {"code": code}, fields={field: [_("Unknown region.")]}
        )
    return pooling_region_of(region)


def _check_sender_serves(partner: PartnerAgency, region: Region) -> None:
    if not partner.regions.filter(pk=region.pk).exists():
        raise MessageInvalidError(
            _("%(partner)s does not serve %(region)s.")
            % {"partner": partner.code, "region": region.code},
            fields={"transfer": [_("The sender does not serve this region.")]},
        )


def _our_transfer(reference: str, side: Side) -> Transfer:
    found = Transfer.objects.filter(reference=reference, side=side).values_list("pk", flat=True)
    pk = found.first()
    if pk is None:
        raise MessageInvalidError(
            _("No transfer %(reference)s here.") % {"reference": reference},
            fields={"reference": [_("Unknown transfer.")]},
        )
    return transfer_lock(pk)


def _transfer_create(partner: PartnerAgency, body: dict[str, Any], side: Side) -> Transfer:
    """Our side's copy of a transfer the partner started."""
    block = _field(body, "transfer")
    kind = _field(block, "kind")
    if kind not in TransferKind.values:
        raise MessageInvalidError(_("Unknown transfer kind."), fields={"transfer.kind": [kind]})
    from_region = _region(_field(block, "from_region"), "transfer.from_region")
    to_region = _region(_field(block, "to_region"), "transfer.to_region")
    ours, theirs = (from_region, to_region) if side == Side.OUT else (to_region, from_region)
    if not serves_locally(ours):
        raise MessageInvalidError(
            _("This deployment does not serve %(region)s.") % {"region": ours.code},
            fields={"transfer": [_("Not our region.")]},
        )
    _check_sender_serves(partner, theirs)
    id_number = str(_field(block, "id_number"))
    if Transfer.objects.filter(
        id_number_hash=blind_index(id_number, purpose="id_number"),
        kind=kind,
        side=side,
        status=TransferStatus.OPEN,
    ).exists():
        raise TransferStateError(_("This person already has this transfer open here."))
    transfer = Transfer.objects.create(
        reference=str(_field(body, "reference"))[:40],
        side=side,
        kind=kind,
        insurance_type=INSURANCE_TYPE[kind],
        person=person_get_by_id_number(id_number),
        id_number=id_number,
        name=str(_field(block, "name"))[:100],
        from_region=from_region,
        to_region=to_region,
        local_region=ours,
        partner=partner,
        is_military=bool(block.get("is_military")),
        military_organ=str(block.get("military_organ", ""))[:200],
        military_document=str(block.get("military_document", ""))[:200],
        applied_on=date.fromisoformat(_field(block, "applied_on")),
    )
    steps_create(transfer)
    return transfer


def _open_next_ours(partner: PartnerAgency, transfer: Transfer, number: int) -> dict[str, Any]:
    step = step_get(transfer, number)
    step_open_ours(
        transfer,
        step,
        agency=local_agency_for(transfer.local_region),
        by=partner.service_user,
        channel="api",
    )
    return {
        "transfer": transfer.reference,
        "step": step.number,
        "case": step.case.case_number if step.case else None,
        "deadline": step.deadline.isoformat() if step.deadline else None,
    }


def on_contact_letter(partner: PartnerAgency, body: dict[str, Any]) -> dict[str, Any]:
    """Pension step 1 done at the new region: we (the old region) start step 2."""
    reference = str(_field(body, "reference"))
    if Transfer.objects.filter(reference=reference, side=Side.OUT).exists():
        raise TransferStateError(_("This transfer is already known here."))
    transfer = _transfer_create(partner, body, Side.OUT)
    report = _field(body, "step")
    step_report_apply(step_get(transfer, int(report["number"])), report)
    send = next(spec for spec in steps_for(transfer.kind) if spec.action == StepAction.SEND)
    return _open_next_ours(partner, transfer, send.number)


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise MessageInvalidError(
            _("%(field)s is not an amount.") % {"field": field}, fields={field: [str(value)]}
        ) from None


def on_package(partner: PartnerAgency, body: dict[str, Any]) -> dict[str, Any]:
    """The old region sent the record and the funds: keep them, check the 12% rule ourselves,
    and start the intake step."""
    reference = str(_field(body, "reference"))
    existing = Transfer.objects.filter(reference=reference, side=Side.IN).first()
    if existing is None:
        transfer = _transfer_create(partner, body, Side.IN)
    else:
        transfer = transfer_lock(existing.pk)
        _check_sender_serves(partner, transfer.from_region)
    if transfer.status != TransferStatus.OPEN:
        raise TransferStateError(_("This transfer is no longer open here."))
    package = _field(body, "package")
    history = list(_field(package, "history"))
    declared = {
        name: _decimal(_field(package, name), f"package.{name}")
        for name in ("pooled_fund", "account_balance", "total", "pooled_base_total")
    }
    months, base_total, recomputed = history_recompute(transfer.kind, history)
    problems = []
    if recomputed != declared["pooled_fund"]:
        problems.append(
            _("Declared pooled fund %(declared)s; 12%% of the history's bases gives %(ours)s.")
            % {"declared": declared["pooled_fund"], "ours": recomputed}
        )
    if declared["total"] != declared["pooled_fund"] + declared["account_balance"]:
        problems.append(_("The declared total is not the pooled fund plus the account."))
    revision = int(package.get("revision", 1))
    if TransferPackage.objects.filter(transfer=transfer, revision=revision).exists():
        raise TransferStateError(_("This revision of the record and funds was already received."))
    TransferPackage.objects.create(
        transfer=transfer,
        revision=revision,
        rule=str(package.get("rule", ""))[:300],
        history=history,
        months=months,
        pooled_base_total=base_total,
        pooled_fund=declared["pooled_fund"],
        account_balance=declared["account_balance"],
        total=declared["pooled_fund"] + declared["account_balance"],
        recomputed_pooled_fund=recomputed,
    )
    if problems:
        transfer.reconciliation = Reconciliation.MISMATCH
        transfer.reconciliation_note = "\n".join(problems)
        transfer.save(update_fields=["reconciliation", "reconciliation_note", "updated_at"])
    report = _field(body, "step")
    step_report_apply(step_get(transfer, int(report["number"])), report)
    intake = next(spec for spec in steps_for(transfer.kind) if spec.action == StepAction.INTAKE)
    result = _open_next_ours(partner, transfer, intake.number)
    return {**result, "reconciliation": transfer.reconciliation}


def on_intake_result(partner: PartnerAgency, body: dict[str, Any]) -> dict[str, Any]:
    """The new region completed the transfer: we reconcile what it received with what we sent."""
    transfer = _our_transfer(str(_field(body, "reference")), Side.OUT)
    _check_sender_serves(partner, transfer.to_region)
    result = _field(body, "result")
    report = _field(body, "step")
    step_report_apply(step_get(transfer, int(report["number"])), report)
    sent = transfer.packages.order_by("-revision").first()
    received = _decimal(_field(result, "funds_received"), "result.funds_received")
    problems = []
    if sent is not None and received != sent.total:
        problems.append(
            _("We sent %(sent)s; the new region received %(received)s.")
            % {"sent": sent.total, "received": received}
        )
    if result.get("reconciliation") == Reconciliation.ACCEPTED:
        problems.append(
            _("The new region accepted a difference: %(note)s") % {"note": result.get("note", "")}
        )
    transfer.status = TransferStatus.COMPLETED
    transfer.completed_at = timezone.now()
    transfer.reconciliation = Reconciliation.MISMATCH if problems else Reconciliation.MATCHED
    transfer.reconciliation_note = "\n".join(problems)
    transfer.save(
        update_fields=[
            "status",
            "completed_at",
            "reconciliation",
            "reconciliation_note",
            "updated_at",
        ]
    )
    return {"transfer": transfer.reference, "reconciliation": transfer.reconciliation}


def on_refusal(partner: PartnerAgency, body: dict[str, Any]) -> dict[str, Any]:
    """The partner refused its step: the transfer ends here too. If we already sent the funds,
    the reconciliation queue shows that they must come back."""
    sender_side = Side(_field(body, "from_side"))
    ours = Side.OUT if sender_side == Side.IN else Side.IN
    transfer = _our_transfer(str(_field(body, "reference")), ours)
    _check_sender_serves(partner, transfer.to_region if ours == Side.OUT else transfer.from_region)
    report = _field(body, "step")
    step_report_apply(step_get(transfer, int(report["number"])), report)
    transfer.status = TransferStatus.REFUSED
    transfer.refusal_reasons = str(body.get("reasons", ""))
    fields = ["status", "refusal_reasons", "updated_at"]
    sent = transfer.steps.filter(action=StepAction.SEND, side=Side.OUT, status=StepStatus.DONE)
    if ours == Side.OUT and sent.exists():
        transfer.reconciliation = Reconciliation.MISMATCH
        transfer.reconciliation_note = _(
            "The new region refused after the funds were sent: recover them."
        )
        fields += ["reconciliation", "reconciliation_note"]
    transfer.save(update_fields=fields)
    return {"transfer": transfer.reference, "status": transfer.status}


HANDLERS: dict[str, Handler] = {
    "contact_letter": on_contact_letter,
    "package": on_package,
    "intake_result": on_intake_result,
    "refusal": on_refusal,
}
