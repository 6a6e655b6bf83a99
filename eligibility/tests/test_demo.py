import pytest
from django.core.management import call_command

from eligibility.models import (
    Authentication,
    AuthenticationCycle,
    AuthenticationReminder,
    CreditRecord,
    FeedRecordError,
    Investigation,
    Suspicion,
)

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_state_and_loads_twice_the_same(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    counts = (
        Suspicion.objects.count(),
        Investigation.objects.count(),
        Authentication.objects.count(),
        CreditRecord.objects.count(),
    )
    statuses = set(Suspicion.objects.values_list("status", flat=True))
    assert {"open", "investigating", "confirmed", "refuted"} <= statuses
    assert CreditRecord.objects.filter(subject_kind="employer").exists()
    assert FeedRecordError.objects.exists()
    assert Authentication.objects.filter(channel="self_service").exists()
    assert AuthenticationCycle.objects.filter(suspended_at__isnull=False).exists()
    assert AuthenticationReminder.objects.exists()
    call_command("seed_demo", verbosity=0)
    assert counts == (
        Suspicion.objects.count(),
        Investigation.objects.count(),
        Authentication.objects.count(),
        CreditRecord.objects.count(),
    )
