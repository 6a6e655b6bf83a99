"""The audit trail: chained, append-only in the database, failing closed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.roles import Role
from audit.models import AccessLogEntry, AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import access_log_record, audit_event_record
from registration.models import Employer
from registration.services import employer_register_from_market

pytestmark = pytest.mark.django_db


def _events(actor, count):
    for number in range(count):
        with transaction.atomic():
            audit_event_record(actor=actor, action="test.thing.do", note=f"event {number}")


def test_the_chain_verifies(make_user):
    _events(make_user(Role.CLERK), 5)
    report = audit_chain_verify()
    assert report.intact
    assert report.checked == AuditEvent.objects.count()
    call_command("verify_audit")


def test_update_and_delete_are_refused_by_the_database(make_user):
    _events(make_user(Role.CLERK), 1)
    event = AuditEvent.objects.order_by("-id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    entry = access_log_record(actor=None, subject=event, purpose="test")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


def _tamper(sql, params):
    """Change a row behind the ORM's back, as someone with the table owner's rights could."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_altered_row_is_caught(make_user):
    _events(make_user(Role.CLERK), 5)
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE audit_auditevent SET note = 'nothing to see' WHERE id = %s", [victim.pk])
    report = audit_chain_verify()
    assert (report.intact, report.broken_at) == (False, victim.pk)
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"broken at event {victim.pk}"):
        call_command("verify_audit")


def test_removed_row_is_caught(make_user):
    _events(make_user(Role.CLERK), 5)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [ids[2]])
    report = audit_chain_verify()
    assert report.broken_at == ids[3]
    assert "removed" in report.reason


def test_a_failed_audit_write_rolls_the_change_back(make_user, region):
    clerk = make_user(Role.CLERK)
    with connection.cursor() as cursor:  # make every audit insert fail, inside this test only
        cursor.execute(
            "CREATE FUNCTION pg_temp.fail() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'audit store unavailable'; END; $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER audit_fail BEFORE INSERT ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.fail()"
        )
    with pytest.raises(DatabaseError, match="audit store unavailable"):
        employer_register_from_market(
            credit_code="91110000600037341L",
            name="示范",
            legal_representative="李",
            address="北京",
            region_code="110000",
            by=clerk,
        )
    assert not Employer.objects.exists()


def test_every_service_write_records_who_what_before_after(make_user, region):
    clerk = make_user(Role.CLERK)
    employer, _ = employer_register_from_market(
        credit_code="91110000600037341L",
        name="示范",
        legal_representative="李",
        address="北京",
        region_code="110000",
        by=clerk,
    )
    event = AuditEvent.objects.get(action="registration.employer.register")
    assert event.actor == clerk
    assert event.target_type == "registration.Employer"
    assert event.target_id == str(employer.pk)
    assert event.changes["name"] == [None, "示范"]


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused(make_user):
    with pytest.raises(RuntimeError):
        audit_event_record(actor=make_user(Role.CLERK), action="test.x")


def test_auditor_filters_the_trail_in_the_web_ui(client, make_user):
    clerk = make_user(Role.CLERK, username="clerk-a")
    other = make_user(Role.CLERK, username="clerk-b")
    _events(clerk, 2)
    _events(other, 3)
    client.force_login(make_user(Role.AUDITOR))
    page = client.get("/audit/", {"actor": "clerk-b"}).content.decode()
    assert page.count("test.thing.do") == 3
    assert "clerk-a" not in page.split("<tbody>")[1]


def test_auditor_starts_the_chain_check_and_sees_its_result(
    client, make_user, django_capture_on_commit_callbacks
):
    _events(make_user(Role.CLERK), 3)
    client.force_login(make_user(Role.AUDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/verify/")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "intact" in page
    assert "True" in page


def test_an_employer_bound_api_client_is_recorded_as_an_api_client(make_user, region):
    """Its service account is an employer user, but the request came with a client's token."""
    from core import context

    user = make_user(Role.EMPLOYER, username="api:payroll")
    token = context.set_current(context.RequestContext(request_id="r1", client_id="payroll"))
    try:
        with transaction.atomic():
            event = audit_event_record(actor=user, action="test.thing.do")
    finally:
        context.reset(token)
    assert (event.actor_label, event.actor_kind) == ("api:payroll", "api_client")


def test_the_trail_page_runs_the_same_queries_for_a_long_trail(
    client, make_user, django_assert_max_num_queries
):
    clerk = make_user(Role.CLERK)
    client.force_login(make_user(Role.AUDITOR))
    _events(clerk, 5)
    with django_assert_max_num_queries(12) as short:
        client.get("/audit/")
    _events(clerk, 300)
    with django_assert_max_num_queries(len(short.captured_queries)):
        page = client.get("/audit/")
    assert page.content.decode().count("test.thing.do") == 50  # one page, keyset-paginated


def test_truncate_is_refused_without_the_test_only_setting():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL si.allow_audit_truncate = off")
        with (
            pytest.raises(DatabaseError, match="TRUNCATE on audit_auditevent refused"),
            transaction.atomic(),
        ):
            cursor.execute("TRUNCATE audit_auditevent")
