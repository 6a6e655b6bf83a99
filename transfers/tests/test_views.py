"""The clerk pages and the portal page, through their URLs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from registration.models import Employer, Employment
from transfers.models import Transfer
from transfers.procedures import Side, TransferKind
from transfers.services import steps
from transfers.tests.conftest import PERSON_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(mover, gz, gz_agency, region, local_partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = steps.transfer_apply(
            kind=TransferKind.PENSION_EMP_INTER_AREA,
            id_number=mover.id_number,
            name=mover.name,
            other_region=region,
            agency=gz_agency,
            by=gz["clerk"],
        )
    return transfer


def test_the_clerk_list_shows_the_step_deadline(client, gz, applied):
    client.force_login(gz["clerk"])
    response = client.get(reverse("transfers:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert applied.reference in page
    assert applied.steps.get(number=1).deadline.strftime("%Y-%m-%d") in page


def test_a_clerk_applies_completes_step_one_and_the_old_region_sees_step_two(
    client, mover, gz, bj, region, local_partner, django_capture_on_commit_callbacks
):
    client.force_login(gz["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("transfers:new"),
            {
                "kind": TransferKind.PENSION_EMP_INTER_AREA,
                "id_number": mover.id_number,
                "name": mover.name,
                "other_region": region.pk,
                "channel": "counter",
            },
        )
    assert response.status_code == 302
    transfer = Transfer.objects.get(side=Side.IN)
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "pension_transfer_accept" not in detail.content.decode()  # shows names, not codes
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("transfers:step", args=[transfer.reference, 1, "complete"]))
    assert done.status_code == 302
    client.force_login(bj["clerk"])
    page = client.get(f"{reverse('transfers:detail', args=[transfer.reference])}?side=out")
    assert page.status_code == 200
    assert page.context["our_turn"] is True
    assert page.context["current"].number == 2


def test_a_refusal_needs_reasons_and_is_shown_as_a_message(client, gz, applied):
    client.force_login(gz["clerk"])
    response = client.post(
        reverse("transfers:step", args=[applied.reference, 1, "refuse"]),
        {"reasons": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    applied.refresh_from_db()
    assert applied.status == "open"


def test_the_application_form_names_the_field_in_error(client, gz, local_partner, region):
    client.force_login(gz["clerk"])
    response = client.post(
        reverse("transfers:new"),
        {
            "kind": TransferKind.PENSION_EMP_INTER_AREA,
            "id_number": PERSON_ID[:17] + ("1" if PERSON_ID[17] != "1" else "2"),
            "name": "某人",
            "other_region": region.pk,
            "channel": "counter",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "id_number" in errors, errors


def test_an_employer_follows_its_employees_transfer(
    client, applied, mover, other_region, make_user
):
    from accounts.roles import Role
    from core.demo import credit_code

    employer = Employer.objects.create(
        credit_code=credit_code("91440100MA01TQWX1"),
        name="广州测试有限公司",
        legal_representative="李明",
        address="广州市天河区",
        region=other_region,
    )
    Employment.objects.create(
        person=mover, employer=employer, start_date="2025-01-01", contribution_base=Decimal(8000)
    )
    user = make_user(Role.EMPLOYER, employer=employer, agency=None)
    client.force_login(user)
    portal = client.get(reverse("transfers:portal"))
    assert portal.status_code == 200
    assert applied.reference in portal.content.decode()
    detail = client.get(reverse("transfers:detail", args=[applied.reference]))
    assert detail.status_code == 200
    assert detail.templates[0].name == "transfers/portal_detail.html"


def test_a_person_sees_only_their_own_transfers(client, applied, mover, make_user):
    owner = make_user(is_staff=False, agency=None)
    mover.user = owner
    mover.save(update_fields=["user"])
    stranger = make_user(is_staff=False, agency=None)
    client.force_login(owner)
    assert client.get(reverse("transfers:detail", args=[applied.reference])).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("transfers:detail", args=[applied.reference])).status_code == 404
    assert applied.reference not in client.get(reverse("transfers:portal")).content.decode()


def test_staff_pages_refuse_people_without_the_permission(client, make_user, applied):
    client.force_login(make_user(is_staff=False, agency=None))
    assert client.get(reverse("transfers:list")).status_code == 403
    assert client.get(reverse("transfers:mismatches")).status_code == 403


def test_the_mismatch_queue_lists_differences(client, gz, applied):
    Transfer.objects.filter(pk=applied.pk).update(
        reconciliation="mismatch", reconciliation_note="declared 151400.00; received 150000.00"
    )
    client.force_login(gz["clerk"])
    response = client.get(reverse("transfers:mismatches"))
    assert response.status_code == 200
    assert "150000.00" in response.content.decode()


def test_the_reviewer_and_supervisor_approve_from_the_transfer_page(
    client, applied, bj, gz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steps.transfer_step_complete(transfer_id=applied.pk, number=1, by=gz["clerk"])
    outgoing = Transfer.objects.get(reference=applied.reference, side=Side.OUT)
    steps.transfer_step_complete(transfer_id=outgoing.pk, number=2, by=bj["clerk"])
    url = f"{reverse('transfers:detail', args=[applied.reference])}?side=out"
    for approver in ("reviewer", "supervisor"):
        client.force_login(bj[approver])
        page = client.get(url)
        assert page.context["pending_decision"] is not None
        assert "approve" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("transfers:step", args=[applied.reference, 2, "approve"]))
    outgoing.refresh_from_db()
    assert outgoing.current_step == 3
