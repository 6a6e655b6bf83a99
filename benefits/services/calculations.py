"""From a claim to its calculation: the person's records (registration selectors), the regional
figures in force (benefits.selectors, effective-dated policy), the pure calculators, and what a
grant would award. Everything the numbers rest on is kept in the snapshot (DecisionCalculation),
and `calculation_reproduce` runs the calculator again from it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from benefits import selectors
from benefits.calculators import maternity as maternity_calc
from benefits.calculators import pension as pension_calc
from benefits.calculators import retirement as retirement_calc
from benefits.calculators import survivors as survivors_calc
from benefits.calculators import unemployment as unemployment_calc
from benefits.calculators import work_injury as wi_calc
from benefits.calculators.common import (
    Age,
    CalculationInputError,
    Step,
    YearMonth,
    fmt_money,
    snapshot,
)
from benefits.models import (
    FUNERAL_KINDS,
    Award,
    AwardKind,
    Claim,
    ClaimKind,
    DecisionCalculation,
    Frequency,
    Payment,
    PaymentStatus,
    Scheme,
)
from benefits.services.common import money, month_add, month_start
from core.errors import InvalidInputError
from core.policy import PolicyParameterMissingError, PolicyValue, policy_value

REG = "社会保险经办条例"


@dataclass
class Computed:
    rule_version: str
    inputs: dict[str, Any]
    steps: list[Step]
    is_eligible: bool
    reasons: str
    legal_basis: str
    sources: list[PolicyValue] = field(default_factory=list)
    monthly_amount: Decimal | None = None
    one_off_amount: Decimal | None = None
    start_month: date | None = None
    end_month: date | None = None
    awards: list[dict[str, Any]] = field(default_factory=list)


def step_dict(step: Step) -> dict[str, str]:
    return {
        "label_zh": step.label_zh,
        "label_en": step.label_en,
        "value": step.value,
        "value_zh": step.value_zh,
        "rule": step.rule,
        "formula": step.formula,
    }


def steps_of(calculation: DecisionCalculation) -> list[Step]:
    return [Step(**item) for item in calculation.steps]


def source_dict(value: PolicyValue) -> dict[str, Any]:
    return {
        "key": value.key,
        "value": value.value,
        "valid_from": value.valid_from.isoformat(),
        "region": value.region_code,
        "source": value.source,
    }


def _award(
    kind: AwardKind,
    scheme: Scheme,
    frequency: Frequency,
    amount: Decimal,
    start: date,
    end: date | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "scheme": scheme.value,
        "frequency": frequency.value,
        "amount": str(amount),
        "start_month": start.isoformat(),
        "end_month": end.isoformat() if end else None,
    }


# ---------------------------------------------------------------------------------------------
# input helpers: clear field errors for the clerk's form and the API


def _decimal(inputs: dict[str, Any], name: str, default: str | None = None) -> Decimal:
    raw = inputs.get(name)
    if raw in ("", None):
        raw = default
    try:
        return Decimal(str(raw))
    except (InvalidOperation, TypeError):
        raise InvalidInputError(
            _("Enter a number."), fields={name: [_("Enter a number.")]}
        ) from None


def _int(inputs: dict[str, Any], name: str, default: int = 0) -> int:
    raw = inputs.get(name, default)
    try:
        return int(raw if raw not in ("", None) else default)
    except (TypeError, ValueError):
        raise InvalidInputError(
            _("Enter a whole number."), fields={name: [_("Enter a whole number.")]}
        ) from None


def _date(inputs: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(str(inputs.get(name, "")))
    except ValueError:
        raise InvalidInputError(
            _("Enter a date (YYYY-MM-DD)."), fields={name: [_("Enter a date (YYYY-MM-DD).")]}
        ) from None


def _calc_error(error: CalculationInputError) -> InvalidInputError:
    return InvalidInputError(error.message_en, fields={error.field: [error.message_zh]})


def _policy(key: str, *, on: date, claim: Claim) -> PolicyValue:
    return policy_value(key, on=on, region=claim.case.pooling_region)


def _material_present(claim: Claim, code: str) -> bool:
    return bool(claim.case.materials.filter(item_material__code=code).exists())


# ---------------------------------------------------------------------------------------------
# pension (Art. 18; SIL Arts. 15-16; 国发〔2005〕38号; the 2025 retirement reform)

PENSION_BASIS = (
    f"《中华人民共和国社会保险法》第十五条、第十六条；《国务院关于完善企业职工基本养老保险制度的决定》"
    f"（国发〔2005〕38号）第六条；《国务院关于渐进式延迟法定退休年龄的办法》第一条至第三条；"
    f"《{REG}》第十八条"
)


def _pension(claim: Claim) -> Computed:
    from registration.selectors import account_balance, contribution_months

    inputs = claim.inputs
    person = claim.person
    category = retirement_calc.RetirementCategory(inputs.get("category", "male"))
    retirement = retirement_calc.statutory_retirement(person.birth_date, category)
    chosen = inputs.get("retirement_month") or ""
    month = YearMonth.parse(chosen) if chosen else retirement.retirement_month
    steps = [s for s in retirement.steps if s.rule == retirement_calc.ART_1]
    in_window = retirement.earliest_month <= month <= retirement.latest_month
    if chosen:
        steps.append(
            Step(
                "申请退休年月（弹性退休）",
                "Retirement month applied for (flexible)",
                str(month),
                retirement_calc.ART_3,
                f"{retirement.earliest_month} – {retirement.latest_month}",
            )
        )
    on = date(month.year, month.month, 1)
    # Contributions up to the retirement month (registration's record, Art. 11) plus the
    # deemed years (视同缴费) the clerk confirmed from the file.
    recorded = contribution_months(person_id=person.pk, insurance_type="pension_employee", until=on)
    deemed = _int(inputs, "deemed_months")
    balance = account_balance(person_id=person.pk)
    policy = selectors.pension_policy_get(region=claim.case.pooling_region, on=on)
    steps.append(
        Step(
            "实际缴费月数 + 视同缴费月数",
            "Months contributed + deemed months",
            f"{recorded} + {deemed} = {recorded + deemed}",
            f"《{REG}》第十一条",
        )
    )
    try:
        result = pension_calc.pension_calculate(
            pension_calc.PensionInput(
                retirement_age=retirement.age_in(month),
                contribution_months=recorded + deemed,
                min_contribution_months=retirement.min_contribution_months,
                average_contribution_index=_decimal(inputs, "average_contribution_index"),
                local_average_monthly_wage=policy.local_average_monthly_wage,
                personal_account_balance=balance,
                divisor_strategy=policy.divisor_strategy,
                transitional_pension=_decimal(inputs, "transitional_pension", "0"),
            )
        )
    except CalculationInputError as error:
        raise _calc_error(error) from None
    steps += list(result.steps)
    eligible = result.is_eligible and in_window
    start = _pension_start(claim, month)
    snap = {
        "calculator": "pension",
        "birth_date": person.birth_date.isoformat(),
        "category": category.value,
        "retirement_month": str(month),
        "recorded_months": recorded,
        "deemed_months": deemed,
        "pension_input": snapshot(result.inputs),
    }
    computed = Computed(
        rule_version=f"{result.rule_version}+{retirement.rule_version}",
        inputs=snap,
        steps=steps,
        is_eligible=eligible,
        reasons="",
        legal_basis=PENSION_BASIS,
        sources=list(policy.sources),
    )
    if eligible and result.total is not None:
        computed.monthly_amount = result.total
        computed.start_month = start
        computed.awards = [
            _award(AwardKind.PENSION, Scheme.PENSION, Frequency.MONTHLY, result.total, start)
        ]
        computed.reasons = (
            f"申请人已达退休年龄（{retirement.age_in(month).zh}），累计缴费（含视同）"
            f"{recorded + deemed}个月，不少于最低缴费年限{retirement.min_contribution_months}"
            f"个月，符合按月领取基本养老金条件。月基本养老金{fmt_money(result.total)}元，"
            f"自{start:%Y年%m月}起按月发放。\n"
            f"The applicant has reached retirement age and has {recorded + deemed} months of "
            f"contributions (incl. deemed), at least the {retirement.min_contribution_months} "
            f"required: a monthly basic pension of {fmt_money(result.total)} yuan from "
            f"{start:%Y-%m}."
        )
    elif not in_window:
        computed.reasons = (
            f"申请的退休年月{month}不在弹性退休可选范围（{retirement.earliest_month}至"
            f"{retirement.latest_month}）内。\nThe retirement month {month} is outside the "
            f"flexible window {retirement.earliest_month} – {retirement.latest_month}."
        )
    else:
        computed.reasons = (
            f"累计缴费（含视同）{recorded + deemed}个月，不足最低缴费年限"
            f"{retirement.min_contribution_months}个月，尚差{result.shortfall_months}个月；"
            f"可以延长缴费或者一次性缴费至最低缴费年限后按月领取（办法第二条）。\n"
            f"{recorded + deemed} months of contributions are {result.shortfall_months} short of "
            f"the {retirement.min_contribution_months} required; the applicant may keep paying "
            f"or pay a lump sum to reach the minimum."
        )
    return computed


def _pension_start(claim: Claim, month: YearMonth) -> date:
    """benefit-rules.md (b): the pension starts the month after the retirement month, or in
    it: local practice, policy "pension_start_rule"."""
    on = date(month.year, month.month, 1)
    try:
        rule = _policy("pension_start_rule", on=on, claim=claim).value
    except PolicyParameterMissingError:
        rule = "MONTH_AFTER_RETIREMENT"
    return on if rule == "RETIREMENT_MONTH" else month_add(on, 1)


def _pension_reproduce(inputs: dict[str, Any]) -> dict[str, str]:
    raw = inputs["pension_input"]
    age = raw["retirement_age"]
    years, _sep, rest = age.partition("y")
    result = pension_calc.pension_calculate(
        pension_calc.PensionInput(
            retirement_age=Age(int(years), int(rest.rstrip("m") or 0)),
            contribution_months=int(raw["contribution_months"]),
            min_contribution_months=int(raw["min_contribution_months"]),
            average_contribution_index=Decimal(raw["average_contribution_index"]),
            local_average_monthly_wage=Decimal(raw["local_average_monthly_wage"]),
            personal_account_balance=Decimal(raw["personal_account_balance"]),
            divisor_strategy=pension_calc.DivisorStrategy(raw["divisor_strategy"]),
            transitional_pension=Decimal(raw["transitional_pension"]),
        )
    )
    return {"monthly_amount": str(result.total) if result.total is not None else ""}


# ---------------------------------------------------------------------------------------------
# unemployment (Art. 24; SIL Arts. 45-50)

UNEMPLOYMENT_BASIS = (
    f"《中华人民共和国社会保险法》第四十五条至第四十八条、第五十条；《失业保险条例》第十四条、"
    f"第十七条、第十八条；《{REG}》第二十四条"
)


def _unemployment(claim: Claim) -> Computed:
    from registration.selectors import contribution_months, employment_last_ended

    inputs = claim.inputs
    person = claim.person
    registered_on = _date(inputs, "registration_date")
    months = contribution_months(
        person_id=person.pk, insurance_type="unemployment", until=registered_on
    )
    last = employment_last_ended(person_id=person.pk)
    involuntary = bool(last is not None and last.ended_involuntarily)
    registered = bool(inputs.get("is_registered", True))
    carried = _int(inputs, "carried_over_months")
    steps = [
        Step(
            "最近一次劳动关系终止原因",
            "How the last employment ended",
            last.get_end_reason_display() if last else _("no ended employment on record"),
            unemployment_calc.SIL_45,
            last.end_date.isoformat() if last and last.end_date else "",
        )
    ]
    try:
        entitlement = unemployment_calc.unemployment_entitlement(
            contribution_months=months,
            carried_over_months=carried,
            is_involuntary=involuntary,
            is_registered=registered,
        )
    except CalculationInputError as error:
        raise _calc_error(error) from None
    snap: dict[str, Any] = {
        "calculator": "unemployment",
        "contribution_months": months,
        "carried_over_months": carried,
        "is_involuntary": involuntary,
        "is_registered": registered,
        "end_reason": last.end_reason if last else "",
        "registration_date": registered_on.isoformat(),
    }
    computed = Computed(
        rule_version=entitlement.rule_version,
        inputs=snap,
        steps=steps + list(entitlement.steps),
        is_eligible=entitlement.is_eligible,
        reasons="",
        legal_basis=UNEMPLOYMENT_BASIS,
    )
    if not entitlement.is_eligible:
        computed.reasons = (
            "不符合领取失业保险金条件：" + "、".join(entitlement.refusals) + "。\n"
            "Not eligible for unemployment benefit: " + ", ".join(entitlement.refusals) + "."
        )
        return computed
    policy = selectors.unemployment_policy_get(region=claim.case.pooling_region, on=registered_on)
    benefit = unemployment_calc.unemployment_benefit(
        entitlement=entitlement,
        monthly_amount=policy.monthly_amount,
        registration_date=registered_on,
    )
    snap["monthly_amount"] = str(benefit.monthly_amount)
    start = month_start(registered_on)
    # SIL Art. 50 ¶3: from the registration day, month by month; paid by whole months here
    # (the first month in full), over the entitled months.
    end = month_add(start, benefit.months - 1)
    computed.steps = steps + list(benefit.steps)
    computed.sources = list(policy.sources)
    computed.monthly_amount = benefit.monthly_amount
    computed.start_month, computed.end_month = start, end
    computed.awards = [
        _award(
            AwardKind.UNEMPLOYMENT,
            Scheme.UNEMPLOYMENT,
            Frequency.MONTHLY,
            benefit.monthly_amount,
            start,
            end,
        )
    ]
    computed.reasons = (
        f"非因本人意愿中断就业，已办理失业登记，失业前累计缴费{months}个月，符合领取条件。"
        f"失业保险金每月{fmt_money(benefit.monthly_amount)}元，领取{benefit.months}个月"
        f"（{start:%Y年%m月}至{end:%Y年%m月}）；领取期间由失业保险基金代缴基本医疗保险费。\n"
        f"Involuntary loss of work, registered as unemployed, {months} months of contributions: "
        f"{fmt_money(benefit.monthly_amount)} yuan a month for {benefit.months} months "
        f"({start:%Y-%m} – {end:%Y-%m}); the UI fund pays the medical insurance contributions."
    )
    return computed


def _unemployment_reproduce(inputs: dict[str, Any]) -> dict[str, str]:
    entitlement = unemployment_calc.unemployment_entitlement(
        contribution_months=int(inputs["contribution_months"]),
        carried_over_months=int(inputs["carried_over_months"]),
        is_involuntary=bool(inputs["is_involuntary"]),
        is_registered=bool(inputs["is_registered"]),
    )
    if not entitlement.is_eligible:
        return {"monthly_amount": ""}
    benefit = unemployment_calc.unemployment_benefit(
        entitlement=entitlement, monthly_amount=Decimal(inputs["monthly_amount"])
    )
    return {"monthly_amount": str(benefit.monthly_amount)}


# ---------------------------------------------------------------------------------------------
# maternity allowance (Art. 20 ¶3; SIL Art. 56; 女职工劳动保护特别规定 Arts. 7-8)

MATERNITY_BASIS = (
    f"《中华人民共和国社会保险法》第五十六条；《女职工劳动保护特别规定》第七条、第八条；"
    f"《{REG}》第二十条第三款"
)


def _maternity(claim: Claim) -> Computed:
    inputs = claim.inputs
    on = _date(inputs, "leave_start")
    policy = selectors.maternity_policy_get(region=claim.case.pooling_region, on=on)
    has_records = _material_present(claim, "medical_records")
    try:
        result = maternity_calc.maternity_allowance(
            employer_average_monthly_wage=_decimal(inputs, "employer_average_monthly_wage"),
            case=maternity_calc.MaternityCase(inputs.get("case", "normal")),
            extra_infants=_int(inputs, "extra_infants"),
            provincial_extra_days=_int(inputs, "provincial_extra_days"),
            daily_divisor=policy.daily_divisor,
        )
    except (CalculationInputError, ValueError) as error:
        if isinstance(error, CalculationInputError):
            raise _calc_error(error) from None
        raise InvalidInputError(str(error), fields={"case": [str(error)]}) from None
    steps = [
        Step(
            "病历资料",
            "Medical records",
            _("received") if has_records else _("missing"),
            f"《{REG}》第二十条第三款",
        ),
        *result.steps,
    ]
    snap = {
        "calculator": "maternity",
        **snapshot_args(inputs, on=on.isoformat()),
        "daily_divisor": str(policy.daily_divisor),
    }
    start = month_start(claim.case.received_on)
    computed = Computed(
        rule_version=result.rule_version,
        inputs=snap,
        steps=steps,
        is_eligible=has_records,
        reasons="",
        legal_basis=MATERNITY_BASIS,
        sources=list(policy.sources),
    )
    if has_records:
        computed.one_off_amount = result.amount
        computed.start_month = start
        computed.awards = [
            _award(
                AwardKind.MATERNITY_ALLOWANCE,
                Scheme.MATERNITY,
                Frequency.ONE_OFF,
                result.amount,
                start,
            )
        ]
        computed.reasons = (
            f"生育津贴按{result.days}天计发，共{fmt_money(result.amount)}元。\n"
            f"Maternity allowance for {result.days} days: {fmt_money(result.amount)} yuan."
        )
    else:
        computed.reasons = (
            "未提交病历资料（第二十条第三款）。\nThe medical records (Art. 20 ¶3) are missing."
        )
    return computed


def snapshot_args(inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**{key: snapshot(value) for key, value in inputs.items()}, **extra}


def _maternity_reproduce(inputs: dict[str, Any]) -> dict[str, str]:
    result = maternity_calc.maternity_allowance(
        employer_average_monthly_wage=Decimal(inputs["employer_average_monthly_wage"]),
        case=maternity_calc.MaternityCase(inputs.get("case", "normal")),
        extra_infants=int(inputs.get("extra_infants") or 0),
        provincial_extra_days=int(inputs.get("provincial_extra_days") or 0),
        daily_divisor=Decimal(inputs["daily_divisor"]),
    )
    return {"one_off_amount": str(result.amount)}


# ---------------------------------------------------------------------------------------------
# work injury: disability (WIR Arts. 35-37), death (WIR Art. 39)

WI_DISABILITY_BASIS = "《工伤保险条例》第三十五条至第三十七条、第六十四条"
WI_DEATH_BASIS = "《工伤保险条例》第三十九条、第六十四条；《中华人民共和国社会保险法》第四十九条"


def _wi_disability(claim: Claim) -> Computed:
    inputs = claim.inputs
    on = _date(inputs, "appraisal_date")
    policy = selectors.work_injury_policy_get(region=claim.case.pooling_region, on=on)
    try:
        result = wi_calc.work_injury_disability(
            level=_int(inputs, "level"),
            own_monthly_wage=_decimal(inputs, "own_monthly_wage"),
            local_average_monthly_wage=policy.local_average_monthly_wage,
            minimum_monthly_wage=policy.minimum_monthly_wage,
        )
    except CalculationInputError as error:
        raise _calc_error(error) from None
    start = month_add(month_start(on), 1)
    awards = [
        _award(
            AwardKind.WI_DISABILITY_GRANT,
            Scheme.WORK_INJURY,
            Frequency.ONE_OFF,
            result.one_off_grant,
            month_start(claim.case.received_on),
        )
    ]
    fund_pays = result.allowance_payer == wi_calc.AllowancePayer.FUND
    monthly = None
    if result.monthly_allowance is not None and fund_pays:
        # WIR Art. 35: levels 1-4, the WI fund pays, topped up to the minimum wage.
        monthly = money(result.monthly_allowance + result.minimum_wage_top_up)
        awards.append(
            _award(
                AwardKind.WI_DISABILITY_ALLOWANCE,
                Scheme.WORK_INJURY,
                Frequency.MONTHLY,
                monthly,
                start,
            )
        )
    snap = {
        "calculator": "wi_disability",
        **snapshot_args(inputs),
        "local_average_monthly_wage": str(policy.local_average_monthly_wage),
        "minimum_monthly_wage": snapshot(policy.minimum_monthly_wage),
    }
    reasons = (
        f"经劳动能力鉴定为{result.level}级伤残：一次性伤残补助金{fmt_money(result.one_off_grant)}元"
    )
    reasons_en = (
        f"Disability level {result.level}: one-off disability grant "
        f"{fmt_money(result.one_off_grant)} yuan"
    )
    if monthly is not None:
        reasons += (
            f"；伤残津贴每月{fmt_money(monthly)}元，自{start:%Y年%m月}起由工伤保险基金按月支付"
        )
        reasons_en += f"; disability allowance {fmt_money(monthly)} yuan a month from {start:%Y-%m}"
    elif result.monthly_allowance is not None:
        reasons += "；伤残津贴由用人单位按月发放（第三十六条）"
        reasons_en += "; the employer pays the disability allowance (Art. 36)"
    return Computed(
        rule_version=result.rule_version,
        inputs=snap,
        steps=list(result.steps),
        is_eligible=True,
        reasons=f"{reasons}。\n{reasons_en}.",
        legal_basis=WI_DISABILITY_BASIS,
        sources=list(policy.sources),
        monthly_amount=monthly,
        one_off_amount=result.one_off_grant,
        start_month=start,
        awards=awards,
    )


def _wi_disability_reproduce(inputs: dict[str, Any]) -> dict[str, str]:
    minimum = inputs.get("minimum_monthly_wage")
    result = wi_calc.work_injury_disability(
        level=int(inputs["level"]),
        own_monthly_wage=Decimal(inputs["own_monthly_wage"]),
        local_average_monthly_wage=Decimal(inputs["local_average_monthly_wage"]),
        minimum_monthly_wage=Decimal(minimum) if minimum else None,
    )
    return {"one_off_amount": str(result.one_off_grant)}


def _funeral_paid(claim: Claim) -> bool:
    """SIL Art. 49 ¶2: one funeral subsidy across pension, work injury and unemployment."""
    return Award.objects.filter(person=claim.person, kind__in=FUNERAL_KINDS).exists()


def _wi_death(claim: Claim) -> Computed:
    inputs = claim.inputs
    died = _date(inputs, "death_date")
    policy = selectors.work_injury_policy_get(region=claim.case.pooling_region, on=died)
    dependants = [
        wi_calc.Dependant(
            kind=wi_calc.DependantKind(item.get("kind", "other")),
            is_lone_elderly_or_orphan=bool(item.get("lone")),
            name=str(item.get("name", "")),
        )
        for item in inputs.get("dependants", [])
    ]
    try:
        result = wi_calc.work_injury_death(
            own_monthly_wage=_decimal(inputs, "own_monthly_wage"),
            local_average_monthly_wage=policy.local_average_monthly_wage,
            national_disposable_income=policy.national_disposable_income,
            dependants=dependants,
            scaling=policy.survivor_scaling,
            is_level_1_4_after_leave=bool(inputs.get("is_level_1_4_after_leave")),
        )
    except CalculationInputError as error:
        raise _calc_error(error) from None
    steps = list(result.steps)
    funeral = result.funeral_grant
    if _funeral_paid(claim):
        funeral = Decimal("0.00")
        steps.append(
            Step(
                "丧葬补助金：已由其他险种支付，不重复支付",
                "Funeral grant: already paid by another scheme, not paid again",
                "0.00",
                "中华人民共和国社会保险法 第四十九条第二款",
            )
        )
    now = month_start(claim.case.received_on)
    start = month_add(month_start(died), 1)
    awards = []
    if funeral > 0:
        awards.append(
            _award(AwardKind.WI_FUNERAL_GRANT, Scheme.WORK_INJURY, Frequency.ONE_OFF, funeral, now)
        )
    if result.death_grant:
        awards.append(
            _award(
                AwardKind.WI_DEATH_GRANT,
                Scheme.WORK_INJURY,
                Frequency.ONE_OFF,
                result.death_grant,
                now,
            )
        )
    if result.survivor_pensions_total > 0:
        awards.append(
            _award(
                AwardKind.WI_SURVIVOR_PENSION,
                Scheme.WORK_INJURY,
                Frequency.MONTHLY,
                result.survivor_pensions_total,
                start,
            )
        )
    one_off = funeral + (result.death_grant or Decimal("0"))
    snap = {
        "calculator": "wi_death",
        **snapshot_args(inputs),
        "local_average_monthly_wage": str(policy.local_average_monthly_wage),
        "national_disposable_income": str(policy.national_disposable_income),
        "funeral_already_paid": funeral == 0,
    }
    return Computed(
        rule_version=result.rule_version,
        inputs=snap,
        steps=steps,
        is_eligible=True,
        reasons=(
            f"因工死亡：丧葬补助金{fmt_money(funeral)}元，一次性工亡补助金"
            f"{fmt_money(result.death_grant or Decimal('0'))}元，供养亲属抚恤金每月"
            f"{fmt_money(result.survivor_pensions_total)}元。\n"
            f"Death at work: funeral grant {fmt_money(funeral)}, one-off death grant "
            f"{fmt_money(result.death_grant or Decimal('0'))}, survivor pensions "
            f"{fmt_money(result.survivor_pensions_total)} a month."
        ),
        legal_basis=WI_DEATH_BASIS,
        sources=list(policy.sources),
        monthly_amount=result.survivor_pensions_total or None,
        one_off_amount=one_off,
        start_month=start,
        awards=awards,
    )


# ---------------------------------------------------------------------------------------------
# survivors of a pension participant (Art. 19; 人社部发〔2021〕18号; SIL Arts. 17, 49)

SURVIVORS_BASIS = (
    f"《中华人民共和国社会保险法》第十七条、第四十九条；《企业职工基本养老保险遗属待遇暂行办法》"
    f"（人社部发〔2021〕18号）；《{REG}》第十九条"
)


def _survivors(claim: Claim) -> Computed:
    from registration.selectors import contribution_history, contribution_months

    inputs = claim.inputs
    person = claim.person
    died = _date(inputs, "death_date")
    policy = selectors.survivor_policy_get(region=claim.case.pooling_region, on=died)
    months = contribution_months(
        person_id=person.pk, insurance_type="pension_employee", until=died
    ) + _int(inputs, "deemed_months")
    pension = Award.objects.filter(person=person, kind=AwardKind.PENSION).first()
    received = 0
    if pension is not None:
        # Months of pension paid (counted to the month: 人社部发〔2021〕18号 Art. 5).
        received = (
            Payment.objects.filter(award=pension, period__lte=died)
            .exclude(status=PaymentStatus.CANCELLED)
            .count()
        )
    own = sum(
        (
            Decimal(str(row["personal_amount"] or 0))
            for row in contribution_history(person_id=person.pk)
            if row["insurance_type"] == "pension_employee"
        ),
        Decimal("0"),
    )
    funeral_paid = _funeral_paid(claim)
    try:
        result = survivors_calc.survivor_benefits(
            monthly_income=policy.monthly_income,
            contribution_months=months,
            is_retiree=pension is not None,
            pension_months_received=received,
            own_contributions_total=own,
            is_funeral_already_paid=funeral_paid,
        )
    except CalculationInputError as error:
        raise _calc_error(error) from None
    now = month_start(claim.case.received_on)
    awards = []
    if result.funeral_subsidy > 0:
        awards.append(
            _award(
                AwardKind.FUNERAL_SUBSIDY,
                Scheme.PENSION,
                Frequency.ONE_OFF,
                result.funeral_subsidy,
                now,
            )
        )
    if result.survivor_benefit > 0:
        awards.append(
            _award(
                AwardKind.SURVIVOR_BENEFIT,
                Scheme.PENSION,
                Frequency.ONE_OFF,
                result.survivor_benefit,
                now,
            )
        )
    snap = {
        "calculator": "survivors",
        "death_date": died.isoformat(),
        "monthly_income": str(policy.monthly_income),
        "contribution_months": months,
        "is_retiree": pension is not None,
        "pension_months_received": received,
        "own_contributions_total": str(own),
        "funeral_already_paid": funeral_paid,
    }
    return Computed(
        rule_version=result.rule_version,
        inputs=snap,
        steps=list(result.steps),
        is_eligible=True,
        reasons=(
            f"丧葬补助金{fmt_money(result.funeral_subsidy)}元，抚恤金"
            f"{fmt_money(result.survivor_benefit)}元，合计{fmt_money(result.total)}元。\n"
            f"Funeral subsidy {fmt_money(result.funeral_subsidy)}, survivors' benefit "
            f"{fmt_money(result.survivor_benefit)}, total {fmt_money(result.total)} yuan."
        ),
        legal_basis=SURVIVORS_BASIS,
        sources=list(policy.sources),
        one_off_amount=result.total,
        start_month=now,
        awards=awards,
    )


def _survivors_reproduce(inputs: dict[str, Any]) -> dict[str, str]:
    result = survivors_calc.survivor_benefits(
        monthly_income=Decimal(inputs["monthly_income"]),
        contribution_months=int(inputs["contribution_months"]),
        is_retiree=bool(inputs["is_retiree"]),
        pension_months_received=int(inputs["pension_months_received"]),
        own_contributions_total=Decimal(inputs["own_contributions_total"]),
        is_funeral_already_paid=bool(inputs["funeral_already_paid"]),
    )
    return {"one_off_amount": str(result.total)}


# ---------------------------------------------------------------------------------------------
# manual reimbursements (Art. 20 ¶2: 30 WD; Art. 22 ¶2: 20 WD) and the training subsidy

REIMBURSEMENT_MATERIALS = ("invoices", "cost_list", "diagnosis", "medical_records")


def _reimbursement(claim: Claim, *, kind: AwardKind, scheme: Scheme, article: str) -> Computed:
    inputs = claim.inputs
    invoiced = money(_decimal(inputs, "invoices_total"))
    payable = money(_decimal(inputs, "payable_amount"))
    if payable > invoiced:
        raise InvalidInputError(
            _("The fund-payable part cannot exceed the invoices."),
            fields={"payable_amount": [_("At most the invoices' total.")]},
        )
    missing = [code for code in REIMBURSEMENT_MATERIALS if not _material_present(claim, code)]
    basis = f"《{REG}》{article}"
    steps = [
        Step("收费票据金额合计", "Invoices, total", fmt_money(invoiced), basis),
        Step(
            "材料：票据、费用清单、诊断证明、病历资料",
            "Materials: invoices, itemised list, diagnosis, medical records",
            ", ".join(missing) if missing else _("complete"),
            basis,
        ),
        Step(
            "经审核由基金支付的部分",
            "Part payable by the fund, as reviewed",
            fmt_money(payable),
            basis,
            str(inputs.get("review_note", "")),
        ),
    ]
    now = month_start(claim.case.received_on)
    eligible = not missing and payable > 0
    computed = Computed(
        rule_version="reimbursement@2023-12-01/1",
        inputs={"calculator": "reimbursement", **snapshot_args(inputs)},
        steps=steps,
        is_eligible=eligible,
        reasons="",
        legal_basis=basis,
    )
    if eligible:
        computed.one_off_amount = payable
        computed.start_month = now
        computed.awards = [_award(kind, scheme, Frequency.ONE_OFF, payable, now)]
        computed.reasons = (
            f"经审核，报销{fmt_money(payable)}元（票据合计{fmt_money(invoiced)}元）。\n"
            f"Reimbursed {fmt_money(payable)} of {fmt_money(invoiced)} yuan invoiced."
        )
    else:
        computed.reasons = (
            "材料不全或无可报销费用：" + (", ".join(missing) or "0") + "。\n"
            "Materials missing or nothing payable: " + (", ".join(missing) or "0") + "."
        )
    return computed


def _medical_reimbursement(claim: Claim) -> Computed:
    return _reimbursement(
        claim, kind=AwardKind.MEDICAL_REIMBURSEMENT, scheme=Scheme.MEDICAL, article="第二十条第二款"
    )


def _wi_reimbursement(claim: Claim) -> Computed:
    return _reimbursement(
        claim,
        kind=AwardKind.WI_REIMBURSEMENT,
        scheme=Scheme.WORK_INJURY,
        article="第二十二条第二款",
    )


def _training_subsidy(claim: Claim) -> Computed:
    """Art. 24 ¶3: a vocational qualification or skill-level certificate is required; the
    amount by certificate level is regional (policy "training_subsidy_amount_<level>")."""
    inputs = claim.inputs
    level = str(inputs.get("certificate_level", "")).strip() or "default"
    number = str(inputs.get("certificate_number", "")).strip()
    has_certificate = _material_present(claim, "skill_certificate") and bool(number)
    on = claim.case.received_on
    try:
        amount_value = _policy(f"training_subsidy_amount_{level}", on=on, claim=claim)
    except PolicyParameterMissingError:
        amount_value = _policy("training_subsidy_amount", on=on, claim=claim)
    amount = money(amount_value.as_decimal())
    basis = f"《{REG}》第二十四条第三款"
    steps = [
        Step(
            "职业资格证书或职业技能等级证书",
            "Vocational qualification or skill-level certificate",
            f"{number or '—'} ({level})",
            basis,
        ),
        Step(
            "补贴标准", "Subsidy", fmt_money(amount), f"{amount_value.key} ({amount_value.source})"
        ),
    ]
    now = month_start(on)
    computed = Computed(
        rule_version="training_subsidy@2023-12-01/1",
        inputs={"calculator": "training_subsidy", **snapshot_args(inputs), "amount": str(amount)},
        steps=steps,
        is_eligible=has_certificate,
        reasons="",
        legal_basis=basis,
        sources=[amount_value],
    )
    if has_certificate:
        computed.one_off_amount = amount
        computed.start_month = now
        computed.awards = [
            _award(AwardKind.TRAINING_SUBSIDY, Scheme.UNEMPLOYMENT, Frequency.ONE_OFF, amount, now)
        ]
        computed.reasons = (
            f"取得证书{number}，核发职业培训补贴{fmt_money(amount)}元。\n"
            f"Certificate {number}: training subsidy {fmt_money(amount)} yuan."
        )
    else:
        computed.reasons = (
            "未提交职业资格证书或职业技能等级证书（第二十四条第三款）。\n"
            "No vocational qualification or skill-level certificate (Art. 24 ¶3)."
        )
    return computed


# ---------------------------------------------------------------------------------------------
# Art. 21 work-injury applications: decisions without money

ART_21 = f"《{REG}》第二十一条"
ART_21_MATTERS = {
    ClaimKind.WI_APPRAISAL: (
        "劳动能力鉴定",
        "labour-capacity appraisal",
        "《工伤保险条例》第二十三条、第二十五条",
    ),
    ClaimKind.WI_DEVICE: (
        "配置辅助器具确认",
        "assistive-device confirmation",
        "《工伤保险条例》第三十二条",
    ),
    ClaimKind.WI_LEAVE_EXTENSION: (
        "停工留薪期延长确认",
        "extension of paid injury leave",
        "《工伤保险条例》第三十三条",
    ),
    ClaimKind.WI_RECURRENCE: (
        "旧伤复发确认",
        "confirmation of a recurring injury",
        "《工伤保险条例》第三十八条",
    ),
}


def _art21(claim: Claim) -> Computed:
    zh, en, wir = ART_21_MATTERS[ClaimKind(claim.kind)]
    inputs = claim.inputs
    has_diagnosis = _material_present(claim, "diagnosis")
    has_records = _material_present(claim, "medical_records")
    finding = str(inputs.get("finding", "")).strip()
    confirmed = bool(inputs.get("confirmed")) and has_diagnosis and has_records
    steps = [
        Step(
            "诊断证明",
            "Diagnosis certificate",
            _("received") if has_diagnosis else _("missing"),
            ART_21,
        ),
        Step("病历资料", "Medical records", _("received") if has_records else _("missing"), ART_21),
        Step("审核意见", "Finding", finding or "—", wir),
    ]
    if claim.kind == ClaimKind.WI_LEAVE_EXTENSION:
        months = _int(inputs, "extension_months")
        if not 1 <= months <= 12:
            raise InvalidInputError(
                _("Paid injury leave is extended by 1 to 12 months (WIR Art. 33)."),
                fields={"extension_months": [_("1 to 12")]},
            )
        steps.append(Step("延长月数", "Months of extension", str(months), wir, "≤ 12"))
    outcome_zh = "予以确认" if confirmed else "不予确认"
    return Computed(
        rule_version="wi_art21@2023-12-01/1",
        inputs={
            "calculator": "art21",
            **snapshot_args(inputs),
            "diagnosis": has_diagnosis,
            "medical_records": has_records,
        },
        steps=steps,
        is_eligible=confirmed,
        reasons=(
            f"{zh}：{outcome_zh}。{finding}\n{en}: "
            f"{'confirmed' if confirmed else 'not confirmed'}. {finding}"
        ),
        legal_basis=f"{ART_21}；{wir}",
    )


# ---------------------------------------------------------------------------------------------

CALCULATORS: dict[str, Callable[[Claim], Computed]] = {
    ClaimKind.PENSION: _pension,
    ClaimKind.UNEMPLOYMENT: _unemployment,
    ClaimKind.MATERNITY: _maternity,
    ClaimKind.WI_DISABILITY: _wi_disability,
    ClaimKind.WI_DEATH: _wi_death,
    ClaimKind.SURVIVORS: _survivors,
    ClaimKind.MEDICAL_REIMBURSEMENT: _medical_reimbursement,
    ClaimKind.WI_REIMBURSEMENT: _wi_reimbursement,
    ClaimKind.TRAINING_SUBSIDY: _training_subsidy,
    ClaimKind.WI_APPRAISAL: _art21,
    ClaimKind.WI_DEVICE: _art21,
    ClaimKind.WI_LEAVE_EXTENSION: _art21,
    ClaimKind.WI_RECURRENCE: _art21,
}

REPRODUCERS: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "pension": _pension_reproduce,
    "unemployment": _unemployment_reproduce,
    "maternity": _maternity_reproduce,
    "wi_disability": _wi_disability_reproduce,
    "survivors": _survivors_reproduce,
}


def compute(claim: Claim) -> Computed:
    """The claim's calculation by its kind (a missing regional figure raises
    PolicyParameterMissingError: never guessed)."""
    return CALCULATORS[claim.kind](claim)


def calculation_reproduce(calculation: DecisionCalculation) -> dict[str, str] | None:
    """Run the calculator again from the stored snapshot alone (no database, no policy table):
    the amounts it gives, for comparison with the stored ones. None when the kind's inputs are
    not a calculation (reimbursements, Art. 21 findings)."""
    reproduce = REPRODUCERS.get(str(calculation.inputs.get("calculator")))
    return reproduce(calculation.inputs) if reproduce is not None else None
