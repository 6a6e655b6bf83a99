"""Thin Celery wrappers: take ids, call one service."""

from celery import shared_task
from django.utils import timezone

from registration.services import accounts, comparison


@shared_task(acks_late=True)
def account_interest_credit_year_task(year: int) -> dict[str, object]:
    return accounts.account_interest_credit_year(year=year)


@shared_task(acks_late=True)
def periodic_account_interest_credit_task() -> dict[str, object]:
    """On 1 January, credit the year just ended. Safe to re-run: nothing is credited twice."""
    return accounts.account_interest_credit_year(year=timezone.localdate().year - 1)


@shared_task(acks_late=True)
def periodic_shared_records_compare_task() -> int:
    return comparison.shared_records_compare_pending()
