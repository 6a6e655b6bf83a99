"""Art. 24 ¶2 (SIL Art. 48): while unemployment benefit is paid, the UI fund pays the person's
basic medical insurance contributions (maternity included); the person pays nothing.

A monthly set-based job: for every unemployment award payable in the month, one posting of
base × rate, rounded half-up to the cent (ROUND on numeric: half away from zero, i.e. half-up
for these positive amounts), the base and rate being the region's effective-dated figures
(policy ui_medical_contribution_base / ui_medical_contribution_rate). Unique per award and month:
running it again posts nothing twice. The postings are benefits' record of what the UI fund
owes the medical fund; registration has no service yet to record them as the person's medical
contributions (reported).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from audit.services import audit_event_record
from benefits import selectors
from benefits.models import Award, AwardKind, UiMedicalPosting
from benefits.services.common import month_add, month_start, table
from core.models import Region
from core.policy import PolicyParameterMissingError

CHUNK = 50_000


def ui_medical_postings(*, period: date) -> dict[str, Any]:
    """Post the month's medical contributions for every region with unemployment awards."""
    period = month_start(period)
    posted: dict[str, int] = {}
    missing: list[str] = []
    region_ids = (
        Award.objects.filter(kind=AwardKind.UNEMPLOYMENT)
        .values_list("region_id", flat=True)
        .distinct()
    )
    for region in Region.objects.filter(pk__in=list(region_ids)).order_by("code"):
        try:
            policy = selectors.unemployment_policy_get(region=region, on=period)
        except PolicyParameterMissingError:
            missing.append(region.code)
            continue
        posted[region.code] = _post_region(
            region, period, policy.medical_contribution_base, policy.medical_contribution_rate
        )
    with transaction.atomic():
        audit_event_record(
            actor=None,
            action="benefits.ui_medical.post",
            changes={
                "period": period.isoformat(),
                "posted": posted,
                "regions_without_figures": missing,
            },
        )
    return {"period": period.isoformat(), "posted": posted, "regions_without_figures": missing}


def _post_region(region: Region, period: date, base: Any, rate: Any) -> int:
    awards = Award.objects.filter(region=region, kind=AwardKind.UNEMPLOYMENT)
    bounds = awards.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return 0
    total = 0
    for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {table(UiMedicalPosting)}
                        (award_id, person_id, region_id, period, contribution_base, rate,
                         amount, created_at)
                    SELECT a.id, a.person_id, a.region_id, %(period)s, %(base)s, %(rate)s,
                           ROUND(%(base)s::numeric * %(rate)s::numeric, 2), now()
                    FROM {table(Award)} a
                    WHERE a.region_id = %(region)s AND a.kind = 'unemployment'
                      AND a.id >= %(low)s AND a.id < %(high)s
                      AND a.status IN ('active', 'suspended')
                      AND a.start_month <= %(period)s
                      AND (a.end_month IS NULL OR a.end_month >= %(period)s)
                    ON CONFLICT (award_id, period) DO NOTHING""",  # noqa: S608
                {
                    "period": period,
                    "base": base,
                    "rate": rate,
                    "region": region.pk,
                    "low": low,
                    "high": low + CHUNK,
                },
            )
            total += int(cursor.rowcount)
    return total


def ui_medical_postings_for_last_month() -> dict[str, Any]:
    """The beat task's entry: last month (run on the 1st; a re-run posts nothing twice)."""
    return ui_medical_postings(period=month_add(month_start(timezone.localdate()), -1))
