"""Reads for benefits: the regional and yearly figures the pure calculators take as arguments.

Each figure is an effective-dated policy parameter (core.policy): the value in force on the date
of the event (retirement, injury, death, registration) for the person's region, else its parent's,
else the national row. A decision stores the `sources` beside its snapshot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from benefits.calculators.maternity import DEFAULT_DAILY_DIVISOR
from benefits.calculators.pension import DivisorStrategy
from benefits.calculators.work_injury import SurvivorScaling
from benefits.models import (
    Award,
    AwardAdjustment,
    AwardStatus,
    Claim,
    ClaimStatus,
    Debt,
    Payment,
    PaymentRun,
    PaymentRunStatus,
    PaymentStatus,
)
from core.models import Region
from core.policy import (
    PolicyParameterMissingError,
    PolicyValue,
    policy_value,
    register_key,
)

if TYPE_CHECKING:
    from accounts.models import User

# The pension's 计发基数 is the foundation's key "average_monthly_wage".
PENSION_BASE_WAGE = "average_monthly_wage"
PENSION_DIVISOR_STRATEGY = "pension_divisor_strategy"
UI_MONTHLY_AMOUNT = "ui_monthly_amount"
UI_MEDICAL_BASE = "ui_medical_contribution_base"
UI_MEDICAL_RATE = "ui_medical_contribution_rate"
WI_AVERAGE_WAGE = "wi_average_monthly_wage"
MINIMUM_MONTHLY_WAGE = "minimum_monthly_wage"
NATIONAL_DISPOSABLE_INCOME = "national_urban_disposable_income"
WI_SURVIVOR_SCALING = "wi_survivor_scaling"
SURVIVOR_MONTHLY_INCOME = "province_monthly_urban_disposable_income"
MATERNITY_DAILY_DIVISOR = "maternity_daily_divisor"

POLICY_KEYS: dict[str, tuple[str, str]] = {
    PENSION_DIVISOR_STRATEGY: (
        "choice",
        "How the months-divisor table is read for ages with months: INTERPOLATE_MONTHLY_1DP or "
        "FLOOR_WHOLE_YEAR (计发月数; benefit-rules.md (a))",
    ),
    UI_MONTHLY_AMOUNT: (
        "decimal",
        "Unemployment benefit per month, yuan; not below the minimum living standard "
        "(失业保险金标准; SIL Art. 47)",
    ),
    UI_MEDICAL_BASE: (
        "decimal",
        "Monthly base of the medical contribution the UI fund pays for a beneficiary, yuan "
        "(SIL Art. 48)",
    ),
    UI_MEDICAL_RATE: (
        "decimal",
        "Rate of that medical contribution, e.g. 0.09 (SIL Art. 48; 经办条例 Art. 24)",
    ),
    WI_AVERAGE_WAGE: (
        "decimal",
        "Pooling-area prior-year average monthly wage for work injury, yuan: own-wage floor and "
        "cap, funeral grant, nursing allowance (工伤保险条例 Arts. 34, 39, 64)",
    ),
    MINIMUM_MONTHLY_WAGE: (
        "decimal",
        "Local minimum monthly wage, yuan: work-injury allowance top-up (工伤保险条例 Arts. 35-36)",
    ),
    NATIONAL_DISPOSABLE_INCOME: (
        "decimal",
        "Prior-year national urban per-capita disposable income, yuan a year: work-injury death "
        "grant (工伤保险条例 Art. 39); national row",
    ),
    WI_SURVIVOR_SCALING: (
        "choice",
        "How capped work-injury survivor pensions are scaled: PRO_RATA (工伤保险条例 Art. 39)",
    ),
    SURVIVOR_MONTHLY_INCOME: (
        "decimal",
        "Province's prior-year monthly urban per-capita disposable income, yuan: funeral subsidy "
        "and 抚恤金 (人社部发〔2021〕18号)",
    ),
    MATERNITY_DAILY_DIVISOR: (
        "decimal",
        "Days the employer's average monthly wage is divided by for the daily maternity "
        "allowance; 30 when not set (benefit-rules.md (e))",
    ),
}


def register_policy_keys() -> None:
    """Declare the parameters benefits reads, so the admin knows and checks them."""
    for key, (kind, description) in POLICY_KEYS.items():
        register_key(key, kind, description)


def _choice[E: enum.StrEnum](choices: type[E], value: PolicyValue) -> E:
    try:
        return choices(value.value)
    except ValueError:
        allowed = ", ".join(choice.value for choice in choices)
        raise PolicyParameterMissingError(
            f"policy parameter {value.key} is {value.value!r}, not one of {allowed}",
            key=value.key,
        ) from None


@dataclass(frozen=True)
class PensionPolicy:
    local_average_monthly_wage: Decimal
    divisor_strategy: DivisorStrategy
    sources: tuple[PolicyValue, ...]


def pension_policy_get(*, region: Region | None, on: date) -> PensionPolicy:
    """计发基数 and the divisor strategy in force at retirement (benefit-rules.md (a))."""
    wage = policy_value(PENSION_BASE_WAGE, on=on, region=region)
    strategy = policy_value(PENSION_DIVISOR_STRATEGY, on=on, region=region)
    return PensionPolicy(wage.as_decimal(), _choice(DivisorStrategy, strategy), (wage, strategy))


@dataclass(frozen=True)
class UnemploymentPolicy:
    monthly_amount: Decimal
    medical_contribution_base: Decimal
    medical_contribution_rate: Decimal
    sources: tuple[PolicyValue, ...]


def unemployment_policy_get(*, region: Region | None, on: date) -> UnemploymentPolicy:
    """The monthly benefit and the medical contribution the fund pays (SIL Arts. 47-48)."""
    amount = policy_value(UI_MONTHLY_AMOUNT, on=on, region=region)
    base = policy_value(UI_MEDICAL_BASE, on=on, region=region)
    rate = policy_value(UI_MEDICAL_RATE, on=on, region=region)
    return UnemploymentPolicy(
        amount.as_decimal(), base.as_decimal(), rate.as_decimal(), (amount, base, rate)
    )


@dataclass(frozen=True)
class WorkInjuryPolicy:
    local_average_monthly_wage: Decimal
    national_disposable_income: Decimal
    minimum_monthly_wage: Decimal | None
    survivor_scaling: SurvivorScaling
    sources: tuple[PolicyValue, ...]


def work_injury_policy_get(*, region: Region | None, on: date) -> WorkInjuryPolicy:
    """Average wage, national income, minimum wage and survivor scaling (工伤保险条例)."""
    wage = policy_value(WI_AVERAGE_WAGE, on=on, region=region)
    income = policy_value(NATIONAL_DISPOSABLE_INCOME, on=on, region=region)
    scaling = policy_value(WI_SURVIVOR_SCALING, on=on, region=region)
    sources = [wage, income, scaling]
    try:
        minimum = policy_value(MINIMUM_MONTHLY_WAGE, on=on, region=region)
    except PolicyParameterMissingError:
        minimum_wage = None  # no top-up can be computed; the award states it
    else:
        minimum_wage = minimum.as_decimal()
        sources.append(minimum)
    return WorkInjuryPolicy(
        wage.as_decimal(),
        income.as_decimal(),
        minimum_wage,
        _choice(SurvivorScaling, scaling),
        tuple(sources),
    )


@dataclass(frozen=True)
class SurvivorPolicy:
    monthly_income: Decimal
    sources: tuple[PolicyValue, ...]


def survivor_policy_get(*, region: Region | None, on: date) -> SurvivorPolicy:
    """The province's prior-year monthly urban income at the death (人社部发〔2021〕18号)."""
    income = policy_value(SURVIVOR_MONTHLY_INCOME, on=on, region=region)
    return SurvivorPolicy(income.as_decimal(), (income,))


@dataclass(frozen=True)
class MaternityPolicy:
    daily_divisor: Decimal
    sources: tuple[PolicyValue, ...]


def maternity_policy_get(*, region: Region | None, on: date) -> MaternityPolicy:
    """The daily divisor for the maternity allowance: the region's, else the common 30."""
    try:
        divisor = policy_value(MATERNITY_DAILY_DIVISOR, on=on, region=region)
    except PolicyParameterMissingError:
        return MaternityPolicy(DEFAULT_DAILY_DIVISOR, ())
    return MaternityPolicy(divisor.as_decimal(), (divisor,))


# ---------------------------------------------------------------------------------------------
# Clerk reads: every one starts from the scoping rule (`.visible_to(user)`).


def user_region(user: User) -> Region | None:
    """The pooling region a staff member works for (where their runs and awards are)."""
    from benefits.models.scoping import staff_region_id

    region_id = staff_region_id(user)
    return Region.objects.filter(pk=region_id).first() if region_id is not None else None


def claims_for_clerk(*, user: User, status: str = "", limit: int = 200) -> list[Claim]:
    claims = Claim.objects.visible_to(user).select_related("case", "person")
    if status:
        claims = claims.filter(status=status)
    return list(claims.order_by("-id")[:limit])


def claim_get(*, user: User, claim_id: int) -> Claim:
    return (
        Claim.objects.visible_to(user)
        .select_related("case__item", "case__assignee", "person", "region")
        .get(pk=claim_id)
    )


def claim_context(*, user: User, claim: Claim) -> dict[str, Any]:
    """What the claim page shows and which actions the user may take now (the services check
    again: these only decide which buttons appear)."""
    from cases.models import CaseStatus, DecisionStatus

    case = claim.case
    decisions = list(case.decisions.prefetch_related("approvals__approver").order_by("pk"))
    pending = next((d for d in decisions if d.status == DecisionStatus.PROPOSED), None)
    effective = next((d for d in decisions if d.status == DecisionStatus.EFFECTIVE), None)
    calculations = list(claim.calculations.select_related("computed_by"))
    mine = case.assignee_id == user.pk
    open_claim = claim.status in (ClaimStatus.FILED, ClaimStatus.CALCULATED)
    reviewing = case.status in (CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW)
    can_check = (
        pending is not None
        and pending.maker_id != user.pk
        and (user.has_perm("cases.review_case") or user.has_perm("cases.supervise_case"))
        and all(a.approver_id != user.pk for a in pending.approvals.all())
    )
    return {
        "claim": claim,
        "case": case,
        "decisions": decisions,
        "pending": pending,
        "effective": effective,
        "calculation": calculations[0] if calculations else None,
        "calculations": calculations,
        "awards": list(claim.awards.order_by("pk")),
        "can": {
            "accept": case.status == CaseStatus.SUBMITTED
            and user.has_perm("cases.handle_case")
            and case.assignee_id in (None, user.pk),
            "calculate": mine and open_claim and reviewing,
            "propose": mine
            and claim.status == ClaimStatus.CALCULATED
            and pending is None
            and reviewing,
            "approve": can_check,
            "letter": effective is not None,
        },
    }


def awards_for_clerk(
    *, user: User, query: str = "", status: str = "", limit: int = 200
) -> list[Award]:
    from registration.selectors import person_get_by_id_number

    awards = Award.objects.visible_to(user).select_related("person")
    if status:
        awards = awards.filter(status=status)
    if query:
        person = person_get_by_id_number(query) if len(query) == 18 else None
        awards = (
            awards.filter(person=person)
            if person is not None
            else awards.filter(person__name__icontains=query)
        )
    return list(awards.order_by("-id")[:limit])


def awards_for_person(*, person_id: int) -> list[Award]:
    """A person's awards, for their rights record (registration's 权益记录单, Art. 32)."""
    return list(Award.objects.filter(person_id=person_id).order_by("start_month", "pk"))


def award_context(award: Award) -> dict[str, Any]:
    payments = list(
        Payment.objects.filter(award=award).select_related("bank_run").order_by("-period")[:36]
    )
    return {
        "award": award,
        "amounts": list(award.amounts.select_related("adjustment").order_by("effective_month")),
        "holds": list(award.holds.select_related("opened_by", "released_by")),
        "payments": [(p, payment_state(p)) for p in payments],
        "debts": list(Debt.objects.filter(award=award).order_by("-pk")),
        "offsets": list(Debt.objects.filter(offset_award=award).order_by("-pk")),
    }


def payment_state(payment: Payment) -> str:
    """The payment's state as people read it: a pending payment in a released bank file is
    with the bank ("sent"); stored states otherwise (PaymentStatus)."""
    released = (PaymentRunStatus.RELEASED, PaymentRunStatus.RECONCILED)
    bank_run = payment.bank_run
    if payment.status == PaymentStatus.PENDING and bank_run and bank_run.status in released:
        return str(_("Sent to the bank"))
    return str(PaymentStatus(payment.status).label)


def run_context(run: PaymentRun) -> dict[str, Any]:
    return {
        "run": run,
        "chunks_done": run.chunks.filter(generation=run.generation).count(),
        "reconciliations": list(run.reconciliations.select_related("imported_by")),
        "sample": [
            (payment, payment_state(payment))
            for payment in Payment.objects.filter(bank_run=run)
            .select_related("award", "bank_run")
            .order_by("id")[:20]
        ],
        "is_building": run.status == PaymentRunStatus.BUILDING,
    }


def run_chart(runs: list[PaymentRun]) -> list[dict[str, Any]]:
    """Bars for the totals chart: net paid per run, oldest first, scaled to the largest."""
    ordered = sorted(runs, key=lambda run: run.period)[-12:]
    largest = max((run.net_total for run in ordered), default=Decimal("0")) or Decimal("1")
    return [
        {
            "run": run,
            "label": f"{run.period:%Y-%m}",
            "value": run.net_total,
            "percent": int(run.net_total * 100 / largest),
        }
        for run in ordered
    ]


def debts_for_clerk(*, user: User, status: str = "", limit: int = 200) -> list[Debt]:
    debts = Debt.objects.visible_to(user).select_related("person", "award")
    if status:
        debts = debts.filter(status=status)
    return list(debts.order_by("-pk")[:limit])


def debt_context(debt: Debt) -> dict[str, Any]:
    from django.db.models import Sum

    ledger = debt.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    plan = debt.instalment_plans.order_by("-pk").first()
    return {
        "debt": debt,
        "periods": list(debt.periods.order_by("period")),
        "entries": list(debt.entries.select_related("recorded_by").order_by("recorded_at", "pk")),
        "ledger_total": ledger,
        "plan": plan,
        "instalments": list(plan.instalments.order_by("number")) if plan else [],
        "referrals": list(debt.fraud_referrals.select_related("referred_by")),
        "person_awards": list(
            Award.objects.filter(
                person_id=debt.person_id, status__in=[AwardStatus.ACTIVE, AwardStatus.SUSPENDED]
            )
        ),
    }


def adjustments_for(user: User) -> list[AwardAdjustment]:
    region_id = None
    region = user_region(user)
    if region is not None:
        region_id = region.pk
    rows = AwardAdjustment.objects.select_related("applied_by")
    if region_id is not None:
        rows = rows.filter(region_id=region_id)
    return list(rows.order_by("-effective_month", "-pk")[:50])
