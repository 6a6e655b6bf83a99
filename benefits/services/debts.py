"""Overpayment recovery (Art. 46) and fraud referral (Arts. 44, 55).

The agency orders repayment (a letter); where a lump sum is difficult it may agree instalments,
or offset the debt against later benefits (in the payment run, capped per payment by regional
policy) or against the personal-account balance (registration's account ledger). Each debt has
its own ledger; it is settled when nothing is owed. Fines are the administrative department's
(SIL Art. 88; Art. 55): the agency refers suspected fraud and records the department's decision.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits.errors import AwardStateError, DebtOverRepaymentError, DebtStateError
from benefits.models import (
    OPEN_DEBT_STATUSES,
    Award,
    AwardStatus,
    Debt,
    DebtCause,
    DebtEntry,
    DebtEntryKind,
    DebtStatus,
    FraudReferral,
    FraudReferralStatus,
    Instalment,
    InstalmentPlan,
    InstalmentPlanStatus,
    InstalmentStatus,
    Payment,
)
from benefits.services.common import money, month_add, require_perm
from core.errors import InvalidInputError
from core.policy import PolicyParameterMissingError, policy_decimal

if TYPE_CHECKING:
    from accounts.models import User
    from registration.models import InsuredPerson

# Art. 46 gives the agency no number of days; the repayment order names a date this many
# calendar days after it is issued (a local practice figure, policy "debt_repay_days").
DEFAULT_REPAY_DAYS = 30


def _lock(debt_id: int) -> Debt:
    return Debt.objects.select_for_update().get(pk=debt_id)


def _require_open(debt: Debt) -> None:
    if debt.status not in OPEN_DEBT_STATUSES:
        raise DebtStateError(
            _("This overpayment is “%(status)s”.") % {"status": DebtStatus(debt.status).label},
            status=debt.status,
        )


def debt_record(
    *,
    person: InsuredPerson,
    amount: Decimal,
    cause: str,
    cause_note: str,
    by: User,
    award: Award | None = None,
) -> Debt:
    """Record an overpayment found otherwise than by a stop (e.g. an amount paid in error)."""
    require_perm(by, "benefits.manage_debt")
    if amount <= 0 or cause not in DebtCause.values or not cause_note.strip():
        raise InvalidInputError(
            _("An overpayment needs a positive amount, a cause and an explanation."),
            fields={"amount": [], "cause": [], "cause_note": []},
        )
    with transaction.atomic():
        debt = Debt.objects.create(
            person=person,
            award=award,
            region_id=award.region_id
            if award
            else person.region.pooling_region_id or person.region_id,
            cause=cause,
            cause_note=cause_note[:500],
            amount=money(amount),
            outstanding=money(amount),
            is_fraud_suspected=cause == DebtCause.FRAUD,
            created_by=by,
        )
        audit_event_record(
            actor=by,
            action="benefits.debt.create",
            target=debt,
            changes={"amount": str(debt.amount), "cause": cause},
        )
    return debt


def debt_repayment_order(*, debt_id: int, by: User, repay_by: date | None = None) -> Debt:
    """责令退回: issue the repayment order (the letter is benefits:debt_letter)."""
    require_perm(by, "benefits.manage_debt")
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        today = timezone.localdate()
        if repay_by is None:
            try:
                days = int(policy_decimal("debt_repay_days", on=today, region=debt.region))
            except PolicyParameterMissingError:
                days = DEFAULT_REPAY_DAYS
            repay_by = today + timedelta(days=days)
        before = debt.status
        debt.letter_issued_at = timezone.now()
        debt.repay_by = repay_by
        if debt.status == DebtStatus.DETECTED:
            debt.status = DebtStatus.ORDERED
        debt.save(update_fields=["letter_issued_at", "repay_by", "status"])
        audit_event_record(
            actor=by,
            action="benefits.debt.order",
            target=debt,
            changes={"status": [before, debt.status], "repay_by": repay_by.isoformat()},
        )
    return debt


def debt_entry_post(
    *,
    debt_id: int,
    kind: str,
    amount: Decimal,
    reference: str = "",
    note: str = "",
    by: User | None,
    payment: Payment | None = None,
    instalment: Instalment | None = None,
) -> DebtEntry:
    """One ledger entry: what is owed goes down by `amount` (up, for a reversal) and the debt
    is settled when it reaches zero. Never below zero: the database checks it too."""
    with transaction.atomic():
        debt = _lock(debt_id)
        if reference:
            existing = DebtEntry.objects.filter(debt=debt, kind=kind, reference=reference).first()
            if existing is not None:
                return existing
        if kind != DebtEntryKind.OFFSET_REVERSAL and amount > debt.outstanding:
            raise DebtOverRepaymentError(
                _("%(amount)s is more than the %(owed)s still owed.")
                % {"amount": amount, "owed": debt.outstanding},
                outstanding=str(debt.outstanding),
            )
        entry = DebtEntry.objects.create(
            debt=debt,
            kind=kind,
            amount=amount,
            payment=payment,
            instalment=instalment,
            reference=reference[:100],
            note=note[:300],
            recorded_by=by,
        )
        before = debt.status
        debt.outstanding -= amount
        if debt.outstanding == 0:
            debt.status = DebtStatus.SETTLED
            debt.settled_at = timezone.now()
            InstalmentPlan.objects.filter(debt=debt, status=InstalmentPlanStatus.ACTIVE).update(
                status=InstalmentPlanStatus.COMPLETED
            )
        elif debt.status == DebtStatus.SETTLED:  # a reversal reopens it
            debt.status = DebtStatus.ORDERED
            debt.settled_at = None
        debt.save(update_fields=["outstanding", "status", "settled_at"])
        audit_event_record(
            actor=by,
            action=f"benefits.debt.{kind}",
            target=debt,
            changes={
                "amount": str(amount),
                "outstanding": str(debt.outstanding),
                "status": [before, debt.status],
                "reference": reference,
            },
            note=note,
        )
    return entry


def debt_repayment_record(
    *, debt_id: int, amount: Decimal, reference: str, by: User, note: str = ""
) -> DebtEntry:
    """A repayment received (in full or an instalment): applied to the oldest instalments due."""
    require_perm(by, "benefits.manage_debt")
    if amount <= 0 or not reference.strip():
        raise InvalidInputError(
            _("A repayment needs a positive amount and the receipt reference."),
            fields={"amount": [_("Enter a positive amount.")], "reference": []},
        )
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        entry = debt_entry_post(
            debt_id=debt.pk,
            kind=DebtEntryKind.REPAYMENT,
            amount=money(amount),
            reference=reference,
            note=note,
            by=by,
        )
        _instalments_apply(debt, money(amount))
    return entry


def _instalments_apply(debt: Debt, amount: Decimal) -> None:
    plan = debt.instalment_plans.filter(status=InstalmentPlanStatus.ACTIVE).first()
    if plan is None:
        return
    left = amount
    open_ones = (
        plan.instalments.select_for_update()
        .filter(status__in=[InstalmentStatus.DUE, InstalmentStatus.MISSED])
        .order_by("number")
    )
    for instalment in open_ones:
        if left <= 0:
            break
        take = min(left, instalment.amount - instalment.paid_amount)
        instalment.paid_amount += take
        left -= take
        if instalment.paid_amount >= instalment.amount:
            instalment.status = InstalmentStatus.PAID
            instalment.paid_at = timezone.now()
        instalment.save(update_fields=["paid_amount", "status", "paid_at"])


def debt_instalments_agree(
    *,
    debt_id: int,
    count: int,
    first_due: date,
    by: User,
    agreed_on: date | None = None,
    missed_limit: int = 2,
) -> InstalmentPlan:
    """Art. 46: a repayment agreement in `count` monthly instalments of equal amounts (the last
    one takes the cents left by rounding half-up)."""
    require_perm(by, "benefits.manage_debt")
    if not 2 <= count <= 120:
        raise InvalidInputError(
            _("Choose between 2 and 120 instalments."), fields={"count": [_("2 to 120")]}
        )
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        if debt.status == DebtStatus.OFFSETTING:
            raise DebtStateError(_("Stop offsetting before agreeing instalments."))
        debt.instalment_plans.filter(status=InstalmentPlanStatus.ACTIVE).update(
            status=InstalmentPlanStatus.CANCELLED
        )
        plan = InstalmentPlan.objects.create(
            debt=debt,
            count=count,
            first_due=first_due,
            agreed_on=agreed_on or timezone.localdate(),
            missed_limit=missed_limit,
            created_by=by,
        )
        each = money(debt.outstanding / count)
        amounts = [each] * (count - 1) + [debt.outstanding - each * (count - 1)]
        Instalment.objects.bulk_create(
            Instalment(plan=plan, number=n, due_date=_due(first_due, n - 1), amount=amount)
            for n, amount in enumerate(amounts, start=1)
        )
        before = debt.status
        debt.status = DebtStatus.INSTALMENTS
        debt.save(update_fields=["status"])
        audit_event_record(
            actor=by,
            action="benefits.debt.instalments",
            target=debt,
            changes={
                "status": [before, debt.status],
                "count": count,
                "first_due": first_due.isoformat(),
                "amounts": [str(a) for a in amounts],
            },
        )
    return plan


def _due(first: date, months: int) -> date:
    month = month_add(first.replace(day=1), months)
    import calendar as cal

    return month.replace(day=min(first.day, cal.monthrange(month.year, month.month)[1]))


def instalments_follow_up(*, today: date | None = None) -> dict[str, int]:
    """Instalments due before today and not paid are missed; a plan with `missed_limit` missed
    ones defaults and its debt returns to a repayment order (the clerk may then offset). Selects
    by state, so a day the scheduler missed is caught up and a re-run changes nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        missed = Instalment.objects.filter(
            status=InstalmentStatus.DUE,
            due_date__lt=today,
            plan__status=InstalmentPlanStatus.ACTIVE,
        ).update(status=InstalmentStatus.MISSED, missed_at=timezone.now())
        defaulted = 0
        missed_by_plan = dict(
            Instalment.objects.filter(
                status=InstalmentStatus.MISSED, plan__status=InstalmentPlanStatus.ACTIVE
            )
            .values("plan_id")
            .annotate(n=Count("id"))
            .values_list("plan_id", "n")
        )
        plans = InstalmentPlan.objects.select_for_update().filter(
            pk__in=list(missed_by_plan), status=InstalmentPlanStatus.ACTIVE
        )
        for plan in plans.order_by("pk"):
            count = missed_by_plan[plan.pk]
            if count < plan.missed_limit:
                continue
            plan.status = InstalmentPlanStatus.DEFAULTED
            plan.save(update_fields=["status"])
            debt = _lock(plan.debt_id)
            if debt.status == DebtStatus.INSTALMENTS:
                debt.status = DebtStatus.ORDERED
                debt.save(update_fields=["status"])
            audit_event_record(
                actor=None,
                action="benefits.debt.instalments_default",
                target=debt,
                changes={"plan": plan.pk, "missed": count},
            )
            defaulted += 1
    return {"missed": missed, "defaulted": defaulted}


def debt_offset_benefit_start(*, debt_id: int, award_id: int, by: User) -> Debt:
    """Art. 46: offset the debt against the person's later payments of `award_id`; the payment
    run deducts at most the regional cap from each payment."""
    require_perm(by, "benefits.manage_debt")
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        award = Award.objects.select_for_update().get(pk=award_id)
        if award.person_id != debt.person_id or award.status not in (
            AwardStatus.ACTIVE,
            AwardStatus.SUSPENDED,
        ):
            raise AwardStateError(_("Offset only against an active award of the same person."))
        if (
            Debt.objects.filter(offset_award=award, status=DebtStatus.OFFSETTING)
            .exclude(pk=debt.pk)
            .exists()
        ):
            raise DebtStateError(_("Another overpayment is already offset against this award."))
        for key in ("offset_cap_ratio", "offset_cap_amount"):
            try:
                policy_decimal(key, on=timezone.localdate(), region=award.region)
                break
            except PolicyParameterMissingError:
                continue
        else:
            raise PolicyParameterMissingError(
                _(
                    "No offset cap is in force for this region (offset_cap_ratio or "
                    "offset_cap_amount)."
                ),
                key="offset_cap_ratio",
            )
        before = debt.status
        debt.instalment_plans.filter(status=InstalmentPlanStatus.ACTIVE).update(
            status=InstalmentPlanStatus.CANCELLED
        )
        debt.status = DebtStatus.OFFSETTING
        debt.offset_award = award
        debt.save(update_fields=["status", "offset_award"])
        audit_event_record(
            actor=by,
            action="benefits.debt.offset_benefit",
            target=debt,
            changes={"status": [before, debt.status], "award": award.pk},
        )
    return debt


def debt_offset_benefit_stop(*, debt_id: int, by: User) -> Debt:
    require_perm(by, "benefits.manage_debt")
    with transaction.atomic():
        debt = _lock(debt_id)
        if debt.status != DebtStatus.OFFSETTING:
            raise DebtStateError(_("This overpayment is not being offset."))
        debt.status = DebtStatus.ORDERED
        debt.save(update_fields=["status"])
        audit_event_record(
            actor=by,
            action="benefits.debt.offset_stop",
            target=debt,
            changes={"status": [DebtStatus.OFFSETTING, DebtStatus.ORDERED]},
        )
    return debt


def debt_offset_account(*, debt_id: int, by: User, amount: Decimal | None = None) -> DebtEntry:
    """Art. 46: offset against the personal-account balance (e.g. at inheritance, SIL Art. 14),
    posted as a deduction in registration's ledger; at most what is owed and what is there."""
    from registration.models import AccountEntryKind
    from registration.selectors import account_balance
    from registration.services.accounts import account_post

    require_perm(by, "benefits.manage_debt")
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        balance = account_balance(person_id=debt.person_id)
        take = min(debt.outstanding, balance, amount if amount is not None else debt.outstanding)
        if take <= 0:
            raise DebtStateError(_("The personal account has no balance to offset."))
        number = debt.entries.filter(kind=DebtEntryKind.OFFSET_ACCOUNT).count() + 1
        reference = f"benefits:debt:{debt.pk}:{number}"
        account_post(
            person_id=debt.person_id,
            kind=AccountEntryKind.DEDUCTION,
            amount=take,
            reference=reference,
            by=by,
            note=_("Offset of overpayment %(debt)s (Art. 46)") % {"debt": debt.pk},
        )
        return debt_entry_post(
            debt_id=debt.pk,
            kind=DebtEntryKind.OFFSET_ACCOUNT,
            amount=take,
            reference=reference,
            by=by,
        )


def debt_write_off(*, debt_id: int, reason: str, by: User) -> Debt:
    """Write off what is still owed (e.g. no estate): a supervisor's decision (Art. 37 lists
    overpayment write-offs among the high-risk matters)."""
    require_perm(by, "benefits.write_off_debt")
    if not reason.strip():
        raise InvalidInputError(_("Say why."), fields={"reason": [_("This field is required.")]})
    with transaction.atomic():
        debt = _lock(debt_id)
        _require_open(debt)
        if debt.created_by_id == by.pk:
            raise DebtStateError(_("Another person must write off an overpayment you recorded."))
        debt_entry_post(
            debt_id=debt.pk,
            kind=DebtEntryKind.WRITE_OFF,
            amount=debt.outstanding,
            reference=f"write-off:{debt.pk}",
            note=reason,
            by=by,
        )
        Debt.objects.filter(pk=debt.pk).update(status=DebtStatus.WRITTEN_OFF)
        debt.refresh_from_db()
    return debt


def fraud_referral_record(
    *,
    person: InsuredPerson,
    department: str,
    grounds: str,
    evidence: str,
    by: User,
    debt: Debt | None = None,
    amount_involved: Decimal | None = None,
) -> FraudReferral:
    """Arts. 44 and 55: refer suspected fraud to the administrative department (which alone
    orders return and fines, SIL Art. 88) and record the referral."""
    require_perm(by, "benefits.manage_debt")
    if not (department.strip() and grounds.strip() and evidence.strip()):
        raise InvalidInputError(
            _("A referral names the department, the grounds and the evidence."),
            fields={"department": [], "grounds": [], "evidence": []},
        )
    with transaction.atomic():
        referral = FraudReferral.objects.create(
            person=person,
            debt=debt,
            department=department[:200],
            grounds=grounds,
            evidence=evidence,
            amount_involved=amount_involved
            if amount_involved is not None
            else (debt.amount if debt else Decimal("0")),
            referred_by=by,
        )
        if debt is not None:
            Debt.objects.filter(pk=debt.pk).update(is_fraud_suspected=True)
        audit_event_record(
            actor=by,
            action="benefits.fraud_referral.record",
            target=referral,
            changes={
                "department": department,
                "debt": debt.pk if debt else None,
                "amount_involved": str(referral.amount_involved),
            },
        )
    return referral


def fraud_referral_outcome_record(
    *,
    referral_id: int,
    outcome: str,
    by: User,
    department_reference: str = "",
    penalised: bool = True,
) -> FraudReferral:
    """Record what the department decided (its return order and fine are its own acts)."""
    require_perm(by, "benefits.manage_debt")
    with transaction.atomic():
        referral = FraudReferral.objects.select_for_update().get(pk=referral_id)
        if referral.status != FraudReferralStatus.REFERRED:
            raise DebtStateError(_("The department's decision was already recorded."))
        referral.status = FraudReferralStatus.DECIDED if penalised else FraudReferralStatus.CLOSED
        referral.outcome = outcome
        referral.department_reference = department_reference[:100]
        referral.outcome_recorded_at = timezone.now()
        referral.save(
            update_fields=["status", "outcome", "department_reference", "outcome_recorded_at"]
        )
        audit_event_record(
            actor=by,
            action="benefits.fraud_referral.outcome",
            target=referral,
            changes={"status": [FraudReferralStatus.REFERRED, referral.status]},
            note=outcome,
        )
    return referral
