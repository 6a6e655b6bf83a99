from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core 基础"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_seed_calendar_if_empty, sender=self)


def _seed_calendar_if_empty(**kwargs: Any) -> None:
    """An empty calendar (a fresh or flushed database) is refilled from chinesecalendar."""
    from core.models import CalendarYear
    from core.services import calendar_seed_from_package

    if not CalendarYear.objects.exists():
        calendar_seed_from_package()
