"""Benefits writes. Modules by sub-domain; `benefits/__init__.py` lists the public interface."""

from benefits.services import (
    adjustments,
    awards,
    bankfile,
    claims,
    debts,
    runs,
    ui_medical,
)

__all__ = ["adjustments", "awards", "bankfile", "claims", "debts", "runs", "ui_medical"]
