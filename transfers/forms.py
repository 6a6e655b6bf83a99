"""Forms of the clerk pages; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Region
from transfers.models import PartnerAgency, TransferStatus
from transfers.procedures import TransferKind

CHANNELS = [
    ("counter", _("Service counter")),
    ("online", _("Online portal")),
    ("self_service", _("Self-service terminal")),
    ("home_visit", _("Home visit")),
]


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What moves"), choices=TransferKind.choices)
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=100)
    other_region = forms.ModelChoiceField(
        label=_("Other pooling region"),
        queryset=Region.objects.none(),
        help_text=_(
            "The old region for a pension (you are the new one); the new region for medical "
            "and unemployment insurance (you are the old one)."
        ),
    )
    channel = forms.ChoiceField(label=_("Received through"), choices=CHANNELS)
    is_military = forms.BooleanField(
        label=_("Transfer from or to military insurance (handled first, Art. 17)"),
        required=False,
    )
    military_organ = forms.CharField(label=_("Military organ"), max_length=200, required=False)
    military_document = forms.CharField(
        label=_("Military organ's transfer document"), max_length=200, required=False
    )
    receiving_benefits = forms.BooleanField(
        label=_("The person already receives this pension"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other_region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = Region.objects.filter(
            pk__in=PartnerAgency.objects.values("regions")
        ).order_by("code")


class CompleteForm(forms.Form):
    funds_received = forms.DecimalField(
        label=_("Funds received (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("As the bank statement shows; empty means the declared total arrived."),
    )
    account_amount = forms.DecimalField(
        label=_("Medical personal account balance (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RefuseForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *TransferStatus.choices],
        required=False,
        initial=TransferStatus.OPEN,
    )
    waiting_on_us = forms.BooleanField(label=_("Only those waiting for us"), required=False)
