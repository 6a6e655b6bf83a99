"""Forms of the clerk pages: a claim (common fields and the kind's own), and the actions on
awards, payment runs and overpayments. Forms only check shapes; the services hold the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from benefits.forms import CASE_CHOICES, CATEGORY_CHOICES, LEVEL_CHOICES
from benefits.models import AwardKind, ClaimKind
from benefits.services.claims import MONEY_KINDS

CHANNEL_CHOICES = [
    ("counter", _("At the counter")),
    ("online", _("Online")),
    ("self_service", _("Self-service terminal")),
    ("home_visit", _("Home visit")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    input_type = "month"


def _money(label: Any, *, required: bool = True, minimum: str = "0.00") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(minimum),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


def _kind_fields(kind: str) -> dict[str, forms.Field]:
    """The inputs each kind of claim needs besides the person and the payee."""
    fields: dict[str, dict[str, forms.Field]] = {
        ClaimKind.PENSION: {
            "category": forms.ChoiceField(label=_("Retirement category"), choices=CATEGORY_CHOICES),
            "retirement_month": forms.CharField(
                label=_("Retirement month, if not the statutory one (flexible retirement)"),
                required=False,
                widget=MonthInput(),
            ),
            "deemed_months": forms.IntegerField(
                label=_("Deemed contribution months (视同缴费)"),
                min_value=0,
                max_value=600,
                initial=0,
            ),
            "average_contribution_index": forms.DecimalField(
                label=_("Average contribution index"),
                max_digits=6,
                decimal_places=4,
                min_value=Decimal("0.01"),
                max_value=Decimal("3"),
                initial=Decimal("1.0"),
            ),
            "transitional_pension": _money(
                _("Transitional pension (provincial formula)"), required=False
            ),
        },
        ClaimKind.UNEMPLOYMENT: {
            "registration_date": forms.DateField(
                label=_("Date of unemployment registration"), widget=DateInput()
            ),
            "is_registered": forms.BooleanField(
                label=_("Registered as unemployed and seeking work"), required=False, initial=True
            ),
            "carried_over_months": forms.IntegerField(
                label=_("Unused months from an earlier spell"),
                min_value=0,
                max_value=24,
                initial=0,
            ),
        },
        ClaimKind.MATERNITY: {
            "leave_start": forms.DateField(label=_("Leave starts"), widget=DateInput()),
            "case": forms.ChoiceField(label=_("Birth or miscarriage"), choices=CASE_CHOICES),
            "extra_infants": forms.IntegerField(
                label=_("Extra infants (twins: 1)"), min_value=0, max_value=5, initial=0
            ),
            "provincial_extra_days": forms.IntegerField(
                label=_("Provincial extra leave days"), min_value=0, max_value=365, initial=0
            ),
            "employer_average_monthly_wage": _money(
                _("Employer's prior-year average monthly wage"), minimum="0.01"
            ),
        },
        ClaimKind.WI_DISABILITY: {
            "appraisal_date": forms.DateField(
                label=_("Appraisal conclusion date"), widget=DateInput()
            ),
            "level": forms.TypedChoiceField(
                label=_("Disability level"), choices=LEVEL_CHOICES, coerce=int
            ),
            "own_monthly_wage": _money(
                _("Own monthly wage (12 months before the injury)"), minimum="0.01"
            ),
        },
        ClaimKind.WI_DEATH: {
            "death_date": forms.DateField(label=_("Date of death"), widget=DateInput()),
            "own_monthly_wage": _money(
                _("Own monthly wage (12 months before the injury)"), minimum="0.01"
            ),
            "spouse": forms.BooleanField(
                label=_("A spouse the deceased supported"), required=False
            ),
            "other_dependants": forms.IntegerField(
                label=_("Other dependants the deceased supported"),
                min_value=0,
                max_value=10,
                initial=0,
            ),
        },
        ClaimKind.SURVIVORS: {
            "death_date": forms.DateField(label=_("Date of death"), widget=DateInput()),
            "deemed_months": forms.IntegerField(
                label=_("Deemed contribution months (视同缴费)"),
                min_value=0,
                max_value=600,
                initial=0,
            ),
        },
        ClaimKind.MEDICAL_REIMBURSEMENT: {
            "invoices_total": _money(_("Invoices, total"), minimum="0.01"),
            "payable_amount": _money(_("Part payable by the fund, as reviewed")),
            "review_note": forms.CharField(label=_("Review note"), required=False, max_length=300),
        },
        ClaimKind.TRAINING_SUBSIDY: {
            "certificate_number": forms.CharField(label=_("Certificate number"), max_length=60),
            "certificate_level": forms.CharField(
                label=_("Certificate level (e.g. 5, 4, 3)"), max_length=20, required=False
            ),
        },
    }
    fields[ClaimKind.WI_REIMBURSEMENT] = fields[ClaimKind.MEDICAL_REIMBURSEMENT]
    art21: dict[str, forms.Field] = {
        "finding": forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3})),
        "confirmed": forms.BooleanField(label=_("Confirm"), required=False),
    }
    for art21_kind in (ClaimKind.WI_APPRAISAL, ClaimKind.WI_DEVICE, ClaimKind.WI_RECURRENCE):
        fields[art21_kind] = dict(art21)
    fields[ClaimKind.WI_LEAVE_EXTENSION] = {
        **art21,
        "extension_months": forms.IntegerField(
            label=_("Months of extension"), min_value=1, max_value=12
        ),
    }
    return dict(fields.get(kind, {}))


class ClaimFileForm(forms.Form):
    """A claim: the insured person, the channel, the payee, then the kind's own inputs."""

    person_id_number = forms.CharField(
        label=_("Insured person's ID number"), max_length=18, min_length=18
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES)
    applicant_name = forms.CharField(
        label=_("Applicant, if not the insured person (e.g. a survivor)"),
        max_length=100,
        required=False,
    )
    applicant_id_number = forms.CharField(
        label=_("Applicant's ID number, if not the insured person"),
        max_length=18,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in MONEY_KINDS:  # the service requires the account these kinds pay into
            self.fields["payee_name"] = forms.CharField(
                label=_("Payee (account holder)"), max_length=100, required=False
            )
            self.fields["payee_bank"] = forms.CharField(label=_("Bank"), max_length=100)
            self.fields["payee_account"] = forms.RegexField(
                label=_("Account number"), regex=r"^\d{8,30}$", max_length=30
            )
        self.fields.update(_kind_fields(kind))

    def inputs(self) -> dict[str, Any]:
        """The kind's inputs, JSON-ready (Decimals and dates as text)."""
        data = self.cleaned_data
        names = set(_kind_fields(self.kind))
        values: dict[str, Any] = {}
        for name in names:
            value = data.get(name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            values[name] = "" if value is None else value
        if self.kind == ClaimKind.WI_DEATH:
            dependants = [{"kind": "spouse"}] if values.pop("spouse") else []
            dependants += [{"kind": "other"}] * int(values.pop("other_dependants") or 0)
            values["dependants"] = dependants
        return values


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why it goes back"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)


class StopForm(forms.Form):
    stop_date = forms.DateField(label=_("Date of the stop event"), widget=DateInput())
    cause = forms.CharField(label=_("Cause (e.g. death, re-employment)"), max_length=300)
    evidence = forms.CharField(label=_("Evidence"), max_length=300)
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput(), required=False)


def parse_month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise forms.ValidationError(_("Enter a month (YYYY-MM).")) from None


class RunStartForm(forms.Form):
    period = forms.CharField(label=_("Month"), widget=MonthInput())

    def clean_period(self) -> date:
        return parse_month(self.cleaned_data["period"])


class ReconciliationForm(forms.Form):
    file = forms.FileField(label=_("The bank's reconciliation file (CSV)"))


class RepaymentForm(forms.Form):
    amount = _money(_("Amount repaid"), minimum="0.01")
    reference = forms.CharField(label=_("Receipt reference"), max_length=100)


class InstalmentForm(forms.Form):
    count = forms.IntegerField(label=_("Number of monthly instalments"), min_value=2, max_value=120)
    first_due = forms.DateField(label=_("First instalment due"), widget=DateInput())


class OffsetBenefitForm(forms.Form):
    award = forms.IntegerField(label=_("Award to offset against (number)"), min_value=1)


class OffsetAccountForm(forms.Form):
    amount = _money(
        _("Amount (empty: as much as the balance allows)"), required=False, minimum="0.01"
    )


class WriteOffForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReferralForm(forms.Form):
    department = forms.CharField(
        label=_("Administrative department referred to"),
        max_length=200,
        initial=_("Human resources and social security department"),
    )
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("The department's decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    department_reference = forms.CharField(label=_("Its reference"), max_length=100, required=False)
    penalised = forms.BooleanField(label=_("Return ordered and fined"), required=False)


class AdjustmentForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Award kinds"),
        choices=[
            (k.value, k.label)
            for k in (
                AwardKind.PENSION,
                AwardKind.WI_DISABILITY_ALLOWANCE,
                AwardKind.WI_SURVIVOR_PENSION,
            )
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=[AwardKind.PENSION.value],
    )
    effective_month = forms.CharField(label=_("From month"), widget=MonthInput())
    percent = forms.DecimalField(
        label=_("Percentage increase"),
        max_digits=7,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
    )
    flat_amount = _money(_("Flat increase per month"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis (the adjustment notice)"), max_length=300)

    def clean_effective_month(self) -> date:
        return parse_month(self.cleaned_data["effective_month"])
