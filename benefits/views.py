"""Public estimator pages (no login), for people who will never read an API.

Plain server-side forms that work without JavaScript; each result shows the whole calculation with
its legal basis. They call the same pure calculators as the API (benefits.api).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from benefits import estimates
from benefits.calculators.common import Age, CalculationInputError, Step
from benefits.calculators.maternity import MaternityCase, maternity_allowance
from benefits.calculators.pension import DivisorStrategy, PensionEstimate, pension_estimate
from benefits.calculators.retirement import RetirementCategory, statutory_retirement
from benefits.calculators.unemployment import unemployment_entitlement
from benefits.calculators.work_injury import AllowancePayer, work_injury_disability
from benefits.forms import (
    MaternityForm,
    PensionForm,
    RetirementForm,
    UnemploymentForm,
    WorkInjuryForm,
)

ESTIMATORS = [
    ("benefits:estimate_retirement", gettext_lazy("Retirement age")),
    ("benefits:estimate_pension", gettext_lazy("Basic pension")),
    ("benefits:estimate_unemployment", gettext_lazy("Unemployment benefit")),
    ("benefits:estimate_work_injury", gettext_lazy("Work-injury disability benefits")),
    ("benefits:estimate_maternity", gettext_lazy("Maternity allowance")),
]

Fact = tuple[str, str]


def _age(age: Age) -> str:
    if age.months:
        return pgettext("age", "%(years)s years %(months)s months") % {
            "years": age.years,
            "months": age.months,
        }
    return pgettext("age", "%(years)s years") % {"years": age.years}


def _period(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest:
        return pgettext("period", "%(years)s years %(months)s months") % {
            "years": years,
            "months": rest,
        }
    return pgettext("period", "%(years)s years") % {"years": years}


def _yuan(amount: Decimal) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}"}


def _page(
    request: HttpRequest,
    template: str,
    form: forms.Form,
    *,
    steps: tuple[Step, ...] = (),
    facts: list[Fact] | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "steps": steps,
        "facts": facts or [],
        "has_result": bool(facts),
        "estimators": ESTIMATORS,
        **extra,
    }
    return render(request, template, context)


def _refused(form: forms.Form, error: CalculationInputError) -> None:
    form.add_error(
        error.field if error.field in form.fields else None, estimates.error_message(error)
    )


def estimate_index(request: HttpRequest) -> HttpResponse:
    """The list of public estimators."""
    return render(request, "benefits/estimate/index.html", {"estimators": ESTIMATORS})


def estimate_retirement(request: HttpRequest) -> HttpResponse:
    """Statutory retirement age and month under the 2025 reform (办法 Arts. 1-3)."""
    form = RetirementForm(request.GET or None)
    if not form.is_valid():
        return _page(request, "benefits/estimate/retirement.html", form)
    result = statutory_retirement(
        form.cleaned_data["birth_date"], RetirementCategory(form.cleaned_data["category"])
    )
    facts = [
        (_("Statutory retirement age"), _age(result.statutory_age)),
        (_("Statutory retirement month"), str(result.retirement_month)),
        (
            _("Minimum contribution period for a monthly pension"),
            _period(result.min_contribution_months),
        ),
        (_("Earliest flexible (early) retirement month"), str(result.earliest_month)),
        (_("Latest flexible (delayed) retirement month"), str(result.latest_month)),
    ]
    return _page(
        request, "benefits/estimate/retirement.html", form, steps=result.steps, facts=facts
    )


def estimate_pension(request: HttpRequest) -> HttpResponse:
    """Basic pension at the statutory month (国发〔2005〕38号 §6; SIL Arts. 15-16)."""
    form = PensionForm(request.POST or None)
    template = "benefits/estimate/pension.html"
    if not form.is_valid():
        return _page(request, template, form)
    data = form.cleaned_data
    try:
        estimate = pension_estimate(
            birth_date=data["birth_date"],
            category=RetirementCategory(data["category"]),
            contribution_months=data["contribution_months"],
            average_contribution_index=data["average_contribution_index"],
            local_average_monthly_wage=data["local_average_monthly_wage"],
            personal_account_balance=data["personal_account_balance"],
            divisor_strategy=DivisorStrategy(data["divisor_strategy"]),
        )
    except CalculationInputError as error:
        _refused(form, error)
        return _page(request, template, form)
    return _page(
        request,
        template,
        form,
        steps=estimate.steps,
        facts=_pension_facts(estimate),
        eligible=estimate.pension.is_eligible,
        chart=_pension_chart(estimate),
    )


def _pension_facts(estimate: PensionEstimate) -> list[Fact]:
    pension, retirement = estimate.pension, estimate.retirement
    facts = [
        (_("Statutory retirement age"), _age(retirement.statutory_age)),
        (_("Retirement month"), str(retirement.retirement_month)),
    ]
    base, account, total = pension.base_pension, pension.account_pension, pension.total
    if base is None or account is None or total is None:  # below the minimum period
        return [
            *facts,
            (_("Monthly pension"), _("Not eligible: below the minimum contribution period")),
            (_("Months short"), str(pension.shortfall_months)),
            (_("Minimum contribution period"), _period(retirement.min_contribution_months)),
        ]
    return [
        *facts,
        (_("Months divisor"), str(pension.months_divisor)),
        (_("Base pension, monthly"), _yuan(base)),
        (_("Personal-account pension, monthly"), _yuan(account)),
        (_("Basic pension, monthly"), _yuan(total)),
    ]


def _pension_chart(estimate: PensionEstimate) -> dict[str, Any] | None:
    """Widths of the base and account parts of the pension in a 600-unit bar."""
    base, account, total = (
        estimate.pension.base_pension,
        estimate.pension.account_pension,
        estimate.pension.total,
    )
    if base is None or account is None or not total:
        return None
    width = 600
    base_width = int(base * width / total)
    return {
        "base_width": base_width,
        "account_width": width - base_width,
        "base": f"{base:,.2f}",
        "account": f"{account:,.2f}",
        "total": f"{total:,.2f}",
    }


def estimate_unemployment(request: HttpRequest) -> HttpResponse:
    """Eligibility and the maximum months of unemployment benefit (SIL Arts. 45-46)."""
    form = UnemploymentForm(request.GET or None)
    template = "benefits/estimate/unemployment.html"
    if not form.is_valid():
        return _page(request, template, form)
    result = unemployment_entitlement(
        contribution_months=form.cleaned_data["contribution_months"],
        carried_over_months=form.cleaned_data["carried_over_months"] or 0,
    )
    facts = [
        (
            _("Can you draw unemployment benefit?"),
            _("Yes, if you lost the job against your will and register as unemployed")
            if result.is_eligible
            else _("No: less than one year of contributions"),
        ),
        (_("Maximum months of benefit"), str(result.max_months)),
    ]
    return _page(request, template, form, steps=result.steps, facts=facts)


def estimate_work_injury(request: HttpRequest) -> HttpResponse:
    """Disability grant and allowance by level (工伤保险条例 Arts. 35-37, 64)."""
    form = WorkInjuryForm(request.POST or None)
    template = "benefits/estimate/work_injury.html"
    if not form.is_valid():
        return _page(request, template, form)
    result = work_injury_disability(**form.cleaned_data)
    payer = {
        AllowancePayer.FUND: _("The work-injury insurance fund"),
        AllowancePayer.EMPLOYER: _("Your employer, if it cannot arrange suitable work"),
        None: _("No monthly allowance at this level"),
    }[result.allowance_payer]
    facts = [
        (_("Own wage used"), _yuan(result.wage_used)),
        (_("One-off disability grant"), _yuan(result.one_off_grant)),
        (
            _("Monthly disability allowance"),
            _yuan(result.monthly_allowance) if result.monthly_allowance is not None else _("None"),
        ),
        (_("Who pays the allowance"), payer),
    ]
    return _page(request, template, form, steps=result.steps, facts=facts)


def estimate_maternity(request: HttpRequest) -> HttpResponse:
    """Maternity allowance (女职工劳动保护特别规定 Arts. 7-8; SIL Art. 56)."""
    form = MaternityForm(request.POST or None)
    template = "benefits/estimate/maternity.html"
    if not form.is_valid():
        return _page(request, template, form)
    try:
        result = maternity_allowance(
            employer_average_monthly_wage=form.cleaned_data["employer_average_monthly_wage"],
            case=MaternityCase(form.cleaned_data["case"]),
            extra_infants=form.cleaned_data["extra_infants"] or 0,
        )
    except CalculationInputError as error:
        _refused(form, error)
        return _page(request, template, form)
    facts = [
        (_("Leave days"), str(result.days)),
        (_("Maternity allowance"), _yuan(result.amount)),
    ]
    return _page(request, template, form, steps=result.steps, facts=facts)
