"""Print this deployment's public key (from TRANSFERS_SIGNING_KEY) and key id."""

from typing import Any

from django.core.management.base import BaseCommand

from transfers import conf, signing


class Command(BaseCommand):
    help = "Print this deployment's key id and public key, for partners to register."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"key id: {conf.key_id()}\npublic key: {signing.our_public_key()}\n")
