"""Call-backs to the duty app that owns a service item.

    from cases import handlers

    def award_on_decided(case: Case, decision: Decision) -> None: ...

    handlers.register("unemployment_benefit", on_decided=award_on_decided)   # in AppConfig.ready()

`on_decided(case, decision)` runs inside the transaction that makes the decision effective, so the
owning app's rows commit with it or not at all; raise a DomainError to refuse the decision (the
approver sees its message). Slow work (letters, payments to a bank) goes to
`transaction.on_commit`. `on_finished(case)` runs the same way when a case ends without a decision
(not accepted or withdrawn). `validate_payload(payload)` runs when a case is filed and may raise
InvalidInputError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cases.models import Case, Decision

OnDecided = Callable[["Case", "Decision"], None]
OnFinished = Callable[["Case"], None]
ValidatePayload = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class ItemHandler:
    item_code: str
    on_decided: OnDecided | None = None
    on_finished: OnFinished | None = None
    validate_payload: ValidatePayload | None = None


_handlers: dict[str, ItemHandler] = {}


def register(
    item_code: str,
    *,
    on_decided: OnDecided | None = None,
    on_finished: OnFinished | None = None,
    validate_payload: ValidatePayload | None = None,
) -> None:
    """Register the owning app's call-backs for one item code (call from AppConfig.ready())."""
    _handlers[item_code] = ItemHandler(item_code, on_decided, on_finished, validate_payload)


def unregister(item_code: str) -> None:
    _handlers.pop(item_code, None)


def handler_for(item_code: str) -> ItemHandler | None:
    return _handlers.get(item_code)
