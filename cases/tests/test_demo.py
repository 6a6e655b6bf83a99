"""The demo seeder: cases in every state, and running seed_demo twice changes nothing."""

import pytest
from django.core.management import call_command

from cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Decision,
    DecisionStatus,
    Notification,
    ProxyAuthorisation,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Notification.objects.count(),
        Decision.objects.count(),
        ProxyAuthorisation.objects.count(),
    )


def test_seed_demo_creates_cases_in_each_state_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert Case.objects.filter(item__code="home_visit", assignee__isnull=False).exists()
    assert Case.objects.filter(proxy__isnull=False).exists()
    pending = Decision.objects.filter(status=DecisionStatus.PROPOSED)
    assert {d.case.item.code for d in pending} == {"pension_claim", "work_injury_reimbursement"}
    assert Notification.objects.filter(kind="overdue").exists()
