"""Masks for personal numbers where the full number is not needed (Art. 49)."""


def mask_id_number(value: str | None) -> str:
    """110105********002X: region and last four stay, the birth date and sequence go."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_account_number(value: str | None) -> str:
    """Only the last four digits of a bank account."""
    if not value:
        return ""
    return "*" * max(0, len(value) - 4) + value[-4:]
