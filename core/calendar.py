"""Chinese working days (工作日), the one calendar service every statutory time limit uses.

Rules (../shared/regulation/working-days.md §1):
- Monday to Friday work, Saturday and Sunday rest (国务院关于职工工作时间的规定 Art. 7);
- public holidays are off and make-up days (调休上班日) are on, as the State Council's yearly notice
  says; the notice's days are data (CalendarYear, CalendarDay), never code;
- "within N working days": the start day is not counted; the first working day after it is day 1,
  the Nth is the last day (民法典 Art. 201, applied by analogy).

A year whose notice has not been entered falls back to a provisional estimate (weekends and the
fixed-date holidays of 全国年节及纪念日放假办法 Art. 2); every answer that touched such a year says
`provisional`, and entering the year recomputes what depended on it (`register_dependent`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.models import CalendarDay, CalendarDayKind, CalendarYear

# 全国年节及纪念日放假办法 (2024 revision) Art. 2: the holidays fixed by solar date. The lunar ones
# (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) cannot be known before the notice.
FIXED_DATE_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class Deadline:
    start: date
    working_days: int
    date: date
    provisional: bool


@dataclass(frozen=True)
class WorkingDayCount:
    days: int
    provisional: bool


@dataclass
class _Year:
    official: bool
    holidays: frozenset[date] = frozenset()
    makeup_days: frozenset[date] = frozenset()


@dataclass
class WorkingCalendar:
    """Reads each year it needs once; create one per computation so edits show at once."""

    _years: dict[int, _Year] = field(default_factory=dict)

    def _year(self, year: int) -> _Year:
        if year not in self._years:
            self._years[year] = _load_year(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        year = self._year(day.year)
        if not year.official:
            return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS
        return day in year.makeup_days or (day.weekday() < 5 and day not in year.holidays)

    def is_provisional(self, day: date) -> bool:
        return not self._year(day.year).official

    def add_working_days(self, start: date, working_days: int) -> Deadline:
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day, counted, provisional = start, 0, False
        while counted < working_days:
            day += timedelta(days=1)
            provisional = provisional or self.is_provisional(day)
            if self.is_working_day(day):
                counted += 1
        return Deadline(start, working_days, day, provisional)

    def working_days_between(self, start: date, end: date) -> WorkingDayCount:
        """Working days d with start < d <= end (negative when end is before start)."""
        sign, low, high = (1, start, end) if end >= start else (-1, end, start)
        days, provisional, day = 0, False, low
        while day < high:
            day += timedelta(days=1)
            provisional = provisional or self.is_provisional(day)
            days += self.is_working_day(day)
        return WorkingDayCount(sign * days, provisional)

    def next_working_day(self, day: date) -> date:
        """The first working day after `day` (a receipt on a rest day counts from it)."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def _load_year(year: int) -> _Year:
    if not CalendarYear.objects.filter(year=year).exists():
        return _Year(official=False)
    holidays: set[date] = set()
    makeup_days: set[date] = set()
    for day, kind in CalendarDay.objects.filter(year_id=year).values_list("date", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else makeup_days).add(day)
    return _Year(official=True, holidays=frozenset(holidays), makeup_days=frozenset(makeup_days))


def is_working_day(day: date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: date, working_days: int) -> Deadline:
    return WorkingCalendar().add_working_days(start, working_days)


def working_days_between(start: date, end: date) -> WorkingDayCount:
    return WorkingCalendar().working_days_between(start, end)


# Whatever stores a provisional deadline registers here, from its AppConfig.ready(); entering a
# year calls each with that year, and each recomputes its own rows and returns how many changed.
ProvisionalDependent = Callable[[int], int]
_dependents: dict[str, ProvisionalDependent] = {}


def register_dependent(name: str, recompute: ProvisionalDependent) -> None:
    _dependents[name] = recompute


def dependents() -> dict[str, ProvisionalDependent]:
    return dict(_dependents)
