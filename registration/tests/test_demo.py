"""The demo seeder: people, contributions and accounts; running it twice changes nothing."""

import pytest
from django.core.management import call_command

from registration.models import AccountEntry, ContributionRecord, Employment, InsuredPerson

pytestmark = pytest.mark.django_db


def test_demo_data_loads_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    counts = (
        InsuredPerson.objects.count(),
        Employment.objects.count(),
        ContributionRecord.objects.count(),
        AccountEntry.objects.count(),
    )
    assert counts[0] >= 40
    assert AccountEntry.objects.filter(kind="interest").exists()
    call_command("seed_demo", stdout=None)
    assert counts == (
        InsuredPerson.objects.count(),
        Employment.objects.count(),
        ContributionRecord.objects.count(),
        AccountEntry.objects.count(),
    )
