"""Deadlines in working days on real cases: holidays, make-up days, office hours, provisional
years (working-days.md §3 worked examples)."""

from datetime import date

import pytest
from django.test import override_settings

from cases.clock import case_deadline, receipt_date, sla_dates
from cases.models import Case, CaseEvent, CaseEventKind, SlaStatus
from cases.tests.conftest import at
from core.services import calendar_year_enter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("item_code", "submitted", "deadline"),
    [
        # §3.1 unemployment benefit (Art. 24, 10 WD) received Fri 2025-01-24: Spring Festival.
        ("unemployment_benefit", at(2025, 1, 24), date(2025, 2, 13)),
        # §3.2 pension claim (Art. 18, 20 WD) received Thu 2026-02-12: the 9-day festival.
        ("pension_claim", at(2026, 2, 12), date(2026, 3, 18)),
        # §3.3 individual registration (Art. 6, 10 WD) received Fri 2025-09-26: National Day.
        ("person_registration", at(2025, 9, 26), date(2025, 10, 16)),
        # §3.5 manual reimbursement (Art. 20, 30 WD) received Fri 2026-09-18.
        ("medical_manual_reimbursement", at(2026, 9, 18), date(2026, 11, 5)),
        # §3.6 pension transfer step (国办发〔2009〕66号, 15 WD) received Fri 2026-02-13.
        ("pension_transfer_accept", at(2026, 2, 13), date(2026, 3, 12)),
    ],
)
def test_a_filed_case_gets_the_worked_examples_deadline(file_case, item_code, submitted, deadline):
    case = file_case(item_code, submitted_at=submitted)
    assert case.received_on == submitted.date()
    assert (case.deadline, case.deadline_provisional) == (deadline, False)


def test_a_submission_after_office_hours_counts_from_the_next_working_day(file_case):
    # Fri 2025-01-24 at 18:05 (after 17:30): received on Sun 2025-01-26, a make-up working day;
    # 10 WD later: 01-27, 02-05 … 02-08 (make-up Sat), 02-10 … 02-14 → Fri 2025-02-14.
    case = file_case(submitted_at=at(2025, 1, 24, 18, 5))
    assert case.submitted_at == at(2025, 1, 24, 18, 5)
    assert case.received_on == date(2025, 1, 26)
    assert case.deadline == date(2025, 2, 14)


def test_a_submission_on_a_rest_day_counts_from_the_next_working_day(file_case):
    case = file_case(submitted_at=at(2025, 10, 4, 9, 0))  # Sat in the National Day block
    assert case.received_on == date(2025, 10, 9)


@override_settings(OFFICE_HOURS_END="")
def test_the_office_hours_rule_can_be_switched_off():
    assert receipt_date(at(2025, 1, 24, 23, 0)) == date(2025, 1, 24)


@override_settings(OFFICE_HOURS_END="20:00")
def test_the_office_hours_end_is_configurable():
    assert receipt_date(at(2025, 3, 3, 19, 0)) == date(2025, 3, 3)
    assert receipt_date(at(2025, 3, 3, 20, 0)) == date(2025, 3, 4)


def test_a_pause_moves_the_deadline_by_the_working_days_it_stopped():
    # Received Mon 2025-03-03, 10 WD → Mon 03-17. Paused Wed 03-05 to Mon 03-10: the clock
    # stood still on 03-06, 03-07 and 03-10 (3 WD), so the deadline is Thu 03-20.
    plain = case_deadline(received_on=date(2025, 3, 3), working_days=10, pauses=[])
    assert plain.date == date(2025, 3, 17)
    paused = case_deadline(
        received_on=date(2025, 3, 3),
        working_days=10,
        pauses=[(date(2025, 3, 5), date(2025, 3, 10))],
    )
    assert (paused.date, paused.paused_working_days) == (date(2025, 3, 20), 3)


def test_a_pause_across_a_holiday_counts_only_working_days():
    # Paused Thu 2025-09-25 to Thu 2025-10-09: 09-26, 09-28 (make-up), 09-29, 09-30, 10-09 → 5.
    result = case_deadline(
        received_on=date(2025, 9, 22),
        working_days=10,
        pauses=[(date(2025, 9, 25), date(2025, 10, 9))],
    )
    assert result.paused_working_days == 5


def test_a_deadline_into_an_unpublished_year_is_provisional_and_recomputed(
    file_case, django_capture_on_commit_callbacks
):
    # 20 WD from Mon 2026-12-14 reach into 2027, whose notice is not out: provisional.
    case = file_case("pension_claim", submitted_at=at(2026, 12, 14))
    assert case.deadline_provisional
    assert case.deadline == date(2027, 1, 12)
    # The 2027 notice arrives: Jan 1-3 off, and (for the test) Mon Jan 4 off as well.
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(
            year=2027,
            holidays=[(date(2027, 1, 1), "元旦"), (date(2027, 1, 4), "元旦")],
            makeup_days=[],
            source="test notice",
            by=None,
        )
    case.refresh_from_db()
    assert case.deadline_provisional is False
    assert case.deadline == date(2027, 1, 13)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.DEADLINE_RECOMPUTED)
    assert event.data["year"] == 2027


def test_sla_status_is_computed_at_query_time(file_case):
    case = file_case(submitted_at=at(2025, 3, 3))  # deadline Mon 2025-03-17

    def sla_on(day):
        dates = sla_dates(day)
        return Case.objects.with_sla(today=dates.today, horizon=dates.horizon).get(pk=case.pk).sla

    assert sla_on(date(2025, 3, 10)) == SlaStatus.ON_TIME
    assert sla_on(date(2025, 3, 13)) == SlaStatus.DUE_SOON  # Thu: due within 2 WD (Fri, Mon)
    assert sla_on(date(2025, 3, 12)) == SlaStatus.ON_TIME  # Wed: Thu, Fri are the next 2 WD
    assert sla_on(date(2025, 3, 17)) == SlaStatus.DUE_SOON  # due today
    assert sla_on(date(2025, 3, 18)) == SlaStatus.OVERDUE
