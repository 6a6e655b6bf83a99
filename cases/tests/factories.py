"""Many cases fast (bulk insert) for the worklist query-bound tests."""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import ric

from cases.models import Case, CaseStatus, ServiceItem
from cases.tests.conftest import at


def person_id(serial: int) -> str:
    base = f"110105198001{serial % 28 + 1:02d}{serial % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def bulk_cases(n: int, *, agency, assignee=None, item_code="unemployment_benefit", start=0):
    """`n` open cases received 2025-03-03 with deadlines spread over the next weeks."""
    item = ServiceItem.objects.get(code=item_code)
    region_id = agency.region.pooling_region_id or agency.region_id
    rows = [
        Case(
            case_number=f"SB20250303{start + i:07d}",
            item=item,
            applicant_kind="person",
            applicant_id_number=person_id(start + i),
            applicant_name=f"申请人{start + i}",
            channel="counter",
            received_by=agency,
            pooling_region_id=region_id,
            submitted_at=at(2025, 3, 3),
            received_on=date(2025, 3, 3),
            time_limit_working_days=10,
            clock_pauses_for_supplement=True,
            deadline=date(2025, 3, 10) + timedelta(days=i % 20),
            status=[CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW][i % 3],
            assignee=assignee if i % 2 else None,
        )
        for i in range(n)
    ]
    return Case.objects.bulk_create(rows, batch_size=500)
