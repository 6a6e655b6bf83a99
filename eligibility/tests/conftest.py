"""Fixtures for eligibility: staff of each role, beneficiaries with awards, paid months."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.roles import Role


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
def pay(django_capture_on_commit_callbacks, clerk, supervisor):
    """Pay months end to end (benefits' payment run): start, build, approve, release."""
    from benefits.services import bankfile, runs

    def run_months(region, *months: date):
        for month in months:
            with django_capture_on_commit_callbacks(execute=True):
                run = runs.payment_run_start(region=region, period=month, by=clerk)
            runs.payment_run_approve(run_id=run.pk, by=supervisor)
            with django_capture_on_commit_callbacks(execute=True):
                bankfile.payment_run_release(run_id=run.pk, by=supervisor)

    return run_months
