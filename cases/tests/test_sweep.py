"""The daily sweep: reminders 2 working days ahead, escalation of overdue cases, idempotent,
and catching up after days the scheduler missed."""

from datetime import date

import pytest
import time_machine

from audit.models import AuditEvent
from cases import services, tasks
from cases.models import CaseEventKind, Notification, NotificationKind
from cases.tests.conftest import PERSON2_ID, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_for_sweep(file_case, clerk):
    """Received Mon 2025-03-03 (deadline Mon 03-17): one claimed by the clerk, one not."""
    mine = file_case()
    services.case_claim(case_id=mine.pk, by=clerk)
    unassigned = file_case(applicant_id_number=PERSON2_ID, applicant_name="李四")
    return mine, unassigned


def test_due_soon_cases_remind_their_assignee_once(cases_for_sweep, clerk, supervisor):
    mine, unassigned = cases_for_sweep
    first = services.case_deadlines_sweep(today=date(2025, 3, 13))  # Thu: Fri, Mon ahead
    second = services.case_deadlines_sweep(today=date(2025, 3, 13))
    assert first == {"skipped": 0, "reminded": 2, "escalated": 0}
    assert second == {"skipped": 0, "reminded": 0, "escalated": 0}
    assert Notification.objects.get(case=mine).recipient == clerk
    # Nobody holds the other one: the region's supervisor hears of it.
    assert Notification.objects.get(case=unassigned).recipient == supervisor
    assert mine.events.filter(kind=CaseEventKind.DUE_SOON).count() == 1


def test_not_yet_due_cases_are_left_alone(cases_for_sweep):
    assert services.case_deadlines_sweep(today=date(2025, 3, 12))["reminded"] == 0


def test_overdue_cases_escalate_to_supervisors_once(cases_for_sweep, supervisor, make_user):
    from accounts.roles import Role

    other_supervisor = make_user(Role.SUPERVISOR, username="sup2")
    mine, _unassigned = cases_for_sweep
    result = services.case_deadlines_sweep(today=date(2025, 3, 18))
    assert result["escalated"] == 2
    again = services.case_deadlines_sweep(today=date(2025, 3, 18))
    assert again["escalated"] == 0
    mine.refresh_from_db()
    assert mine.escalated_at is not None
    recipients = set(
        Notification.objects.filter(case=mine, kind=NotificationKind.OVERDUE).values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {supervisor.username, other_supervisor.username}
    assert mine.events.filter(kind=CaseEventKind.ESCALATED).count() == 1
    assert AuditEvent.objects.filter(action="cases.case.escalate").count() == 2


def test_a_missed_week_is_caught_up_on_the_next_run(cases_for_sweep, supervisor):
    # The scheduler was down from Thu 03-13 to Mon 03-24: the next run escalates what is now
    # overdue (it selects by state, not by "deadline == today").
    result = services.case_deadlines_sweep(today=date(2025, 3, 24))
    assert result["escalated"] == 2
    mine, _ = cases_for_sweep
    event = mine.events.get(kind=CaseEventKind.ESCALATED)
    assert event.data["working_days_late"] == 5  # 03-18 … 03-24


def test_the_sweep_runs_only_on_working_days(cases_for_sweep):
    assert services.case_deadlines_sweep(today=date(2025, 3, 22))["skipped"] == 1  # Saturday
    # A make-up Saturday is a working day: Sat 2025-02-08.
    assert services.case_deadlines_sweep(today=date(2025, 2, 8))["skipped"] == 0


def test_paused_and_finished_cases_are_not_escalated(claimed_case, clerk, supervisor):
    waiting = claimed_case()
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        services.supplement_request(
            case_id=waiting.pk,
            material_ids=[waiting.item.materials.get(code="id_document").pk],
            by=clerk,
        )
    done = claimed_case(applicant_id_number=PERSON2_ID, applicant_name="李四")
    services.decision_propose(
        case_id=done.pk, outcome="granted", reasons="ok", legal_basis="第二十四条", by=clerk
    )
    assert services.case_deadlines_sweep(today=date(2025, 3, 24))["escalated"] == 0


def test_a_pause_begun_after_the_deadline_leaves_the_case_overdue(claimed_case, clerk, supervisor):
    # Deadline Mon 03-17, escalated Tue 03-18. Paused 03-18 to 03-25 (5 WD): the deadline moves
    # to Mon 03-24, still before the resumption, so the case stays escalated.
    case = claimed_case()
    services.case_deadlines_sweep(today=date(2025, 3, 18))
    with time_machine.travel(at(2025, 3, 18, 11), tick=False):
        services.supplement_request(
            case_id=case.pk,
            material_ids=[case.item.materials.get(code="id_document").pk],
            by=clerk,
        )
    with time_machine.travel(at(2025, 3, 25, 9), tick=False):
        services.supplement_receive(case_id=case.pk, by=clerk)
    case.refresh_from_db()
    assert case.deadline == date(2025, 3, 24)
    assert case.escalated_at is not None
    assert services.case_deadlines_sweep(today=date(2025, 3, 25))["escalated"] == 0


def test_a_deadline_moved_past_today_clears_the_escalation(claimed_case, supervisor):
    from cases.models import CasePause
    from cases.services.workflow import deadline_recompute

    case = claimed_case()
    services.case_deadlines_sweep(today=date(2025, 3, 18))
    case.refresh_from_db()
    # A pause recorded late (03-05 to 03-14: 7 WD) moves the deadline to Wed 03-26.
    CasePause.objects.create(
        case=case, started_on=date(2025, 3, 5), ended_on=date(2025, 3, 14), stops_clock=True
    )
    with time_machine.travel(at(2025, 3, 18, 12), tick=False):
        assert deadline_recompute(case)
    assert case.deadline == date(2025, 3, 26)
    assert case.escalated_at is None


def test_the_beat_task_runs_the_sweep(cases_for_sweep):
    with time_machine.travel(at(2025, 3, 18, 7, 30), tick=False):
        assert tasks.periodic_case_deadlines_sweep_task()["escalated"] == 2
        assert tasks.periodic_case_deadlines_sweep_task()["escalated"] == 0


def test_the_beat_schedule_has_the_sweep():
    from config.celery import app

    entries = [e["task"] for e in app.conf.beat_schedule.values()]
    assert "cases.tasks.periodic_case_deadlines_sweep_task" in entries
