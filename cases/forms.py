"""Forms of the clerk UI and the portal. They validate input; the services hold the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import (
    CaseStatus,
    Channel,
    DecisionOutcome,
    ItemMaterial,
    ServiceItem,
    SlaStatus,
)
from core.models import Agency


class WorklistFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Case number, ID number, credit code or name"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    sla = forms.ChoiceField(label=_("Time limit"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    branch = forms.ModelChoiceField(
        label=_("Received by"), queryset=Agency.objects.none(), required=False
    )
    assistance = forms.BooleanField(label=_("Needs assistance only"), required=False)

    def __init__(self, *args: Any, branches: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        item_field = cast("forms.ModelChoiceField[ServiceItem]", self.fields["item"])
        item_field.queryset = ServiceItem.objects.active().order_by("ordering")
        item_field.empty_label = str(_("All"))
        branch_field = cast("forms.ModelChoiceField[Agency]", self.fields["branch"])
        branch_field.queryset = branches
        branch_field.empty_label = str(_("All"))
        self._set_choices("status", every + list(CaseStatus.choices))
        self._set_choices("sla", every + list(SlaStatus.choices))
        self._set_choices("channel", every + list(Channel.choices))

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices


class MaterialChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        material = cast(ItemMaterial, obj)
        return f"{material.display_name} ({material.legal_basis or _('identity document')})"


class SupplementRequestForm(forms.Form):
    materials = MaterialChoiceField(
        label=_("Everything that is missing"),
        queryset=ItemMaterial.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tell the applicant once and completely (一次性告知): a second request is not "
            "possible. Materials the agency fetches itself are not listed."
        ),
    )
    note = forms.CharField(
        label=_("Explanation to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, item: ServiceItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[ItemMaterial]", self.fields["materials"])
        field.queryset = item.materials.filter(fetched_by_agency=False)


class MaterialUploadForm(forms.Form):
    item_material = forms.ModelChoiceField(
        label=_("Material"), queryset=ItemMaterial.objects.none(), empty_label=_("Choose…")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG, PNG or OFD, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.ofd"}),
    )

    def __init__(self, *args: Any, materials: QuerySet[ItemMaterial], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[ItemMaterial]", self.fields["item_material"])
        field.queryset = materials.filter(fetched_by_agency=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=_("For decisions that pay money; the amount decides the approvals needed."),
    )


class ApprovalForm(forms.Form):
    level = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why it goes back"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClerkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssignForm(forms.Form):
    assignee = ClerkChoiceField(
        label=_("Clerk"), queryset=User.objects.none(), empty_label=_("Choose…")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, clerks: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[User]", self.fields["assignee"])
        field.queryset = clerks


class HomeVisitForm(forms.Form):
    address = forms.CharField(label=_("Address to visit"), max_length=300)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    scheduled_for = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    assignee = ClerkChoiceField(
        label=_("Clerk who visits"), queryset=User.objects.none(), empty_label=_("Choose…")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, clerks: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[User]", self.fields["assignee"])
        field.queryset = clerks


class HomeVisitDoneForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class AssistanceForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18, min_length=18)
    name = forms.CharField(label=_("Name"), max_length=100)
    is_elderly = forms.BooleanField(label=_("Elderly"), required=False)
    is_disabled = forms.BooleanField(label=_("Disabled"), required=False)
    needs_assistance = forms.BooleanField(label=_("Needs assistance"), required=False, initial=True)
    note = forms.CharField(label=_("How to help"), required=False, max_length=300)
