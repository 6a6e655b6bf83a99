"""The Art. 25 notice duty: deadlines in working days, on time or late, and the daily sweep."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from core.services import calendar_dependents_recompute, calendar_year_enter
from eligibility.models import CreditRecord, DutyHolder, StopEvent, StopEventReport
from eligibility.models.notice import KnownFrom
from eligibility.services.notice import notice_deadline, notice_duty_sweep, stop_event_report
from eligibility.tests.factories import employer, hire, id_number, person

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def report(number, event_date, submitted_at, **extra):
    fields = {
        "id_number": number,
        "subject_name": "张三",
        "kind": "death",
        "event_date": event_date,
        "reporter_kind": "relative",
        "reporter_name": "张小三",
        "relationship": "子女",
        "channel": "online",
        "by": None,
        "submitted_at": submitted_at,
    }
    fields.update(extra)
    return stop_event_report(**fields)[0]


def test_the_deadline_is_20_working_days_across_national_day_2024():
    # working-days.md worked example 4: a death on Fri 2024-09-27 -> Wed 2024-10-30.
    result = notice_deadline(date(2024, 9, 27))
    assert (result.date, result.provisional) == (date(2024, 10, 30), False)


def test_a_report_on_the_last_day_is_on_time_and_the_day_after_is_late(region):
    number = id_number()
    person(region, number=number)
    on_time = report(number, date(2024, 9, 27), at(2024, 10, 30, 23))  # late evening counts
    late = report(number, date(2024, 9, 27), at(2024, 10, 31, 9))
    assert (on_time.deadline, on_time.is_on_time) == (date(2024, 10, 30), True)
    assert (late.deadline, late.is_on_time) == (date(2024, 10, 30), False)
    event = StopEvent.objects.get()
    assert event.first_report == on_time  # the duty is judged by the first report
    assert event.is_reported_on_time is True


def test_the_worked_example_of_a_late_death_report(region):
    # benefit-rules.md (i): died 2025-03-05, reported 2025-06-20; the deadline was 2025-04-02.
    number = id_number()
    person(region, number=number)
    made = report(number, date(2025, 3, 5), at(2025, 6, 20))
    assert (made.deadline, made.is_on_time) == (date(2025, 4, 2), False)
    assert made.person is not None
    assert AuditEvent.objects.filter(action="eligibility.stop_event_report.receive").count() == 1


def test_a_report_on_an_unknown_person_is_kept_without_an_event(region):
    made = report(id_number(), date(2025, 3, 5), at(2025, 3, 10))
    assert made.person is None
    assert made.stop_event is None
    assert StopEvent.objects.count() == 0


def test_invalid_reports_are_refused_field_by_field(region):
    from core.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as error:
        report("123", date(2030, 1, 1), at(2025, 3, 10), reporter_name=" ")
    assert set(error.value.fields) == {"id_number", "event_date", "reporter_name"}
    assert StopEventReport.objects.count() == 0


def test_an_employee_s_event_is_the_employer_s_duty(region, make_user):
    clerk = make_user(Role.CLERK)
    company = employer(region)
    number = id_number()
    hire(company, clerk, number=number)
    report(number, date(2025, 3, 5), at(2025, 3, 6), reporter_kind="employer", employer=company)
    event = StopEvent.objects.get()
    assert (event.duty_holder, event.employer) == (DutyHolder.EMPLOYER, company)


def test_an_employer_reports_about_its_own_people_only(region):
    from core.errors import InvalidInputError

    stranger = id_number()
    person(region, number=stranger)
    with pytest.raises(InvalidInputError) as error:
        report(
            stranger,
            date(2025, 3, 5),
            at(2025, 3, 6),
            reporter_kind="employer",
            employer=employer(region),
        )
    assert set(error.value.fields) == {"id_number"}
    assert (StopEventReport.objects.count(), StopEvent.objects.count()) == (0, 0)


def test_a_deadline_in_an_unpublished_year_is_provisional_until_the_notice_is_entered(region):
    number = id_number()
    someone = person(region, number=number)
    event = StopEvent.objects.create(
        person=someone,
        kind="death",
        event_date=date(2026, 12, 18),
        deadline=notice_deadline(date(2026, 12, 18)).date,
        deadline_provisional=notice_deadline(date(2026, 12, 18)).provisional,
        duty_holder=DutyHolder.BENEFICIARY,
        known_from=KnownFrom.DATA_COMPARISON,
    )
    assert event.deadline_provisional is True
    # 2026-12-18 + 20 WD with Mon-Fri and Jan 1 off: 2027-01-18. Say the 2027 notice gives
    # Jan 1-3 off and Jan 4 (Mon) off as well.
    calendar_year_enter(
        year=2027,
        holidays=[(date(2027, 1, 1), "元旦"), (date(2027, 1, 4), "元旦")],
        makeup_days=[],
        source="test notice",
        by=None,
    )
    changed = calendar_dependents_recompute(year=2027)
    event.refresh_from_db()
    assert changed["eligibility"] == 1
    assert (event.deadline, event.deadline_provisional) == (date(2027, 1, 19), False)


def _employer_event(region, clerk, event_date, **fields):
    company = employer(region)
    number = id_number()
    hire(company, clerk, number=number)
    someone = person(region, number=number)
    deadline = notice_deadline(event_date)
    return StopEvent.objects.create(
        person=someone,
        kind="death",
        event_date=event_date,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        duty_holder=DutyHolder.EMPLOYER,
        employer=company,
        known_from=KnownFrom.DATA_COMPARISON,
        **fields,
    )


def test_the_sweep_records_an_employer_that_did_not_report_once(region, make_user):
    event = _employer_event(region, make_user(Role.CLERK), date(2025, 3, 5))
    assert notice_duty_sweep(today=date(2025, 4, 2)) == 0  # the deadline day itself: still time
    assert notice_duty_sweep(today=date(2025, 4, 3)) == 1
    assert notice_duty_sweep(today=date(2025, 4, 3)) == 0  # a second run records nothing twice
    record = CreditRecord.objects.get()
    assert (record.employer, record.subject_kind, record.occurred_on) == (
        event.employer,
        "employer",
        date(2025, 4, 3),
    )
    assert "第二十五条" in record.legal_basis
    assert record.evidence["deadline"] == "2025-04-02"


def test_the_sweep_catches_up_after_missed_days(region, make_user):
    clerk = make_user(Role.CLERK)
    older = _employer_event(region, clerk, date(2025, 3, 5))
    newer = _employer_event(region, clerk, date(2025, 3, 10))
    # The scheduler did not run for weeks: one run finds both.
    assert notice_duty_sweep(today=date(2025, 5, 20)) == 2
    assert set(CreditRecord.objects.values_list("stop_event", flat=True)) == {older.pk, newer.pk}


def test_an_on_time_report_is_no_breach_and_a_late_one_is(region, make_user):
    clerk = make_user(Role.CLERK)
    on_time = _employer_event(region, clerk, date(2025, 3, 5), reported_on=date(2025, 4, 2))
    late = _employer_event(region, clerk, date(2025, 3, 5), reported_on=date(2025, 4, 3))
    assert notice_duty_sweep(today=date(2025, 6, 1)) == 1
    assert CreditRecord.objects.get().stop_event == late
    assert not CreditRecord.objects.filter(stop_event=on_time).exists()


def test_a_relatives_duty_writes_no_employer_record(region):
    number = id_number()
    someone = person(region, number=number)
    StopEvent.objects.create(
        person=someone,
        kind="death",
        event_date=date(2025, 3, 5),
        deadline=date(2025, 4, 2),
        duty_holder=DutyHolder.BENEFICIARY,
        known_from=KnownFrom.DATA_COMPARISON,
    )
    assert notice_duty_sweep(today=date(2025, 6, 1)) == 0


def test_the_api_report_answers_its_deadline_and_is_idempotent_by_reference(gov_api, region):
    number = id_number()
    person(region, number=number)
    body = {
        "reference": "MZ-2025-0001",
        "id_number": number,
        "name": "张三",
        "event": "death",
        "event_date": "2024-09-27",
        "reporter_kind": "relative",
        "reporter_name": "张小三",
    }
    first = gov_api.post("/api/v1/stop-event-reports", body, format="json")
    again = gov_api.post("/api/v1/stop-event-reports", body, format="json")
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert first.json()["deadline"] == "2024-10-30"
    assert first.json()["on_time"] is False
    assert first.json()["person_found"] is True
    assert again.json()["id"] == first.json()["id"]
    status = gov_api.get("/api/v1/stop-event-reports/MZ-2025-0001")
    assert status.json()["id"] == first.json()["id"]


def test_the_report_status_is_only_for_its_sender(gov_api, region, make_user, client):
    number = id_number()
    body = {
        "reference": "MZ-1",
        "id_number": number,
        "name": "张三",
        "event": "death",
        "event_date": "2025-03-05",
        "reporter_kind": "relative",
        "reporter_name": "张小三",
    }
    gov_api.post("/api/v1/stop-event-reports", body, format="json")
    employer_user = make_user(Role.EMPLOYER, employer=employer(region))
    from rest_framework.test import APIClient

    other = APIClient()
    other.force_authenticate(employer_user)
    assert other.get("/api/v1/stop-event-reports/MZ-1").status_code in (403, 404)
