"""Forms for the clerk pages and the employer portal. Rules live in services, not here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registration.models import DiscrepancyStatus, EmploymentEndReason, UploadKind


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
