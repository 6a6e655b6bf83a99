"""The demo seeder: claims in several states, awards, a released run with its bank file and the
bank's answer, an overpayment in instalments; running it twice changes nothing."""

import pytest

from benefits.demo import seed_benefits
from benefits.models import (
    Award,
    Claim,
    Debt,
    InstalmentPlan,
    Payment,
    PaymentResend,
    PaymentRun,
    PaymentRunStatus,
)
from benefits.tests.factories import assert_money_adds_up
from core.demo import DemoContext, seed_policy, seed_regions_and_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(clerk, reviewer, supervisor):
    return {"clerk": clerk, "reviewer": reviewer, "supervisor": supervisor}


def _seed(users):
    ctx = DemoContext(users=dict(users))
    seed_regions_and_agencies(ctx)
    seed_policy(ctx)
    seed_benefits(ctx)


def _counts():
    return [m.objects.count() for m in (Claim, Award, Payment, PaymentRun, Debt, PaymentResend)]


def test_the_demo_shows_each_feature_and_seeding_twice_changes_nothing(users):
    _seed(users)
    first = _counts()
    _seed(users)

    assert _counts() == first
    assert set(Claim.objects.values_list("status", flat=True)) == {
        "granted",
        "proposed",
        "calculated",
        "filed",
    }
    run = PaymentRun.objects.get()
    assert run.status == PaymentRunStatus.RECONCILED
    assert run.returned_count == 2
    assert PaymentResend.objects.count() == 1
    assert InstalmentPlan.objects.count() == 1
    assert {a.kind for a in Award.objects.all()} >= {
        "pension",
        "wi_disability_allowance",
        "wi_survivor_pension",
        "unemployment",
    }
    assert_money_adds_up(run)
