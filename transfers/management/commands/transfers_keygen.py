"""Make a new Ed25519 key pair for TRANSFERS_SIGNING_KEY; partners register the public key."""

from typing import Any

from django.core.management.base import BaseCommand

from transfers import signing


class Command(BaseCommand):
    help = "Print a new TRANSFERS_SIGNING_KEY and its public key (give the public key to partners)."

    def handle(self, *args: Any, **options: Any) -> None:
        private = signing.new_private_key()
        public = signing.public_key_of(signing.private_key_from(private))
        self.stdout.write(f"TRANSFERS_SIGNING_KEY={private}\n")
        self.stdout.write(f"public key: {public}\n")
