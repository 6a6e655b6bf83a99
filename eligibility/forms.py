"""Forms of the eligibility pages: they check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identity import parse_citizen_id
from eligibility.models import (
    AuthenticationChannel,
    CommissionParty,
    FeedKind,
    InvestigationOutcome,
    ReporterKind,
    StopEventKind,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


def _citizen_id(value: str) -> str:
    try:
        return parse_citizen_id(value).number
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc


class StopEventReportForm(forms.Form):
    """Art. 25: report an event that stops benefits (the public form and the counter)."""

    kind = forms.ChoiceField(label=_("What happened"), choices=StopEventKind.choices)
    id_number = forms.CharField(
        label=_("Citizen ID number of the person concerned"), max_length=18, min_length=18
    )
    subject_name = forms.CharField(label=_("Name of the person concerned"), max_length=100)
    event_date = forms.DateField(label=_("Date of the event"), widget=DateInput)
    reporter_kind = forms.ChoiceField(label=_("You are"), choices=ReporterKind.choices)
    reporter_name = forms.CharField(label=_("Your name"), max_length=100)
    reporter_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        required=False,
        help_text=_("So that the agency can reach you if it needs to verify."),
    )
    relationship = forms.CharField(
        label=_("Relationship to the person"), max_length=60, required=False
    )
    note = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A field people do not see: a form that fills it in is a robot (no captcha needed).
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_id_number(self) -> str:
        return _citizen_id(self.cleaned_data["id_number"])

    def clean_event_date(self) -> Any:
        value = self.cleaned_data["event_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of the event cannot be in the future."))
        return value


class EmployerReportForm(StopEventReportForm):
    """The employer portal: the employer reports about one of its people."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["reporter_kind"]
        del self.fields["relationship"]
        self.fields["reporter_name"].label = _("Name of the person reporting for the employer")


class FeedImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=FeedKind.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with a header row: source, source_reference, id_number, event_date, name."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


class CommissionForm(forms.Form):
    party_kind = forms.ChoiceField(label=_("Commission"), choices=CommissionParty.choices)
    employer = forms.IntegerField(
        label=_("Employer"), required=False, widget=forms.Select(choices=[])
    )
    party_name = forms.CharField(label=_("Name of the third party"), max_length=200, required=False)
    request = forms.CharField(
        label=_("What to verify"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Answer by"), widget=DateInput)

    def __init__(self, *args: Any, employers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["employer"].widget
        assert isinstance(widget, forms.Select)  # noqa: S101 - set above
        widget.choices = [("", "—"), *employers]


class CommissionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What the party found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirms = forms.TypedChoiceField(
        label=_("Does it confirm the event?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unclear", _("Unclear"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Conclusion"), choices=InvestigationOutcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons and evidence"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CounterAuthenticationForm(forms.Form):
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=18, min_length=18)
    channel = forms.ChoiceField(
        label=_("How the person was verified"),
        choices=[
            (AuthenticationChannel.COUNTER, AuthenticationChannel.COUNTER.label),
            (AuthenticationChannel.HOME_VISIT, AuthenticationChannel.HOME_VISIT.label),
        ],
    )
    verified_on = forms.DateField(label=_("Verified on"), widget=DateInput)

    def clean_id_number(self) -> str:
        return _citizen_id(self.cleaned_data["id_number"])
