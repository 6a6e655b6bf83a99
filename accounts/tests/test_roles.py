"""Each role can do what it should and nothing more; the three administrators stay apart."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.errors import AdminRolesConflictError, RoleAssignmentNotAllowedError
from accounts.roles import Role
from accounts.services import user_roles_set
from audit.models import AuditEvent
from registration.models import Employer

pytestmark = pytest.mark.django_db


def _employer(region, code, name):
    return Employer.objects.create(
        credit_code=code, name=name, legal_representative="x", address="x", region=region
    )


def test_system_administrator_cannot_read_the_audit_trail(client, make_user):
    client.force_login(make_user(Role.SYSTEM_ADMIN))
    assert client.get("/audit/").status_code == 403
    assert client.get("/admin/audit/auditevent/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 200  # manages users


def test_auditor_reads_the_trail_but_cannot_write(client, make_user):
    auditor = make_user(Role.AUDITOR)
    client.force_login(auditor)
    assert client.get("/audit/").status_code == 200
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/core/policyparameter/add/").status_code == 403
    assert not auditor.has_perm("audit.change_auditevent")
    assert not auditor.has_perm("audit.delete_auditevent")
    event = AuditEvent.objects.first()
    if event is not None:
        assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403


def test_security_administrator_assigns_roles_but_not_configuration(client, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN)
    assert secadmin.has_perm("accounts.assign_roles")
    assert secadmin.has_perm("axes.delete_accessattempt")
    assert not secadmin.has_perm("core.change_policyparameter")
    assert not secadmin.has_perm("audit.view_auditevent")
    client.force_login(secadmin)
    assert client.get("/audit/").status_code == 403
    assert client.get("/admin/core/policyparameter/").status_code == 403


def test_system_administrator_cannot_assign_roles(make_user):
    sysadmin = make_user(Role.SYSTEM_ADMIN)
    clerk = make_user(Role.CLERK)
    with pytest.raises(RoleAssignmentNotAllowedError):
        user_roles_set(user_id=clerk.pk, roles=[Role.SUPERVISOR], by=sysadmin)


def test_roles_are_set_with_an_audit_event(make_user):
    secadmin = make_user(Role.SECURITY_ADMIN)
    clerk = make_user(Role.CLERK)
    user_roles_set(user_id=clerk.pk, roles=[Role.CLERK, Role.REVIEWER], by=secadmin)
    assert set(clerk.groups.values_list("name", flat=True)) == {"clerk", "reviewer"}
    event = AuditEvent.objects.get(action="accounts.user.roles_set")
    assert event.changes["roles"] == [["clerk"], ["clerk", "reviewer"]]


def test_two_administrator_roles_are_refused_by_the_service(make_user):
    secadmin = make_user(Role.SECURITY_ADMIN)
    user = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(AdminRolesConflictError):
        user_roles_set(user_id=user.pk, roles=[Role.SYSTEM_ADMIN, Role.AUDITOR], by=secadmin)
    assert list(user.groups.values_list("name", flat=True)) == ["sysadmin"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Role.SYSTEM_ADMIN, Role.AUDITOR),
        (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN),
        (Role.AUDITOR, Role.SECURITY_ADMIN),
    ],
)
def test_two_administrator_roles_are_refused_by_the_database(make_user, first, second):
    user = make_user(first)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.groups.add(Group.objects.get(name=second.value))  # behind the service's back


def test_an_administrator_may_also_hold_a_business_role(make_user):
    user = make_user(Role.SYSTEM_ADMIN)
    user.groups.add(Group.objects.get(name=Role.CLERK.value))
    assert user.groups.count() == 2


def test_admin_form_refuses_two_administrator_roles(client, make_user):
    secadmin = make_user(Role.SECURITY_ADMIN)
    target = make_user(Role.CLERK)
    client.force_login(secadmin)
    groups = Group.objects.filter(name__in=["sysadmin", "auditor"])
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {"groups": [g.pk for g in groups]},
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "三员分立" in response.content.decode() or "cannot hold" in response.content.decode()
    assert list(target.groups.values_list("name", flat=True)) == ["clerk"]


def test_employer_user_sees_only_its_own_employer(api_client, make_user, region):
    mine = _employer(region, "91110000600037341L", "甲公司")
    _employer(region, "91110105MA01DEMX1K", "乙公司")
    user = make_user(Role.EMPLOYER, employer=mine)
    api_client.force_authenticate(user)
    # Employer users have no API read scope by role; the portal page shows only their employer.
    assert api_client.get("/api/v1/employers").status_code == 403
    from django.test import Client

    web = Client()
    web.force_login(user)
    page = web.get("/registration/employers/").content.decode()
    assert "甲公司" in page
    assert "乙公司" not in page


def test_clerk_sees_employers_of_the_agency_pooling_region(
    api_client, make_user, region, other_region
):
    _employer(region, "91110000600037341L", "北京公司")
    _employer(other_region, "91110105MA01DEMX1K", "广州公司")
    api_client.force_authenticate(make_user(Role.CLERK))
    names = [row["name"] for row in api_client.get("/api/v1/employers").json()["results"]]
    assert names == ["北京公司"]


def test_clerk_cannot_reach_user_administration(client, make_user):
    client.force_login(make_user(Role.CLERK))
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/audit/").status_code == 403
