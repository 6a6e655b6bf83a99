"""Demo transfers for `make run` (filled in below)."""

from __future__ import annotations

from core.demo import DemoContext


def seed_transfers(ctx: DemoContext) -> None:
    return None
