"""The name searches use their trigram indexes at scale: ~50,000 people and employers, and the
plan PostgreSQL chooses (EXPLAIN), not a timing."""

import pytest
from django.db import connection

from accounts.roles import Role
from registration import selectors
from registration.models import Employer, InsuredPerson
from registration.tests import factories

pytestmark = pytest.mark.django_db

ROWS = 50_000
# Varied Chinese names: a surname, a given name and one more character from the CJK block.
NAME_SQL = (
    "(ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + mod(g, 10)]"
    " || (ARRAY['建','秀','伟','芳','娜','敏','静','丽','强','磊','军','洋'])[1 + mod(g / 10, 12)]"
    " || chr(19968 + mod(g * 7919, 20000))"
)


def copies(model, template, overrides):
    """ROWS copies of `template` in one INSERT ... SELECT, with `overrides` (column -> SQL over
    the series value g) for the unique and searched columns; then ANALYZE."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(column, f"t.{column}") for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
            [ROWS, template.pk],
        )
        cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK)


def test_the_person_name_search_uses_the_trigram_index(region, clerk):
    template = factories.person(region, name="模板")
    copies(
        InsuredPerson,
        template,
        {"name": NAME_SQL, "id_number_hash": "'h' || g", "id_number": "t.id_number"},
    )
    factories.person(region, name="欧阳明远")
    assert InsuredPerson.objects.count() == ROWS + 2
    found = selectors.person_search(user=clerk, query="阳明远")
    assert [person.name for person in found] == ["欧阳明远"]
    plan = found.explain()
    assert "person_name_trgm" in plan, plan


def test_the_employer_name_search_uses_the_trigram_index(region, clerk):
    template = factories.employer(region, name="模板单位")
    copies(
        Employer,
        template,
        {"name": NAME_SQL + " || '有限公司'", "credit_code": "'X' || lpad(g::text, 17, '0')"},
    )
    factories.employer(region, name="北京示范科技有限公司")
    found = selectors.employer_search(user=clerk, query="示范科技")
    assert [employer.name for employer in found] == ["北京示范科技有限公司"]
    plan = found.explain()
    assert "employer_name_trgm" in plan, plan
