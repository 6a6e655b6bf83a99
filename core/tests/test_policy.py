"""Effective-dated policy parameters: the value in force by date and region, with fallback."""

from datetime import date
from decimal import Decimal

import pytest

from core.models import PolicyParameter, Region
from core.policy import PolicyParameterMissingError, policy_decimal, policy_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def chaoyang(region):
    return Region.objects.create(
        code="110105", name="朝阳区", level="county", parent=region, pooling_region=region
    )


def _param(key, region, valid_from, value):
    return PolicyParameter.objects.create(
        key=key, region=region, valid_from=valid_from, value=value, source="test"
    )


def test_value_in_force_on_a_date(region):
    _param("average_monthly_wage", region, date(2024, 1, 1), "11297.00")
    _param("average_monthly_wage", region, date(2025, 1, 1), "11761.00")
    assert policy_decimal("average_monthly_wage", on=date(2024, 12, 31), region=region) == Decimal(
        "11297.00"
    )
    assert policy_decimal("average_monthly_wage", on=date(2025, 1, 1), region=region) == Decimal(
        "11761.00"
    )


def test_child_region_falls_back_to_parent_then_nation(region, chaoyang):
    _param("account_interest_rate", None, date(2024, 1, 1), "0.0262")
    _param("average_monthly_wage", region, date(2024, 1, 1), "11297.00")
    assert policy_value(
        "average_monthly_wage", on=date(2025, 6, 1), region=chaoyang
    ).region_code == ("110000")
    assert policy_decimal("account_interest_rate", on=date(2025, 6, 1), region=chaoyang) == Decimal(
        "0.0262"
    )
    _param("average_monthly_wage", chaoyang, date(2025, 1, 1), "12000.00")
    assert policy_decimal("average_monthly_wage", on=date(2025, 6, 1), region=chaoyang) == Decimal(
        "12000.00"
    )


def test_missing_value_is_a_clear_error(region):
    _param("average_monthly_wage", region, date(2025, 1, 1), "11761.00")
    with pytest.raises(PolicyParameterMissingError) as caught:
        policy_decimal("average_monthly_wage", on=date(2024, 6, 1), region=region)
    assert "2024-06-01" in caught.value.message


def test_an_admin_edit_is_audited(client, make_user, region):
    from accounts.roles import Role
    from audit.models import AuditEvent

    client.force_login(make_user(Role.SYSTEM_ADMIN))
    response = client.post(
        "/admin/core/policyparameter/add/",
        {
            "key": "average_monthly_wage",
            "region": region.pk,
            "valid_from": "2026-01-01",
            "value": "12000.00",
            "source": "北京市人社局公告",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.policyparameter.add")
    assert event.changes["value"] == [None, "12000.00"]
    assert event.actor.has_role(Role.SYSTEM_ADMIN)


def test_admin_refuses_a_value_of_the_wrong_kind(client, make_user, region):
    from accounts.roles import Role

    client.force_login(make_user(Role.SYSTEM_ADMIN))
    response = client.post(
        "/admin/core/policyparameter/add/",
        {
            "key": "average_monthly_wage",
            "region": region.pk,
            "valid_from": "2026-01-01",
            "value": "about twelve thousand",
            "source": "x",
        },
    )
    assert response.status_code == 200
    assert not PolicyParameter.objects.filter(valid_from=date(2026, 1, 1)).exists()
