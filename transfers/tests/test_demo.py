"""The demo: transfers in progress between regions this one deployment serves; idempotent."""

from __future__ import annotations

import pytest

from core.demo import DemoContext, seeders
from transfers.models import OutboxMessage, OutboxStatus, Transfer
from transfers.procedures import Side
from transfers.selectors import transfer_list_for_clerk

pytestmark = pytest.mark.django_db
NEEDED = {"regions and agencies", "policy parameters", "accounts and API client", "transfers"}


def seed(capture):
    context = DemoContext()
    with capture(execute=True):
        for name, seeder in seeders():
            if name in NEEDED:
                seeder(context)
    return context


def test_the_demo_shows_transfers_in_progress_and_runs_twice(django_capture_on_commit_callbacks):
    context = seed(django_capture_on_commit_callbacks)
    first = sorted(Transfer.objects.values_list("reference", "side", "current_step"))
    seed(django_capture_on_commit_callbacks)
    assert sorted(Transfer.objects.values_list("reference", "side", "current_step")) == first
    pension_out = Transfer.objects.get(side=Side.OUT, kind="PENSION_EMP_INTER_AREA")
    assert pension_out.current_step == 2
    assert pension_out.steps.get(number=2).case is not None
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}
    listed = list(transfer_list_for_clerk(user=context.users["clerk"]))
    assert listed[0].is_military
    assert {row.kind for row in listed} == {"PENSION_EMP_INTER_AREA", "MED_EMP"}
