"""Forms of the public estimator pages: the same ranges as the API (benefits.estimates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from benefits import estimates
from benefits.calculators.maternity import MaternityCase
from benefits.calculators.pension import DEFAULT_DIVISOR_STRATEGY, DivisorStrategy
from benefits.calculators.retirement import RetirementCategory

CATEGORY_CHOICES = [
    (RetirementCategory.MALE.value, _("Man (original retirement age 60)")),
    (
        RetirementCategory.FEMALE_55.value,
        _("Woman, original retirement age 55 (management and technical posts)"),
    ),
    (RetirementCategory.FEMALE_50.value, _("Woman, original retirement age 50 (women workers)")),
]

DIVISOR_CHOICES = [
    (
        DivisorStrategy.INTERPOLATE_MONTHLY_1DP.value,
        _("By month: between the whole-year values, to one decimal (national default here)"),
    ),
    (DivisorStrategy.FLOOR_WHOLE_YEAR.value, _("By completed whole years of age")),
]

CASE_CHOICES = [
    (MaternityCase.NORMAL.value, _("Birth")),
    (MaternityCase.DIFFICULT.value, _("Difficult birth")),
    (MaternityCase.MISCARRIAGE_EARLY.value, _("Miscarriage before 4 months of pregnancy")),
    (MaternityCase.MISCARRIAGE_LATE.value, _("Miscarriage at 4 months of pregnancy or later")),
]

LEVEL_CHOICES = [(level, format_lazy(_("Level {level}"), level=level)) for level in range(1, 11)]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"autocomplete": "bday"})


def _money_field(label: Any, help_text: Any, *, minimum: str = "0.01") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(minimum),
        max_value=estimates.MAX_WAGE,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )


def _months_field(label: Any, help_text: Any, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class _EstimatorForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no ":" after the labels, in either language
        super().__init__(*args, **kwargs)


class RetirementForm(_EstimatorForm):
    birth_date = forms.DateField(
        label=_("Date of birth"),
        help_text=_("Only the year and month matter. Format: YYYY-MM-DD."),
        widget=_DateInput(),
        input_formats=["%Y-%m-%d"],
    )
    category = forms.ChoiceField(
        label=_("Who are you?"), choices=CATEGORY_CHOICES, widget=forms.RadioSelect
    )

    def clean_birth_date(self) -> date:
        day: date = self.cleaned_data["birth_date"]
        if not estimates.EARLIEST_BIRTH_DATE <= day <= estimates.latest_birth_date():
            raise forms.ValidationError(
                _("Enter a date of birth between %(earliest)s and today.")
                % {"earliest": estimates.EARLIEST_BIRTH_DATE.isoformat()}
            )
        return day


class PensionForm(RetirementForm):
    contribution_months = _months_field(
        _("Contribution months at retirement"),
        _("Actual and deemed (视同缴费) months together; 30 years is 360."),
        estimates.MAX_CONTRIBUTION_MONTHS,
    )
    average_contribution_index = forms.DecimalField(
        label=_("Average contribution index"),
        help_text=_(
            "Your contribution base divided by the average wage, averaged over your years; "
            "between 0.6 and 3; 1.2 means 1.2 times the average."
        ),
        max_digits=6,
        decimal_places=4,
        min_value=estimates.MIN_CONTRIBUTION_INDEX,
        max_value=estimates.MAX_CONTRIBUTION_INDEX,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    local_average_monthly_wage = _money_field(
        _("Local average monthly wage (yuan)"),
        _("The base your province publishes for pensions (计发基数) in the year you retire."),
    )
    personal_account_balance = forms.DecimalField(
        label=_("Personal account balance at retirement (yuan)"),
        help_text=_("See your rights record (权益记录单); add what you will pay until retirement."),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=estimates.MAX_MONEY,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    divisor_strategy = forms.ChoiceField(
        label=_("How the months divisor is read for an age with months"),
        choices=DIVISOR_CHOICES,
        initial=DEFAULT_DIVISOR_STRATEGY.value,
        widget=forms.RadioSelect,
    )


class UnemploymentForm(_EstimatorForm):
    contribution_months = _months_field(
        _("Unemployment insurance contribution months"),
        _("Months you and your employers paid unemployment insurance before losing the job."),
        estimates.MAX_CONTRIBUTION_MONTHS,
    )
    carried_over_months = forms.IntegerField(
        label=_("Unused months from your last benefit (optional)"),
        help_text=_("If you found work while on benefit, the months you did not draw."),
        min_value=0,
        max_value=estimates.MAX_CARRIED_OVER_MONTHS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class WorkInjuryForm(_EstimatorForm):
    level = forms.TypedChoiceField(
        label=_("Disability level"),
        help_text=_("Level 1 is the most severe, level 10 the least."),
        choices=LEVEL_CHOICES,
        coerce=int,
    )
    own_monthly_wage = _money_field(
        _("Your monthly wage (yuan)"),
        _("Your average monthly contribution wage over the 12 months before the injury."),
        minimum="0",
    )
    local_average_monthly_wage = _money_field(
        _("Local average monthly wage (yuan)"),
        _("The average monthly wage of employees in your pooling area."),
    )


class MaternityForm(_EstimatorForm):
    employer_average_monthly_wage = _money_field(
        _("Employer's average monthly wage last year (yuan)"),
        _("Your employer's average monthly wage of its employees in the previous year."),
    )
    case = forms.ChoiceField(
        label=_("What happened?"), choices=CASE_CHOICES, widget=forms.RadioSelect
    )
    extra_infants = forms.IntegerField(
        label=_("Extra infants"),
        help_text=_("For twins enter 1, for triplets 2; otherwise 0."),
        min_value=0,
        max_value=estimates.MAX_EXTRA_INFANTS,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
