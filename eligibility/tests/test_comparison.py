"""Data comparison: hits hold awards (held, not stopped), set-based and idempotent."""

from datetime import date
from decimal import Decimal

import pytest

from benefits.models import AwardHold, Payment
from core.models import PolicyParameter
from eligibility.models import (
    ComparisonRun,
    FeedRecord,
    StopEvent,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
)
from eligibility.services.comparison import comparison_run
from eligibility.services.feeds import feed_batch_receive
from eligibility.tests.factories import beneficiary, feed_record, id_number, person

pytestmark = pytest.mark.django_db


def feed(kind, *records):
    return feed_batch_receive(kind=kind, records=list(records), by=None)


def test_a_death_record_holds_the_award_from_the_next_run(region):
    someone, award = beneficiary(region)
    _other, untouched = beneficiary(region, name="李四")
    feed(
        "death",
        feed_record(someone.id_number, "2025-03-05"),
        feed_record(id_number(), "2025-03-01"),
    )
    run = comparison_run(today=date(2025, 3, 20))
    assert (run.records_compared, run.suspicions_opened, run.awards_held) == (2, 1, 1)
    suspicion = Suspicion.objects.get()
    assert (suspicion.award, suspicion.status, suspicion.action) == (
        award,
        SuspicionStatus.OPEN,
        SuspicionAction.HELD,
    )
    award.refresh_from_db()
    untouched.refresh_from_db()
    assert award.is_held is True
    assert award.status == "active"  # held, not stopped
    assert untouched.is_held is False
    hold = AwardHold.objects.get(award=award)
    assert hold.is_open
    assert hold.kind == "hold"
    assert suspicion.hold == hold
    assert not FeedRecord.objects.filter(compared_at__isnull=True).exists()
    event = StopEvent.objects.get()
    assert (event.person, event.deadline, event.known_from) == (
        someone,
        date(2025, 4, 2),
        "data_comparison",
    )
    assert suspicion.stop_event == event


def test_a_second_run_does_nothing(region):
    someone, _award = beneficiary(region)
    feed("death", feed_record(someone.id_number, "2025-03-05"))
    comparison_run()
    again = comparison_run()
    assert (again.records_compared, again.suspicions_opened) == (0, 0)
    assert Suspicion.objects.count() == 1
    assert AwardHold.objects.count() == 1


def test_the_evidence_counts_what_was_paid_after_the_event(region, pay):
    # benefit-rules.md (i): died 2025-03-05; April, May and June went out: 9,000.
    someone, _award = beneficiary(region, amount="3000.00")
    pay(
        region,
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
        date(2025, 5, 1),
        date(2025, 6, 1),
    )
    feed("death", feed_record(someone.id_number, "2025-03-05"))
    comparison_run(today=date(2025, 6, 25))
    suspicion = Suspicion.objects.get()
    assert (suspicion.overpaid_amount, suspicion.overpaid_months) == (Decimal("9000.00"), 3)


def test_a_held_award_s_unsent_payment_is_held(region, clerk, django_capture_on_commit_callbacks):
    from benefits.services import runs

    someone, award = beneficiary(region)
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.payment_run_start(region=region, period=date(2025, 7, 1), by=clerk)
    assert Payment.objects.get(award=award).status == "pending"
    feed("death", feed_record(someone.id_number, "2025-06-05"))
    comparison_run(today=date(2025, 7, 2))
    assert Payment.objects.get(award=award).status == "held"
    assert run.pk


def test_re_employment_touches_only_unemployment_benefit(region):
    pensioner, _pension = beneficiary(region)
    jobless, benefit = beneficiary(region, kind="unemployment", name="王五")
    feed(
        "reemployment",
        feed_record(pensioner.id_number, "2025-05-01", source="tax"),
        feed_record(jobless.id_number, "2025-05-01", source="tax"),
    )
    comparison_run()
    assert list(Suspicion.objects.values_list("award", flat=True)) == [benefit.pk]


def test_an_award_ended_before_the_event_is_not_suspected(region):
    someone, _award = beneficiary(region, end_month=date(2025, 2, 1))
    feed("death", feed_record(someone.id_number, "2025-03-05"))
    assert comparison_run().suspicions_opened == 0


def test_a_sign_of_life_is_not_a_suspicion(region):
    someone, _award = beneficiary(region)
    feed("sign_of_life", feed_record(someone.id_number, "2025-03-05", source="health"))
    run = comparison_run()
    assert run.suspicions_opened == 0


def test_an_official_death_record_can_be_configured_to_suspend_at_once(region):
    PolicyParameter.objects.filter(key="death_record_suspends_at_once").update(value="1")
    official, award = beneficiary(region)
    rumour, other = beneficiary(region, name="李四")
    feed(
        "death",
        feed_record(official.id_number, "2025-03-05", source="civil_affairs"),
        feed_record(official.id_number, "2025-03-05", source="public_security"),
        feed_record(rumour.id_number, "2025-03-05", source="other"),
    )
    run = comparison_run()
    award.refresh_from_db()
    other.refresh_from_db()
    assert (award.status, other.status, other.is_held) == ("suspended", "active", True)
    assert run.awards_suspended == 1  # the second record of the same death finds it suspended
    assert AwardHold.objects.filter(award=award, kind="suspension").count() == 1


def test_runs_are_rows_users_can_watch(region, django_capture_on_commit_callbacks):
    from core.jobs import job_start
    from core.models import Job

    someone, _award = beneficiary(region)
    feed("death", feed_record(someone.id_number, "2025-03-05"))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="eligibility.comparison", by=None)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded"
    assert job.result["suspicions"] == 1
    assert ComparisonRun.objects.get().job == job


def test_a_non_beneficiary_hit_changes_nothing(region):
    nobody = person(region, number=id_number())
    feed("death", feed_record(nobody.id_number, "2025-03-05"))
    run = comparison_run()
    assert (run.records_compared, run.suspicions_opened) == (1, 0)
    assert StopEvent.objects.count() == 0


def test_the_set_based_hold_leaves_what_benefits_award_hold_leaves(
    region, clerk, django_capture_on_commit_callbacks
):
    from benefits.models import PaymentRun
    from benefits.services import runs
    from benefits.services.awards import award_hold

    dead, by_comparison = beneficiary(region)
    _alive, by_hand = beneficiary(region, name="李四")
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.payment_run_start(region=region, period=date(2025, 7, 1), by=clerk)
    award_hold(award_id=by_hand.pk, reason="经办员暂扣", by=clerk)
    feed("death", feed_record(dead.id_number, "2025-06-05"))
    comparison_run(today=date(2025, 7, 2))
    for award in (by_comparison, by_hand):
        award.refresh_from_db()
        payment = Payment.objects.get(award=award)
        hold = AwardHold.objects.get(award=award)
        assert (award.is_held, payment.status, payment.bank_run_id) == (True, "held", None)
        assert (hold.kind, hold.released_at) == ("hold", None)
    run = PaymentRun.objects.get(pk=run.pk)
    totals = runs.run_totals(run)
    assert (run.held_count, run.held_total) == (totals["held_count"], totals["held_total"])
    assert run.held_count == 2
