"""Seed the official holiday calendars from the chinesecalendar package (working-days.md §4).

Later years are entered by the system administrator when the State Council's notice appears."""

from importlib.metadata import version

from django.db import migrations

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(holiday):
    english = str(getattr(holiday, "value", holiday))
    return f"{NAMES_ZH.get(english, english)} {english}"


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    source = f"chinesecalendar {version('chinesecalendar')} (国务院办公厅节假日安排通知)"
    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    for year in sorted(years - existing):
        CalendarYear.objects.create(year=year, source=source)
    days = [
        CalendarDay(date=day, year_id=day.year, kind="holiday", name=_name(holiday))
        for day, holiday in constants.holidays.items()
        if day.year not in existing
    ] + [
        CalendarDay(date=day, year_id=day.year, kind="makeup", name=_name(holiday))
        for day, holiday in constants.workdays.items()
        if day.year not in existing
    ]
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
