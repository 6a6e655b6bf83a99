"""The amounts a transfer moves, computed in SQL from registration's records.

Pension, employee scheme (国办发〔2009〕66号 Art. 4; benefit-rules.md (f)):
  (1) the personal account: before 1998-01-01 the person's own contributions plus interest, from
      1998-01-01 the whole balance. Our ledger (registration.AccountEntry) only ever holds the
      person's own contributions (8% of the base), interest, transfers and corrections, so its
      whole balance is exactly (1): we move the whole balance;
  (2) the pooled fund: 12% of the sum of the person's actual yearly contribution bases from
      1998-01-01; a part year counts by its actual months. A year's contribution base is the sum
      of its monthly bases, so (2) is 12% × the sum of every monthly base since 1998-01, over the
      entries that were not reversed (a correction is a reversal plus a new entry). Rounded once,
      half-up to the fen, on the total ("按12%的总和转移").
The resident scheme moves only the personal account; medical insurance the record and, for the
employee scheme, its account (not kept by registration yet: the clerk states it); unemployment
insurance the record and its cumulative months (Art. 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from core.money import money
from registration.models import ContributionKind, ContributionRecord, ContributionSource
from registration.selectors import account_balance
from transfers.procedures import INSURANCE_TYPE, PENSION_KINDS, POOLED_FUND_KINDS, TransferKind

POOLED_FUND_RATE = Decimal("0.12")
POOLED_FUND_FROM = date(1998, 1, 1)
POOLED_RULE = (
    "国办发〔2009〕66号第四条：统筹基金以本人1998年1月1日后各年度实际缴费工资为基数，按12%的总和"
    "转移，参保缴费不足1年的按实际缴费月数计算；个人账户储存额全部转移"
)
ACCOUNT_RULE = "个人账户储存额全部转移（城乡居民基本养老保险）"
RECORD_RULE = "参保缴费记录转移，缴费年限累计计算（社会保险法第五十二条；医保办发〔2021〕43号）"


def pooled_fund(base_total: Decimal) -> Decimal:
    """12% of the summed contribution bases since 1998, half-up to the fen (66号 Art. 4(2))."""
    return money(base_total * POOLED_FUND_RATE)


def held_records(
    *, person_id: int, insurance_type: str, pooling_region_id: int
) -> QuerySet[ContributionRecord]:
    """The person's records this pooling region holds: paid here, or transferred in earlier.
    Entries that were not reversed, so a correction counts once."""
    return ContributionRecord.objects.filter(
        Q(region__pooling_region_id=pooling_region_id)
        | Q(region_id=pooling_region_id)
        | Q(source=ContributionSource.TRANSFER_IN),
        person_id=person_id,
        insurance_type=insurance_type,
        kind=ContributionKind.ENTRY,
        reversal__isnull=True,
    )


@dataclass(frozen=True)
class YearLine:
    year: int
    months: int
    base_total: Decimal


@dataclass
class PackageFigures:
    rule: str
    history: list[dict[str, Any]]
    months: int
    pooled_base_total: Decimal
    pooled_fund: Decimal
    account_balance: Decimal
    years: list[YearLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.pooled_fund + self.account_balance


def years_of(records: QuerySet[ContributionRecord]) -> list[YearLine]:
    rows = (
        records.values("month__year")
        .annotate(months=Count("month", distinct=True), base=Sum("base"))
        .order_by("month__year")
    )
    return [YearLine(row["month__year"], row["months"], row["base"]) for row in rows]


def package_compute(
    *,
    kind: str,
    person_id: int,
    pooling_region_id: int,
    account_amount: Decimal | None = None,
) -> PackageFigures:
    """What the old region sends: the history it holds, the months, and the funds."""
    insurance_type = INSURANCE_TYPE[kind]
    records = held_records(
        person_id=person_id, insurance_type=insurance_type, pooling_region_id=pooling_region_id
    )
    history = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "base": str(row["base"]),
            "employer_amount": str(row["employer_amount"]),
            "personal_amount": str(row["personal_amount"]),
            "region_code": row["region__code"],
        }
        for row in records.order_by("month", "pk").values(
            "month", "base", "employer_amount", "personal_amount", "region__code"
        )
    ]
    months = records.values("month").distinct().count()
    base_total = Decimal("0.00")
    fund = Decimal("0.00")
    rule = RECORD_RULE
    if kind in POOLED_FUND_KINDS:
        since = records.filter(month__gte=POOLED_FUND_FROM).aggregate(total=Sum("base"))["total"]
        base_total = since or Decimal("0.00")
        fund = pooled_fund(base_total)
        rule = POOLED_RULE
    if kind in PENSION_KINDS:
        balance = account_balance(person_id=person_id)
        if kind == TransferKind.PENSION_RESIDENT:
            rule = ACCOUNT_RULE
    else:
        balance = account_amount if account_amount is not None else Decimal("0.00")
    return PackageFigures(
        rule=rule,
        history=history,
        months=months,
        pooled_base_total=money(base_total),
        pooled_fund=fund,
        account_balance=money(balance),
        years=years_of(records),
    )


def history_recompute(kind: str, history: list[dict[str, Any]]) -> tuple[int, Decimal, Decimal]:
    """The receiver's own check of a received history: months, base total since 1998, and the
    pooled fund the 12% rule gives for it."""
    months = len({line["month"] for line in history})
    base_total = sum(
        (Decimal(line["base"]) for line in history if line["month"] >= "1998-01"),
        Decimal("0.00"),
    )
    fund = pooled_fund(base_total) if kind in POOLED_FUND_KINDS else Decimal("0.00")
    return months, money(base_total), fund
