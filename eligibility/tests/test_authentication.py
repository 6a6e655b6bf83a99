"""Authentication cycles: any proof of life renews; reminders once; no authentication by the end
suspends (not stops); a late authentication resumes with arrears; a clerk's own suspension stays."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from benefits.models import AwardHold, Payment
from benefits.services.awards import award_suspend
from eligibility.models import (
    Authentication,
    AuthenticationCycle,
    AuthenticationReminder,
)
from eligibility.services.authentication import (
    authentication_cycles_sweep,
    authentication_record,
)
from eligibility.services.comparison import comparison_run
from eligibility.services.feeds import feed_batch_receive
from eligibility.tests.factories import beneficiary, feed_record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_sweep_opens_a_cycle_for_each_beneficiary(region):
    someone, _award = beneficiary(region, start=date(2025, 1, 1))
    assert authentication_cycles_sweep(today=date(2025, 2, 1))["opened"] == 1
    cycle = AuthenticationCycle.objects.get(person=someone)
    assert (cycle.last_verified_on, cycle.cycle_months, cycle.due_on) == (
        date(2025, 1, 1),
        12,
        date(2026, 1, 1),
    )
    assert authentication_cycles_sweep(today=date(2025, 2, 1))["opened"] == 0


def test_the_cycle_length_is_a_regional_parameter(region):
    from core.models import PolicyParameter

    PolicyParameter.objects.create(
        key="authentication_cycle_months",
        region=region,
        valid_from=date(2020, 1, 1),
        value="6",
        source="test",
    )
    someone, _award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    assert AuthenticationCycle.objects.get(person=someone).due_on == date(2025, 7, 1)


def test_a_reminder_goes_out_once_before_the_end(region):
    someone, _award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 11, 1))
    assert AuthenticationReminder.objects.count() == 0  # more than 30 days ahead
    authentication_cycles_sweep(today=date(2025, 12, 5))
    authentication_cycles_sweep(today=date(2025, 12, 6))
    reminder = AuthenticationReminder.objects.get()
    assert (reminder.person, reminder.due_on) == (someone, date(2026, 1, 1))


def test_an_expired_cycle_suspends_payment_not_stops_it(region):
    _someone, award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    assert authentication_cycles_sweep(today=date(2026, 1, 1))["suspended"] == 0  # last day
    result = authentication_cycles_sweep(today=date(2026, 1, 2))
    award.refresh_from_db()
    assert result["suspended"] == 1
    assert award.status == "suspended"
    assert AwardHold.objects.get(award=award).reason == "eligibility:authentication_overdue"
    assert authentication_cycles_sweep(today=date(2026, 1, 3))["suspended"] == 0  # once


def test_a_late_authentication_resumes_payment_with_arrears(
    region, gov_api, clerk, supervisor, django_capture_on_commit_callbacks
):
    from benefits.services import bankfile, runs

    someone, award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    authentication_cycles_sweep(today=date(2026, 1, 2))  # suspended
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.payment_run_start(region=region, period=date(2026, 1, 1), by=clerk)
    assert Payment.objects.get(award=award).status == "held"  # built, not sent
    runs.payment_run_approve(run_id=run.pk, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        bankfile.payment_run_release(run_id=run.pk, by=supervisor)
    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=SHANGHAI), tick=False):
        response = gov_api.post(
            "/api/v1/authentications",
            {
                "reference": "FACE-2026-0001",
                "id_number": someone.id_number,
                "verified_at": "2026-02-10T09:00:00+08:00",
                "method": "face",
                "source": "国家社会保险公共服务平台",
            },
            format="json",
        )
        again = gov_api.post(
            "/api/v1/authentications",
            {
                "reference": "FACE-2026-0001",
                "id_number": someone.id_number,
                "verified_at": "2026-02-10T09:00:00+08:00",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["resumed_awards"] == 1
    assert response.json()["next_due_on"] == "2027-02-10"
    assert again.status_code == 200
    assert Authentication.objects.count() == 1
    award.refresh_from_db()
    assert award.status == "active"
    arrears = Payment.objects.get(award=award, period=date(2026, 1, 1))
    assert (arrears.status, arrears.gross) == ("pending", Decimal("3000.00"))  # next bank file
    cycle = AuthenticationCycle.objects.get(person=someone)
    assert (cycle.suspended_at, cycle.last_channel) == (None, "self_service")


def test_an_unknown_person_is_refused(gov_api, region):
    from eligibility.tests.factories import id_number

    response = gov_api.post(
        "/api/v1/authentications",
        {"reference": "F1", "id_number": id_number(), "verified_at": "2025-02-10T09:00:00+08:00"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (422, "person_unknown")


def test_a_clerk_s_own_suspension_is_not_lifted_by_an_authentication(region, clerk):
    someone, award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    award_suspend(award_id=award.pk, reason="经办员暂停：待核实银行账户", by=clerk)
    authentication_cycles_sweep(today=date(2026, 1, 2))  # expired: nothing more to suspend
    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=SHANGHAI), tick=False):
        result = authentication_record(
            person_id=someone.pk, channel="counter", verified_on=date(2026, 2, 10), by=clerk
        )
    award.refresh_from_db()
    assert result.resumed == 0
    assert award.status == "suspended"


def test_a_sign_of_life_from_data_comparison_renews_the_cycle(region):
    someone, _award = beneficiary(region, start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    feed_batch_receive(
        kind="sign_of_life",
        records=[feed_record(someone.id_number, "2025-09-14", source="health")],
        by=None,
    )
    assert comparison_run(today=date(2025, 9, 20)).signs_of_life == 1
    cycle = AuthenticationCycle.objects.get(person=someone)
    assert (cycle.last_verified_on, cycle.last_channel, cycle.due_on) == (
        date(2025, 9, 14),
        "data_comparison",
        date(2026, 9, 14),
    )


def test_new_contributions_are_a_sign_of_life_and_re_employment(region, clerk):
    from eligibility.models import Suspicion
    from eligibility.tests.factories import employer, hire
    from registration.services.contributions import contribution_batch_receive

    pensioner, _pension = beneficiary(region, start=date(2025, 1, 1))
    jobless, benefit = beneficiary(region, kind="unemployment", name="王五", start=date(2025, 1, 1))
    authentication_cycles_sweep(today=date(2025, 2, 1))
    company = employer(region)
    hire(company, clerk, number=jobless.id_number, name=jobless.name)
    records = [
        {
            "line": i + 1,
            "id_number": who.id_number,
            "insurance_type": "pension_employee",
            "month": "2025-05",
            "base": "8000.00",
            "employer_amount": "1280.00",
            "personal_amount": "640.00",
            "source": "collection",
            "credit_code": company.credit_code,
        }
        for i, who in enumerate([pensioner, jobless])
    ]
    contribution_batch_receive(external_id="TAX-1", records=records, region=region, by=clerk)
    run = comparison_run(today=date(2025, 6, 10))
    assert run.signs_of_life == 2
    assert AuthenticationCycle.objects.get(person=pensioner).last_channel == "data_comparison"
    suspicion = Suspicion.objects.get()
    assert (suspicion.award, suspicion.kind, suspicion.event_date) == (
        benefit,
        "reemployment",
        date(2025, 5, 1),
    )
    assert comparison_run(today=date(2025, 6, 11)).suspicions_opened == 0  # read once


def test_an_award_older_than_a_cycle_starts_its_cycle_the_day_it_is_opened(region):
    someone, award = beneficiary(region, start=date(2015, 7, 1))
    result = authentication_cycles_sweep(today=date(2025, 2, 1))
    award.refresh_from_db()
    assert (result["opened"], result["suspended"], award.status) == (1, 0, "active")
    cycle = AuthenticationCycle.objects.get(person=someone)
    assert (cycle.last_verified_on, cycle.due_on) == (date(2025, 2, 1), date(2026, 2, 1))
