"""UI-paid medical contributions (to be written)."""

from typing import Any


def ui_medical_postings_for_last_month() -> dict[str, Any]:
    return {}
