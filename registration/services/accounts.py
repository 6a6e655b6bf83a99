"""The personal pension account ledger (Art. 11): transfers, offsets and yearly interest.

Every posting is safe to repeat: interest is unique per account and year, and postings from
other systems are unique per account, kind and the sender's reference.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from audit.services import audit_event_record
from core.models import Region
from core.money import money
from core.policy import PolicyParameterMissingError, policy_decimal
from registration.errors import AccountBalanceInsufficientError
from registration.models import AccountEntry, AccountEntryKind, InsuredPerson, PersonalAccount

if TYPE_CHECKING:
    from accounts.models import User

INTEREST_CHUNK = 20_000
# Interest on the year's own credits: they were paid in over the year, so on average they earn
# for about half of it. The national rule (劳办发〔1997〕116号, "年度计息":
# 本年记账额 × 本年记账利率 × 1.083 × 1/2) uses the factor 1.083/2; UNVERIFIED here, as
# benefit-rules.md only says "annual
# interest at the effective-dated rate". The rate is policy "account_interest_rate".
CURRENT_YEAR_FACTOR = Decimal("1.083") / 2

OUTFLOWS = (AccountEntryKind.TRANSFER_OUT, AccountEntryKind.DEDUCTION)


def _account_for(person_id: int) -> PersonalAccount:
    person = InsuredPerson.objects.select_related("region").get(pk=person_id)
    account, _created = PersonalAccount.objects.get_or_create(
        person=person,
        defaults={"region_id": person.region.pooling_region_id or person.region_id},
    )
    return PersonalAccount.objects.select_for_update().get(pk=account.pk)


def account_post(
    *,
    person_id: int,
    kind: str,
    amount: Decimal,
    reference: str,
    by: User | None,
    note: str = "",
    year: int | None = None,
) -> tuple[AccountEntry, bool]:
    """Post a transfer in or out, or a deduction (an offset under Art. 46), to a person's
    account. `amount` is positive; outflows are stored negative and may not exceed the balance.
    The same (kind, reference) again returns the first entry (created False)."""
    if kind not in (AccountEntryKind.TRANSFER_IN, *OUTFLOWS):
        raise ValueError(f"account_post does not post {kind!r}")
    if amount <= 0 or not reference:
        raise ValueError("amount must be positive and reference given")
    with transaction.atomic():
        account = _account_for(person_id)  # locked: two offsets cannot both see one balance
        existing = AccountEntry.objects.filter(
            account=account, kind=kind, reference=reference
        ).first()
        if existing is not None:
            return existing, False
        signed = -money(amount) if kind in OUTFLOWS else money(amount)
        if signed < 0:
            balance = account.entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")
            if balance + signed < 0:
                raise AccountBalanceInsufficientError(
                    f"账户余额{balance}不足 / the balance {balance} is less than {amount}",
                    balance=str(balance),
                )
        entry = AccountEntry.objects.create(
            account=account,
            kind=kind,
            year=year or timezone.localdate().year,
            amount=signed,
            reference=reference,
            note=note[:300],
        )
        audit_event_record(
            actor=by,
            action=f"registration.account.{kind}",
            target=account,
            changes={"amount": str(signed), "reference": reference},
            note=note,
        )
    return entry, True


def account_interest_credit_year(*, year: int, by: User | None = None) -> dict[str, object]:
    """Credit one year's interest to every account, at the rate in force on 31 December for the
    account's pooling region (policy "account_interest_rate"). Set-based, in account-id chunks of
    their own transactions; running it again credits nothing twice (unique account, year, kind).

    interest = ROUND(balance at the end of the previous year × rate
                     + the year's own entries × rate × 1.083 / 2, 2)
    ROUND on numeric rounds half away from zero: half-up for these non-negative amounts."""
    rates: dict[int, Decimal] = {}
    missing: list[str] = []
    for region in Region.objects.filter(
        pk__in=PersonalAccount.objects.values("region_id").distinct()
    ):
        try:
            rates[region.pk] = policy_decimal(
                "account_interest_rate", on=date(year, 12, 31), region=region
            )
        except PolicyParameterMissingError:
            missing.append(region.code)
    bounds = PersonalAccount.objects.aggregate(low=Min("id"), high=Max("id"))
    credited = 0
    if rates and bounds["low"] is not None:
        values = ", ".join(["(%s::bigint, %s::numeric)"] * len(rates))
        flat = [item for pair in rates.items() for item in pair]
        for low in range(bounds["low"], bounds["high"] + 1, INTEREST_CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"""INSERT INTO {AccountEntry._meta.db_table}
                          (account_id, kind, year, amount, rate, reference, note, posted_at)
                        SELECT a.id, %s, %s,
                               ROUND(COALESCE(SUM(e.amount) FILTER (WHERE e.year < %s), 0)
                                     * r.rate
                                     + COALESCE(SUM(e.amount) FILTER (
                                         WHERE e.year = %s AND e.kind <> %s), 0)
                                     * r.rate * %s, 2),
                               r.rate, '', %s, now()
                        FROM {PersonalAccount._meta.db_table} a
                        JOIN (VALUES {values}) AS r(region_id, rate) ON r.region_id = a.region_id
                        JOIN {AccountEntry._meta.db_table} e
                          ON e.account_id = a.id AND e.year <= %s
                        WHERE a.id >= %s AND a.id < %s
                        GROUP BY a.id, r.rate
                        ON CONFLICT DO NOTHING""",  # noqa: S608 - placeholders only
                    [
                        AccountEntryKind.INTEREST,
                        year,
                        year,
                        year,
                        AccountEntryKind.INTEREST,
                        CURRENT_YEAR_FACTOR,
                        f"{year}年度记账利息 interest for {year}",
                        *flat,
                        year,
                        low,
                        low + INTEREST_CHUNK,
                    ],
                )
                credited += cursor.rowcount
    with transaction.atomic():
        audit_event_record(
            actor=by,
            action="registration.account.interest_credit",
            changes={"year": year, "credited": credited, "regions_without_rate": missing},
        )
    return {"year": year, "credited": credited, "regions_without_rate": missing}
