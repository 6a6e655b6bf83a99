"""Registration writes (Arts. 6-11), one module per sub-domain. Each write is one transaction
with its audit event."""

from registration.services.employers import employer_register_from_market

__all__ = ["employer_register_from_market"]
