"""Forms for the clerk pages and the employer portal. Rules live in services, not here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.identity import normalize_credit_code
from core.models import Region
from registration.models import (
    DiscrepancyStatus,
    EmployerType,
    EmploymentEndReason,
    HukouType,
    UploadKind,
)


class AccessibleForm(forms.Form):
    """Links each field's error message to the field (aria-describedby) and marks it invalid."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        self.link_errors()
        return valid

    def link_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"id_{name}-error"
                attrs["aria-invalid"] = "true"

    def add_row_errors(self, errors: list[Any], columns: dict[str, str]) -> None:
        """Show a service's row errors on the fields they name (or on the form)."""
        for error in errors:
            field = next((name for name, label in columns.items() if label == error.column), None)
            self.add_error(field if field in self.fields else None, error.message)
        self.link_errors()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("ID number, credit code or name"), max_length=100, required=False)


class EmployeeAddForm(AccessibleForm):
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=100)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contribution_base = forms.DecimalField(
        label=_("Contribution base (yuan per month)"), max_digits=12, decimal_places=2
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class EmploymentEndForm(AccessibleForm):
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=EmploymentEndReason.choices)


class BaseChangeForm(AccessibleForm):
    effective_month = forms.DateField(
        label=_("From month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    contribution_base = forms.DecimalField(
        label=_("New contribution base (yuan per month)"), max_digits=12, decimal_places=2
    )


class UploadForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("What the file does"), choices=UploadKind.choices)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The first row holds the column names, as in the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class DiscrepancyResolveForm(AccessibleForm):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (DiscrepancyStatus.RESOLVED, DiscrepancyStatus.RESOLVED.label),
            (DiscrepancyStatus.DISMISSED, DiscrepancyStatus.DISMISSED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=500)


class PersonRegistrationForm(AccessibleForm):
    """Individual registration at the counter (Art. 6): filed as a case."""

    id_number = forms.CharField(label=_("Citizen ID number"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=100)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    hukou_type = forms.ChoiceField(label=_("Hukou type"), choices=HukouType.choices, required=False)
    hukou_address = forms.CharField(label=_("Hukou address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Contact address"), max_length=300, required=False)
    is_minimum_living_allowance = forms.BooleanField(
        label=_("Receives the minimum living allowance (低保)"), required=False
    )
    is_extremely_poor = forms.BooleanField(
        label=_("Receives extreme-poverty support (特困)"), required=False
    )
    is_severely_disabled = forms.BooleanField(label=_("Severe disability"), required=False)


class EmployerApplicationForm(AccessibleForm):
    """An employer without a shared registration record applies online."""

    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        help_text=_("18 characters; checked as you leave the field."),
    )
    name = forms.CharField(label=_("Employer name"), max_length=200)
    employer_type = forms.ChoiceField(label=_("Type"), choices=EmployerType.choices)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=300)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40, required=False)
    handler_name = forms.CharField(label=_("Your name (the person applying)"), max_length=100)
    handler_id_number = forms.CharField(label=_("Your citizen ID number"), max_length=18)
    username = forms.CharField(label=_("Username for the employer account"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters, mixing letters, digits and symbols."),
    )

    def clean_credit_code(self) -> str:
        try:
            return normalize_credit_code(self.cleaned_data["credit_code"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class EmployerChangeForm(AccessibleForm):
    name = forms.CharField(label=_("Employer name"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("Bank account"),
        max_length=40,
        required=False,
        help_text=_("A bank-account change is reviewed by a second person (Art. 37)."),
    )

    def changes(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}


class EmployerCancelForm(AccessibleForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)
