"""Demo data for benefits (`make run`): regional figures, claims in several states, awards of
several kinds, last month's payment run approved and released with its bank file, the bank's
answer with a returned payment, and an overpayment with an instalment agreement.

Runs synchronously (the chunks and the bank file are built here, not left to the worker; a task
the broker delivers later finds the work done). Idempotent: every record is found by its
natural key or reference first.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from stdnum.cn import ric

from core.demo import DemoContext

if TYPE_CHECKING:
    from accounts.models import User
    from benefits.models import Award, PaymentRun
    from core.models import Region
    from registration.models import InsuredPerson

SOURCE = "演示数据 demo figure (illustrative)"
DEMO_POLICY = [
    # key, region code ("" national), value
    ("pension_divisor_strategy", "110000", "INTERPOLATE_MONTHLY_1DP"),
    ("pension_start_rule", "110000", "MONTH_AFTER_RETIREMENT"),
    ("offset_cap_ratio", "110000", "0.30"),
    ("ui_monthly_amount", "110000", "2286.00"),
    ("ui_medical_contribution_base", "110000", "6821.00"),
    ("ui_medical_contribution_rate", "110000", "0.09"),
    ("wi_average_monthly_wage", "110000", "11761.00"),
    ("minimum_monthly_wage", "110000", "2540.00"),
    ("national_urban_disposable_income", "", "51821.00"),
    ("wi_survivor_scaling", "", "PRO_RATA"),
    ("province_monthly_urban_disposable_income", "110000", "7045.00"),
    ("training_subsidy_amount", "110000", "1500.00"),
]
ACCOUNTS = "6222020200556677"


def _id_number(birth: str, sequence: int, region: str = "110105") -> str:
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def seed_benefits(ctx: DemoContext) -> None:
    clerk, reviewer = ctx.users.get("clerk"), ctx.users.get("reviewer")
    supervisor = ctx.users.get("supervisor")
    region = ctx.regions.get("110000")
    agency = ctx.agencies.get("BJ-SI")
    if clerk is None or reviewer is None or supervisor is None or region is None:
        return
    if agency is None:
        return
    _policies(ctx)
    pensioners = [
        _person(region, _id_number("19641115", 11 + 2 * n), name)
        for n, name in enumerate(["张建国", "李秀兰", "王德明", "刘淑珍", "陈国强"])
    ]
    _claims(pensioners, agency, clerk, reviewer)
    awards = _awards(region, clerk)
    today = timezone.localdate()
    period = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    run = _run(region, period, clerk, supervisor)
    if run is None:
        return
    _reconcile(run, clerk)
    _overpayment(awards, period, clerk)


def _policies(ctx: DemoContext) -> None:
    from core.models import PolicyParameter

    for key, region_code, value in DEMO_POLICY:
        PolicyParameter.objects.get_or_create(
            key=key,
            region=ctx.regions.get(region_code) if region_code else None,
            valid_from=date(2020, 1, 1),
            defaults={"value": value, "source": SOURCE},
        )


def _person(region: Region, id_number: str, name: str) -> InsuredPerson:
    from registration.models import RegistrationChannel
    from registration.services.accounts import account_post
    from registration.services.persons import person_register

    person, _created = person_register(
        id_number=id_number,
        name=name,
        region=region,
        channel=RegistrationChannel.COUNTER,
        by=None,
    )
    account_post(
        person_id=person.pk,
        kind="transfer_in",
        amount=Decimal("96000.00"),
        reference=f"demo-benefits-{person.pk}",
        by=None,
        note="演示数据 demo balance",
        year=2024,
    )
    return person


def _claims(pensioners: list[InsuredPerson], agency: object, clerk: User, reviewer: User) -> None:
    """Claims in several states: granted, awaiting the reviewer, calculated, just filed."""
    from benefits.models import Claim, ClaimStatus
    from benefits.services import claims

    states = ["granted", "granted", "proposed", "calculated", "filed"]
    for number, (person, state) in enumerate(zip(pensioners, states, strict=True)):
        reference = f"demo:benefits:pension:{number}"
        claim = claims.claim_file(
            kind="pension",
            person_id_number=person.id_number,
            channel="counter",
            received_by=agency,  # type: ignore[arg-type]
            by=clerk,
            inputs={
                "category": "male",
                "deemed_months": 360 - number * 12,
                "average_contribution_index": str(Decimal("1.0") + Decimal(number) / 10),
            },
            payee_bank="中国工商银行",
            payee_account=f"{ACCOUNTS}{number:03d}",
            reference=reference,
        )
        claim = Claim.objects.get(pk=claim.pk)
        if state == "filed" or claim.status != ClaimStatus.FILED:
            continue
        claims.claim_accept(claim_id=claim.pk, by=clerk)
        claims.claim_calculate(claim_id=claim.pk, by=clerk)
        if state == "calculated":
            continue
        claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
        if state == "granted":
            claims.claim_decision_approve(claim_id=claim.pk, by=reviewer)


def _awards(region: Region, clerk: User) -> list[Award]:
    """A few more awards of other kinds and pensions, so the run has something to show."""
    from benefits.models import Award, AwardKind, Frequency, Scheme
    from benefits.services.awards import AwardSpec, award_create

    kinds = [
        (AwardKind.PENSION, Scheme.PENSION, "3650.00"),
        (AwardKind.PENSION, Scheme.PENSION, "4120.50"),
        (AwardKind.PENSION, Scheme.PENSION, "2980.30"),
        (AwardKind.WI_DISABILITY_ALLOWANCE, Scheme.WORK_INJURY, "6400.00"),
        (AwardKind.WI_SURVIVOR_PENSION, Scheme.WORK_INJURY, "3200.00"),
        (AwardKind.UNEMPLOYMENT, Scheme.UNEMPLOYMENT, "2286.00"),
    ]
    created: list[Award] = []
    for number, (kind, scheme, amount) in enumerate(kinds):
        note = f"demo:benefits:award:{number}"
        existing = Award.objects.filter(note=note).first()
        if existing is not None:
            created.append(existing)
            continue
        person = _person(region, _id_number("19600301", 41 + 2 * number), f"演示领取人{number + 1}")
        created.append(
            award_create(
                person=person,
                region=region,
                spec=AwardSpec(
                    kind=kind,
                    scheme=scheme,
                    frequency=Frequency.MONTHLY,
                    amount=Decimal(amount),
                    start_month=date(2025, 1, 1),
                    end_month=None,
                    payee_name=person.name,
                    payee_bank="中国建设银行",
                    payee_account=f"{ACCOUNTS}{100 + number:03d}",
                    note=note,
                ),
                by=clerk,
            )
        )
    return created


def _run(region: Region, period: date, clerk: User, supervisor: User) -> PaymentRun | None:
    """Last month's run, built, approved and released here and now."""
    from benefits.models import PaymentRun, PaymentRunStatus
    from benefits.services import bankfile, runs

    run = PaymentRun.objects.filter(region=region, period=period).first()
    if run is None:
        run = runs.payment_run_start(region=region, period=period, by=clerk)
    for number in run.chunks.order_by("number").values_list("number", flat=True):
        runs.payment_run_chunk(run_id=run.pk, number=number)
    runs.payment_run_finalise(run_id=run.pk)
    run.refresh_from_db()
    if run.status == PaymentRunStatus.BUILT:
        runs.payment_run_approve(run_id=run.pk, by=supervisor)
        bankfile.payment_run_release(run_id=run.pk, by=supervisor)
    run.refresh_from_db()
    if run.status == PaymentRunStatus.APPROVED:
        bankfile.bank_file_write(run_id=run.pk)
        run.refresh_from_db()
    return run


def _reconcile(run: PaymentRun, clerk: User) -> None:
    """The bank's answer: all paid but one returned for a technical fault (sent again next
    month) and one to a closed account (held until the clerk has the account put right)."""
    from benefits.models import Payment, PaymentRunStatus
    from benefits.services import bankfile

    if run.status != PaymentRunStatus.RELEASED:
        return
    lines = ["reference,result,amount,reason_code,reason"]
    payments = list(Payment.objects.filter(bank_run=run, net__gt=0).order_by("pk"))
    for index, payment in enumerate(payments):
        if index == 1:
            lines.append(f"P{payment.pk},RETURNED,{payment.net},TECHNICAL,银行系统故障")
        elif index == 2:
            lines.append(f"P{payment.pk},RETURNED,{payment.net},ACCOUNT_CLOSED,账户已销户")
        else:
            lines.append(f"P{payment.pk},PAID,{payment.net},,")
    bankfile.reconciliation_import(
        run_id=run.pk,
        file_name=f"demo-reconciliation-{run.period:%Y%m}.csv",
        content="\n".join(lines).encode("utf-8"),
        by=clerk,
    )


def _overpayment(awards: list[Award], period: date, clerk: User) -> None:
    """A pensioner died before last month: last month's pension became an overpayment, which
    the family repays in three instalments (Art. 46)."""
    from benefits.models import AwardStatus, Debt
    from benefits.services import debts
    from benefits.services.awards import award_stop

    pension = next((a for a in awards if a.note == "demo:benefits:award:2"), None)
    if pension is None:
        return
    pension.refresh_from_db()
    if pension.status == AwardStatus.ACTIVE:
        award_stop(
            award_id=pension.pk,
            stop_date=period - timedelta(days=10),
            cause="死亡 death",
            evidence="民政部门死亡信息 civil affairs death record",
            by=clerk,
        )
    debt = Debt.objects.filter(award=pension).first()
    if debt is None or debt.instalment_plans.exists():
        return
    debts.debt_repayment_order(debt_id=debt.pk, by=clerk)
    debts.debt_instalments_agree(
        debt_id=debt.pk, count=3, first_due=timezone.localdate() + timedelta(days=15), by=clerk
    )
