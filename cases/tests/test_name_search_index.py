"""The worklist search by the applicant's name uses its trigram index at scale: ~50,000 cases,
and the plan PostgreSQL chooses (EXPLAIN), not a timing."""

import pytest

from cases.models import Case
from cases.tests.conftest import PERSON2_ID
from registration.tests.test_name_search_index import NAME_SQL, ROWS, copies

pytestmark = pytest.mark.django_db


def test_the_applicant_name_search_uses_the_trigram_index(file_case, clerk):
    template = file_case()
    copies(
        Case,
        template,
        {
            "applicant_name": NAME_SQL,
            "case_number": "'SB' || lpad(g::text, 18, '0')",
            "reference": "''",
        },
    )
    wanted = file_case(applicant_id_number=PERSON2_ID, applicant_name="欧阳明远")
    assert Case.objects.count() == ROWS + 2
    found = Case.objects.visible_to(clerk).search("阳明远")
    assert list(found) == [wanted]
    plan = found.explain()
    assert "case_applicant_name_trgm" in plan, plan
