"""Register (or update) a partner agency, or the regions this deployment serves itself."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from transfers.services.partners import partner_register


class Command(BaseCommand):
    help = "Register a partner agency: key id, regions, base URL and public key (or --local)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the partner's key id")
        parser.add_argument("--name", required=True)
        parser.add_argument("--regions", required=True, help="comma-separated division codes")
        parser.add_argument("--base-url", default="")
        parser.add_argument("--public-key", default="")
        parser.add_argument("--our-key-id", default="", help="the id the partner knows us by")
        parser.add_argument(
            "--local", action="store_true", help="regions this deployment serves itself"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partner = partner_register(
            code=options["code"],
            name=options["name"],
            region_codes=[code.strip() for code in options["regions"].split(",") if code.strip()],
            base_url=options["base_url"],
            public_key=options["public_key"],
            our_key_id=options["our_key_id"],
            local=options["local"],
            by=None,
        )
        self.stdout.write(f"registered {partner.code} ({partner.get_status_display()})\n")
