"""Investigations (Art. 26): through the case engine, confirmed stops the award and creates the
overpayment; refuted releases the hold; and no automated run overturns the clerk."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from benefits.models import AwardHold, Debt
from cases.models import CaseStatus
from cases.services import decision_approve
from eligibility.models import (
    InvestigationOutcome,
    Suspicion,
    SuspicionAction,
    SuspicionStatus,
    Verification,
)
from eligibility.services import investigations as inv
from eligibility.services.comparison import comparison_run
from eligibility.services.feeds import feed_batch_receive
from eligibility.services.notice import stop_event_report
from eligibility.tests.factories import beneficiary, employer, feed_record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTHS = [date(2025, m, 1) for m in range(1, 7)]


def death_hit(region, someone, event="2025-03-05", **extra):
    feed_batch_receive(
        kind="death", records=[feed_record(someone.id_number, event, **extra)], by=None
    )
    comparison_run()
    return Suspicion.objects.filter(person=someone).latest("pk")


def test_opening_an_investigation_files_a_case_assigned_to_the_clerk(region, clerk):
    someone, _award = beneficiary(region)
    suspicion = death_hit(region, someone)
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    case = investigation.case
    assert (case.item.code, case.status, case.assignee) == (
        "eligibility_investigation",
        CaseStatus.ACCEPTED,
        clerk,
    )
    assert case.deadline is not None
    suspicion.refresh_from_db()
    assert (suspicion.status, suspicion.investigation) == (
        SuspicionStatus.INVESTIGATING,
        investigation,
    )
    # Opening again from the same suspicion is the same investigation.
    assert inv.investigation_open(suspicion_id=suspicion.pk, by=clerk) == investigation


def test_a_confirmed_death_stops_the_award_with_the_overpayment(region, clerk, reviewer, pay):
    # benefit-rules.md (i): died 2025-03-05, April-June paid: 9,000 overpaid.
    someone, award = beneficiary(region)
    pay(region, *MONTHS)
    suspicion = death_hit(region, someone)
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    decision = inv.investigation_conclude(
        investigation_id=investigation.pk,
        outcome=InvestigationOutcome.CONFIRMED,
        reasons="民政死亡登记与火化证明一致 / the death register and cremation record agree",
        by=clerk,
    )
    assert decision.amount == Decimal("9000.00")
    assert decision.needs_reviewer  # above the four-eyes threshold: a second person decides
    award.refresh_from_db()
    assert award.status == "active"  # nothing happens before the approval
    decision_approve(decision_id=decision.pk, by=reviewer)
    award.refresh_from_db()
    suspicion.refresh_from_db()
    assert (award.status, award.stopped_on) == ("stopped", date(2025, 3, 5))
    debt = Debt.objects.get(award=award)
    assert debt.amount == Decimal("9000.00")
    assert sorted(p.period for p in debt.periods.all()) == MONTHS[3:]
    assert (suspicion.status, suspicion.debt) == (SuspicionStatus.CONFIRMED, debt)
    verdict = Verification.objects.get()
    assert (verdict.outcome, verdict.decided_by) == ("confirmed", clerk)


def test_a_refuted_suspicion_releases_the_hold(region, clerk):
    someone, award = beneficiary(region)
    suspicion = death_hit(region, someone)
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    inv.investigation_conclude(
        investigation_id=investigation.pk,
        outcome=InvestigationOutcome.REFUTED,
        reasons="本人到柜台核验，身份证号码录入错误 / seen alive at the counter; wrong ID number",
        by=clerk,
    )
    award.refresh_from_db()
    suspicion.refresh_from_db()
    assert (award.status, award.is_held) == ("active", False)
    assert suspicion.status == SuspicionStatus.REFUTED
    assert AwardHold.objects.get(pk=suspicion.hold_id).released_at is not None


def test_the_next_automated_run_does_not_overturn_a_refutation(region, clerk):
    someone, award = beneficiary(region)
    suspicion = death_hit(region, someone)
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    inv.investigation_conclude(
        investigation_id=investigation.pk,
        outcome=InvestigationOutcome.REFUTED,
        reasons="本人健在 / alive",
        by=clerk,
    )
    # The same death sent again by another authority, then the nightly run.
    feed_batch_receive(
        kind="death",
        records=[feed_record(someone.id_number, "2025-03-05", source="public_security")],
        by=None,
    )
    run = comparison_run()
    award.refresh_from_db()
    assert (run.suspicions_opened, run.skipped_refuted) == (0, 1)
    assert (award.status, award.is_held) == ("active", False)
    # A report of the same event opens nothing either.
    stop_event_report(
        id_number=someone.id_number,
        subject_name=someone.name,
        kind="death",
        event_date=date(2025, 3, 5),
        reporter_kind="other",
        reporter_name="某人",
        channel="counter",
        by=clerk,
    )
    assert Suspicion.objects.count() == 1
    # A different event (another date) is new evidence and is looked at.
    assert death_hit(region, someone, event="2025-08-01").status == SuspicionStatus.OPEN


def test_a_clerk_may_commission_the_employer_or_a_third_party(region, clerk):
    someone, _award = beneficiary(region)
    suspicion = death_hit(region, someone)
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    company = employer(region)
    by_employer = inv.commission_request(
        investigation_id=investigation.pk,
        party_kind="employer",
        party_name="",
        employer_id=company.pk,
        request="请核实是否仍在职 / is the person still employed?",
        due_on=date(2099, 1, 1),
        by=clerk,
    )
    third = inv.commission_request(
        investigation_id=investigation.pk,
        party_kind="third_party",
        party_name="和平里社区居委会",
        request="请入户核实本人是否健在 / please visit and see whether the person is alive",
        due_on=date(2099, 1, 1),
        by=clerk,
    )
    assert by_employer.party_name == company.name
    inv.commission_answer(
        commission_id=third.pk, answer="已去世，见火化证明", confirms=True, by=clerk
    )
    third.refresh_from_db()
    assert (third.status, third.answer_confirms) == ("answered", True)


def test_an_anonymous_online_report_holds_nothing_until_a_clerk_does(region, clerk):
    someone, award = beneficiary(region)
    report, _created = stop_event_report(
        id_number=someone.id_number,
        subject_name=someone.name,
        kind="death",
        event_date=date(2025, 3, 5),
        reporter_kind="relative",
        reporter_name="张小三",
        channel="online",
        by=None,
        submitted_at=datetime(2025, 6, 20, 10, tzinfo=SHANGHAI),
    )
    suspicion = Suspicion.objects.get()
    award.refresh_from_db()
    assert (suspicion.report, suspicion.action, award.is_held) == (
        report,
        SuspicionAction.NONE,
        False,
    )
    from eligibility.services.suspicions import suspicion_hold

    suspicion_hold(suspicion_id=suspicion.pk, by=clerk)
    award.refresh_from_db()
    assert award.is_held is True


def test_a_counter_report_holds_at_once(region, clerk):
    someone, award = beneficiary(region)
    stop_event_report(
        id_number=someone.id_number,
        subject_name=someone.name,
        kind="death",
        event_date=date(2025, 3, 5),
        reporter_kind="relative",
        reporter_name="张小三",
        channel="counter",
        by=clerk,
    )
    award.refresh_from_db()
    assert award.is_held is True
    assert Suspicion.objects.get().action == SuspicionAction.HELD


def test_a_late_report_confirmed_is_a_late_report_overpayment(region, clerk, reviewer, pay):
    someone, award = beneficiary(region)
    pay(region, *MONTHS)
    stop_event_report(
        id_number=someone.id_number,
        subject_name=someone.name,
        kind="death",
        event_date=date(2025, 3, 5),
        reporter_kind="relative",
        reporter_name="张小三",
        channel="online",
        by=None,
        submitted_at=datetime(2025, 6, 20, 10, tzinfo=SHANGHAI),
    )
    suspicion = Suspicion.objects.get()
    investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
    decision = inv.investigation_conclude(
        investigation_id=investigation.pk,
        outcome="confirmed",
        reasons="死亡证明 / certificate",
        by=clerk,
    )
    decision_approve(decision_id=decision.pk, by=reviewer)
    debt = Debt.objects.get(award=award)
    assert (debt.amount, debt.cause) == (Decimal("9000.00"), "late_report")


def test_only_clerks_investigate(region, reviewer):
    someone, _award = beneficiary(region)
    suspicion = death_hit(region, someone)
    from core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        inv.investigation_open(suspicion_id=suspicion.pk, by=reviewer)
