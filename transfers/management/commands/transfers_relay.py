"""Deliver the outbox messages that are due (what the beat sweep does), or all pending ones."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from transfers.services.relay import outbox_relay_due


class Command(BaseCommand):
    help = "Relay due transfer messages to partner agencies; --now: every pending one at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="do not wait for the backoff")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = outbox_relay_due(force=options["now"])
        self.stdout.write(" ".join(f"{key}={value}" for key, value in sorted(counts.items())))
