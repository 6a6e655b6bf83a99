"""The annual adjustment of benefits in payment (e.g. the pension increase): a percentage and/or
a flat amount per month, from a month on, applied set-based in id-range chunks.

The new amount = ROUND(amount in force × (1 + percentage / 100), 2) + flat amount, rounded
half-up to the cent at that step (PostgreSQL's ROUND on numeric rounds half away from zero:
half-up for these positive amounts). The percentage and the flat amount come from the year's
adjustment notice (legal_basis, e.g. 人社部、财政部关于2024年调整退休人员基本养老金的通知: 3%);
local notices add their own flat and tilted parts as further adjustments.

An adjustment is kept (AwardAdjustment) and each award's new amount is a row of its history
(AwardAmount, unique per award and adjustment: running it again changes nothing). Months whose
payment run already exists are not reopened: an adjustment starts at the first month without a
run (AdjustmentRetroactiveError otherwise); paying a retroactive increase's arrears is not built.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from audit.services import audit_event_record
from benefits.errors import AdjustmentRetroactiveError
from benefits.models import (
    Award,
    AwardAdjustment,
    AwardAmount,
    AwardKind,
    PaymentRun,
)
from benefits.services.common import month_start, require_perm, table
from core.errors import InvalidInputError

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Region

CHUNK = 50_000


def award_adjustment_apply(
    *,
    region: Region,
    kinds: list[str],
    effective_month: date,
    percent: Decimal,
    flat_amount: Decimal,
    legal_basis: str,
    by: User,
) -> AwardAdjustment:
    """Apply an adjustment to the region's monthly awards of `kinds` that started before
    `effective_month` and are active or suspended."""
    require_perm(by, "benefits.approve_paymentrun")
    month = month_start(effective_month)
    if not kinds or any(kind not in AwardKind.values for kind in kinds):
        raise InvalidInputError(_("Choose the award kinds."), fields={"kinds": []})
    if percent < 0 or flat_amount < 0 or (percent == 0 and flat_amount == 0):
        raise InvalidInputError(
            _("Give a percentage, a flat amount, or both."), fields={"percent": []}
        )
    if not legal_basis.strip():
        raise InvalidInputError(_("Name the notice."), fields={"legal_basis": []})
    with transaction.atomic():
        if PaymentRun.objects.select_for_update().filter(region=region, period__gte=month).exists():
            raise AdjustmentRetroactiveError(
                _("A payment run for %(month)s or later exists; adjust from a later month.")
                % {"month": f"{month:%Y-%m}"}
            )
        duplicate = [
            a
            for a in AwardAdjustment.objects.filter(region=region, effective_month=month)
            if set(a.kinds) & set(kinds)
        ]
        if duplicate:
            raise AdjustmentRetroactiveError(
                _("These kinds were already adjusted from %(month)s.") % {"month": f"{month:%Y-%m}"}
            )
        adjustment = AwardAdjustment.objects.create(
            region=region,
            kinds=kinds,
            effective_month=month,
            percent=percent,
            flat_amount=flat_amount,
            legal_basis=legal_basis.strip(),
            applied_by=by,
        )
    count, increase = _apply(adjustment)
    with transaction.atomic():
        AwardAdjustment.objects.filter(pk=adjustment.pk).update(
            awards_adjusted=count, monthly_increase_total=increase
        )
        adjustment.refresh_from_db()
        audit_event_record(
            actor=by,
            action="benefits.adjustment.apply",
            target=adjustment,
            changes={
                "kinds": kinds,
                "from": month.isoformat(),
                "percent": str(percent),
                "flat_amount": str(flat_amount),
                "awards": count,
                "monthly_increase": str(increase),
            },
        )
    return adjustment


def _apply(adjustment: AwardAdjustment) -> tuple[int, Decimal]:
    """Chunk by chunk, each its own transaction; a chunk run twice adds nothing (the unique
    (award, adjustment) key and RETURNING only the rows inserted)."""
    awards = Award.objects.filter(region_id=adjustment.region_id)
    bounds = awards.aggregate(low=Min("id"), high=Max("id"))
    count, increase = 0, Decimal("0")
    if bounds["low"] is None:
        return 0, increase
    sql = f"""
        WITH priced AS (
            SELECT a.id, a.amount AS old,
                   ROUND(a.amount * (1 + %(percent)s::numeric / 100), 2)
                     + %(flat)s::numeric AS new
            FROM {table(Award)} a
            WHERE a.region_id = %(region)s AND a.id >= %(low)s AND a.id < %(high)s
              AND a.kind = ANY(%(kinds)s) AND a.frequency = 'monthly'
              AND a.status IN ('active', 'suspended')
              AND a.start_month < %(month)s AND a.amount_from <= %(month)s
        ), history AS (
            INSERT INTO {table(AwardAmount)}
                (award_id, effective_month, amount, reason, adjustment_id, created_at)
            SELECT id, %(month)s, new, 'adjustment', %(adjustment)s, now() FROM priced
            ON CONFLICT DO NOTHING
            RETURNING award_id, amount
        ), updated AS (
            UPDATE {table(Award)} a SET amount = h.amount, amount_from = %(month)s
            FROM history h, priced p
            WHERE a.id = h.award_id AND p.id = h.award_id
            RETURNING h.amount - p.old AS delta
        )
        SELECT COUNT(*), COALESCE(SUM(delta), 0) FROM updated"""  # noqa: S608
    for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(
                sql,
                {
                    "percent": adjustment.percent,
                    "flat": adjustment.flat_amount,
                    "region": adjustment.region_id,
                    "low": low,
                    "high": low + CHUNK,
                    "kinds": list(adjustment.kinds),
                    "month": adjustment.effective_month,
                    "adjustment": adjustment.pk,
                },
            )
            done, delta = cursor.fetchone()
            count += int(done)
            increase += delta
    return count, increase
