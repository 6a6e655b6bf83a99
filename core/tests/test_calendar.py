"""The working-day calendar against ../shared/regulation/working-days.md."""

from datetime import date

import pytest

from core import calendar
from core.models import CalendarDay, CalendarYear
from core.services import calendar_dependents_recompute, calendar_year_enter

pytestmark = pytest.mark.django_db


# working-days.md §3: the six worked examples (start, N working days, deadline).
@pytest.mark.parametrize(
    ("start", "working_days", "deadline"),
    [
        (date(2025, 1, 24), 10, date(2025, 2, 13)),  # unemployment benefit across Spring Festival
        (date(2026, 2, 12), 20, date(2026, 3, 18)),  # pension claim across the 9-day festival
        (date(2025, 9, 26), 10, date(2025, 10, 16)),  # registration across National Day 2025
        (date(2024, 9, 27), 20, date(2024, 10, 30)),  # Art. 25 report across National Day 2024
        (date(2026, 9, 18), 30, date(2026, 11, 5)),  # manual reimbursement, Mid-Autumn + Oct
        (date(2026, 2, 13), 15, date(2026, 3, 12)),  # pension transfer step
    ],
)
def test_worked_examples(start, working_days, deadline):
    result = calendar.add_working_days(start, working_days)
    assert result.date == deadline
    assert result.provisional is False


def test_the_start_day_is_not_counted():
    # Mon 2025-03-03 + 1 working day is Tue 2025-03-04, not the Monday itself.
    assert calendar.add_working_days(date(2025, 3, 3), 1).date == date(2025, 3, 4)
    assert calendar.add_working_days(date(2025, 3, 3), 0).date == date(2025, 3, 3)


def test_start_on_a_rest_day_counts_from_the_next_working_day():
    # Sat 2025-03-08: day 1 is Mon 03-10, day 5 is Fri 03-14.
    assert calendar.add_working_days(date(2025, 3, 8), 5).date == date(2025, 3, 14)


def test_start_inside_a_holiday_block():
    # 2025-10-03 is in the National Day block (Oct 1-8); make-up Sat Oct 11 counts.
    # Counted: 10-09, 10-10, 10-11 (make-up), 10-13, 10-14.
    assert calendar.add_working_days(date(2025, 10, 3), 5).date == date(2025, 10, 14)


def test_make_up_saturday_is_a_working_day():
    assert calendar.is_working_day(date(2026, 2, 14))  # Sat, make-up for Spring Festival 2026
    assert calendar.is_working_day(date(2025, 1, 26))  # Sun, make-up
    assert not calendar.is_working_day(date(2026, 2, 16))  # Mon in the festival
    assert not calendar.is_working_day(date(2025, 3, 8))  # ordinary Saturday


def test_year_counts_match_the_official_tables():
    # working-days.md §2 "Machine-readable summary": working days per year.
    for year, expected in [(2024, 251), (2025, 248), (2026, 248)]:
        count = calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
        assert (count.days, count.provisional) == (expected, False)


def test_a_year_without_official_data_is_provisional_and_does_not_crash():
    assert not CalendarYear.objects.filter(year=2027).exists()
    # 20 working days from Mon 2026-12-14 reach into 2027: Jan 1 2027 is a fixed holiday.
    result = calendar.add_working_days(date(2026, 12, 14), 20)
    assert result.provisional is True
    # Dec 15-31 2026 has 13 working days; then Jan 4-8 (5), Jan 11, 12 → 2027-01-12.
    assert result.date == date(2027, 1, 12)
    assert not calendar.is_working_day(date(2027, 10, 2))  # fixed-date National Day holiday
    assert calendar.working_days_between(date(2027, 3, 1), date(2027, 3, 8)).provisional


def test_entering_a_year_recomputes_what_depended_on_it(django_capture_on_commit_callbacks):
    seen: list[int] = []
    calendar.register_dependent("test", lambda year: seen.append(year) or 1)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_enter(
                year=2027,
                holidays=[(date(2027, 1, 1), "元旦"), (date(2027, 2, 8), "春节")],
                makeup_days=[(date(2027, 2, 6), "春节")],
                source="国务院办公厅关于2027年部分节假日安排的通知",
                by=None,
            )
    finally:
        calendar._dependents.pop("test")
    assert seen == [2027]
    assert calendar.is_working_day(date(2027, 2, 6))  # Saturday made a working day
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert calendar.add_working_days(date(2027, 3, 1), 3).provisional is False


def test_recompute_reports_per_dependent():
    calendar.register_dependent("counting", lambda year: 3)
    try:
        assert calendar_dependents_recompute(year=2027)["counting"] == 3
    finally:
        calendar._dependents.pop("counting")


def test_admin_edit_of_a_day_takes_effect_at_once():
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()  # drop a make-up Saturday
    assert not calendar.is_working_day(date(2026, 10, 10))


def test_deadline_api(api_client):
    response = api_client.get(
        "/api/v1/calendar/deadline", {"start": "2025-01-24", "working_days": 10}
    )
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-01-24",
        "working_days": 10,
        "deadline": "2025-02-13",
        "provisional": False,
    }


def test_deadline_api_flags_provisional(api_client):
    response = api_client.get(
        "/api/v1/calendar/deadline", {"start": "2026-12-20", "working_days": 20}
    )
    assert response.json()["provisional"] is True


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-02-30", "working_days": 10},
        {"start": "yesterday", "working_days": 10},
        {"start": "2025-01-24", "working_days": -1},
        {"start": "2025-01-24"},
        {"working_days": 3},
    ],
)
def test_deadline_api_rejects_bad_parameters(api_client, params):
    response = api_client.get("/api/v1/calendar/deadline", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]


def test_deadline_api_is_rate_limited(api_client, settings):
    from rest_framework.settings import api_settings

    from core.api import PublicRateThrottle

    original = PublicRateThrottle.THROTTLE_RATES
    PublicRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "public": "3/minute",
    }
    try:
        codes = [
            api_client.get(
                "/api/v1/calendar/deadline", {"start": "2025-01-24", "working_days": 1}
            ).status_code
            for _ in range(4)
        ]
    finally:
        PublicRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]
