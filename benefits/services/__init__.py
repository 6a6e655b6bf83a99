"""Benefits writes. Modules by sub-domain; benefits/__init__.py lists the public interface.
The award services other apps call are also importable from here."""

from benefits.services import (
    adjustments,
    awards,
    bankfile,
    claims,
    debts,
    runs,
    ui_medical,
)
from benefits.services.awards import (
    AwardSpec,
    StopResult,
    award_hold,
    award_hold_release,
    award_holds_open_many,
    award_resume,
    award_stop,
    award_suspend,
    person_awards_stop,
)

__all__ = [
    "AwardSpec",
    "StopResult",
    "adjustments",
    "award_hold",
    "award_hold_release",
    "award_holds_open_many",
    "award_resume",
    "award_stop",
    "award_suspend",
    "awards",
    "bankfile",
    "claims",
    "debts",
    "person_awards_stop",
    "runs",
    "ui_medical",
]
