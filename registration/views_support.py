"""What the registration pages read from other apps, and small view helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from core.types import AuthenticatedHttpRequest
from registration import selectors
from registration.models import Employer, Enrolment, InsuredPerson
from registration.services.persons import id_number_hash

View = Callable[..., HttpResponse]


def employer_required(view: View) -> View:
    """The employer portal: a logged-in employer user, acting for its own employer only."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_employer_user:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _case_model() -> Any:
    try:
        from cases.models import Case
    except ImportError:  # the case engine is not installed (yet)
        return None
    return Case


def cases_for_person(person: InsuredPerson, limit: int = 50) -> list[Any]:
    """The person's cases (filed with their ID number), newest first."""
    Case = _case_model()
    if Case is None:
        return []

    return list(
        Case.objects.filter(applicant_id_hash=id_number_hash(person.id_number))
        .select_related("item")
        .order_by("-submitted_at")[:limit]
    )


def cases_for_employer(employer: Employer, limit: int = 50) -> list[Any]:
    Case = _case_model()
    if Case is None:
        return []

    return list(
        Case.objects.filter(employer=employer)
        .select_related("item")
        .order_by("-submitted_at")[:limit]
    )


def benefits_for(person: InsuredPerson) -> list[Any]:
    """The person's benefit awards (kind, status, amount, months), from benefits' public
    selector (Art. 32: the rights record shows the benefits received)."""
    from benefits.selectors import awards_for_person  # benefits imports registration: lazily

    return awards_for_person(person_id=person.pk)


def rights_record_context(person: InsuredPerson) -> dict[str, Any]:
    """权益记录单 (Art. 32): contribution history, account balance and benefits, free of charge."""
    return {
        "person": person,
        "id_number": person.masked_id_number,
        "today": timezone.localdate(),
        "enrolments": Enrolment.objects.filter(person=person).select_related("employer"),
        "history": selectors.contribution_history(person_id=person.pk),
        "entries": selectors.account_entries(person_id=person.pk),
        "balance": selectors.account_balance(person_id=person.pk),
        "benefits": benefits_for(person),
    }
