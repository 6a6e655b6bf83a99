"""Fixtures for benefits: staff of each role, a pooling region with its figures, a helper that
runs a payment run to the end with its tasks executed inline."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from benefits.services import bankfile, runs
from benefits.tests.factories import policy


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK, username="clerk", full_name="王经办")


@pytest.fixture
def clerk2(make_user):
    return make_user(Role.CLERK, username="clerk2", full_name="赵经办")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, username="reviewer", full_name="李复核")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR, username="supervisor", full_name="张主管")


@pytest.fixture
def supervisor2(make_user):
    return make_user(Role.SUPERVISOR, username="supervisor2", full_name="钱主管")


@pytest.fixture
def caps(region):
    """Art. 46 offset cap for the region: at most 20% of a payment."""
    return policy("offset_cap_ratio", "0.20", region)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 2 awards, so a handful of awards exercise several chunks."""
    monkeypatch.setattr(runs, "MIN_CHUNK_SIZE", 1)


@pytest.fixture
def pay(django_capture_on_commit_callbacks, clerk, supervisor):
    """Run a month end to end: start (clerk), build, approve and release (supervisor)."""

    def run_month(region, period, *, release=True, chunk_size=None):
        with django_capture_on_commit_callbacks(execute=True):
            run = runs.payment_run_start(
                region=region, period=period, by=clerk, chunk_size=chunk_size
            )
        run.refresh_from_db()
        if release:
            runs.payment_run_approve(run_id=run.pk, by=supervisor)
            with django_capture_on_commit_callbacks(execute=True):
                bankfile.payment_run_release(run_id=run.pk, by=supervisor)
            run.refresh_from_db()
        return run

    return run_month
