"""manage.py seed_demo: load the demo data. Refused unless DJANGO_DEMO is on; safe to run twice."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DemoContext, seeders


class Command(BaseCommand):
    help = "Load demo data (demo and test installations only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is refused: DJANGO_DEMO is off (production settings).")
        context = DemoContext()
        for name, seeder in seeders():
            with transaction.atomic():
                seeder(context)
            self.stdout.write(f"demo data: {name}")
        self.stdout.write(self.style.SUCCESS("demo data loaded"))
