"""Writes of the shared kernel: the official calendar years. Each audited."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import audit_event_record
from core import calendar
from core.models import CalendarDay, CalendarDayKind, CalendarYear

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# chinesecalendar names its holidays in English; the interface shows the Chinese name first.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def calendar_year_enter(
    *,
    year: int,
    holidays: Iterable[tuple[date, str]],
    makeup_days: Iterable[tuple[date, str]],
    source: str,
    notice_url: str = "",
    by: User | None,
) -> CalendarYear:
    """Enter (or replace) a year's official holiday notice, then recompute provisional deadlines."""
    holidays, makeup_days = list(holidays), list(makeup_days)
    for day, _name in [*holidays, *makeup_days]:
        if day.year != year:
            raise ValueError(f"{day} is not in {year}")
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "notice_url": notice_url}
        )
        CalendarDay.objects.filter(year=calendar_year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=d, year=calendar_year, kind=CalendarDayKind.HOLIDAY, name=n)
                for d, n in holidays
            ]
            + [
                CalendarDay(date=d, year=calendar_year, kind=CalendarDayKind.MAKEUP_WORKDAY, name=n)
                for d, n in makeup_days
            ]
        )
        audit_event_record(
            actor=by,
            action="core.calendar_year.enter",
            target=calendar_year,
            changes={"holidays": [None, len(holidays)], "makeup_days": [None, len(makeup_days)]},
            note=source,
        )
        calendar_year_changed(year=year)
    return calendar_year


def calendar_year_changed(*, year: int) -> None:
    """After the year's days change: recompute what depended on them, once the change commits."""
    from core import tasks

    transaction.on_commit(partial(tasks.calendar_dependents_recompute_task.delay, year))


def calendar_dependents_recompute(*, year: int) -> dict[str, int]:
    """Ask everything that stored a deadline touching `year` to recompute it."""
    changed = {name: recompute(year) for name, recompute in calendar.dependents().items()}
    logger.info("recomputed deadlines for calendar year %s: %s", year, changed)
    return changed


def calendar_seed_from_package(*, by: User | None = None) -> list[int]:
    """Load every year the chinesecalendar package covers and the database lacks, in one
    transaction with one audit event (a fresh database gets two decades of notices at once)."""
    from chinese_calendar import constants

    present = set(CalendarYear.objects.values_list("year", flat=True))
    days = [
        (day, CalendarDayKind.HOLIDAY, holiday) for day, holiday in constants.holidays.items()
    ] + [
        (day, CalendarDayKind.MAKEUP_WORKDAY, holiday)
        for day, holiday in constants.workdays.items()
    ]
    missing = sorted({day.year for day, _kind, _name in days} - present)
    if not missing:
        return []
    source = f"chinesecalendar {_package_version()} (国务院办公厅节假日安排通知)"
    with transaction.atomic():
        CalendarYear.objects.bulk_create(
            [CalendarYear(year=year, source=source) for year in missing]
        )
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=day, year_id=day.year, kind=kind, name=_holiday_name(holiday))
                for day, kind, holiday in days
                if day.year in missing
            ]
        )
        audit_event_record(
            actor=by,
            action="core.calendar_year.seed",
            changes={"years": [None, f"{missing[0]}-{missing[-1]}"]},
            note=source,
        )
        for year in missing:
            if present:  # years added beside existing ones: deadlines may depend on them
                calendar_year_changed(year=year)
    return missing


def _holiday_name(holiday: object) -> str:
    english = str(getattr(holiday, "value", holiday))
    return f"{HOLIDAY_NAMES_ZH.get(english, english)} {english}"


def _package_version() -> str:
    from importlib.metadata import version

    return version("chinesecalendar")
