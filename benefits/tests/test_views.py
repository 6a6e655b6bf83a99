"""The clerk pages through their public URLs: each renders for the role that uses it, refuses
one that may not, and shows a refused action as a message."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AccessLogEntry
from benefits.models import Award, ClaimStatus, Payment, PaymentRun, PaymentRunStatus
from benefits.tests.factories import ACCOUNT, account, award, contributions, pension_policies
from registration.tests.factories import id_number
from registration.tests.factories import person as make_person

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


@pytest.fixture
def pensioner(region):
    person = make_person(region, name="张退休", number=id_number("19641210"))
    contributions(person, 300, start=date(1995, 1, 1))
    account(person, "150000.00")
    pension_policies(region)
    return person


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, follow=True, **extra)


def test_a_pension_claim_through_the_pages(client, pensioner, clerk, reviewer):
    _login(client, clerk)
    page = client.get(reverse("benefits:claim_new") + "?kind=pension")
    assert page.status_code == 200
    token = page.context["form"].initial["token"]
    response = _post(
        client,
        reverse("benefits:claim_new"),
        {
            "kind": "pension",
            "token": token,
            "person_id_number": pensioner.id_number,
            "channel": "counter",
            "payee_bank": "中国工商银行",
            "payee_account": ACCOUNT,
            "category": "male",
            "deemed_months": "60",
            "average_contribution_index": "1.2",
        },
    )
    assert "claim" in response.context, (
        response.context["form"].errors,
        [str(m) for m in response.context["messages"]],
    )
    claim = response.context["claim"]
    for action in ("accept", "calculate", "propose"):
        response = _post(client, reverse("benefits:claim_action", args=[claim.pk, action]))
        assert response.status_code == 200, action
        assert not [m for m in response.context["messages"] if m.level_tag == "error"], action
    assert "3719.14" in response.content.decode()
    assert AccessLogEntry.objects.filter(subject_id=str(pensioner.pk)).exists()

    client.logout()
    _login(client, reviewer)
    response = _post(client, reverse("benefits:claim_action", args=[claim.pk, "approve"]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    letter = client.get(reverse("benefits:claim_letter", args=[claim.pk]))
    text = letter.content.decode()
    assert "第五十二条" in text
    assert "3719.14" in text
    award_page = client.get(reverse("benefits:award_detail", args=[Award.objects.get().pk]))
    assert award_page.status_code == 200


def test_an_employer_user_cannot_see_claims(client, make_user):
    user = make_user(Role.EMPLOYER)
    _login(client, user)
    assert client.get(reverse("benefits:claims")).status_code == 403
    assert client.get(reverse("benefits:runs")).status_code == 403


def test_a_refused_approval_shows_as_a_message(
    client, region, clerk, supervisor, django_capture_on_commit_callbacks
):
    award(region)
    _login(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, reverse("benefits:runs"), {"period": "2025-03"})
    run = PaymentRun.objects.get()
    assert run.status == PaymentRunStatus.BUILT
    assert response.status_code == 200
    # The clerk cannot approve: the page says so, nothing changes.
    response = _post(client, reverse("benefits:run_action", args=[run.pk, "approve"]))
    messages = [str(m) for m in response.context["messages"]]
    assert messages
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.BUILT

    client.logout()
    _login(client, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, reverse("benefits:run_action", args=[run.pk, "approve"]))
    response = client.get(reverse("benefits:run_detail", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == PaymentRunStatus.RELEASED
    assert "3000.00" in response.content.decode()
    download = client.get(reverse("benefits:run_file", args=[run.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("gb18030").startswith("H,SIPAY1")


def test_a_second_start_of_the_month_is_refused_on_the_page(client, region, clerk):
    award(region)
    _login(client, clerk)
    _post(client, reverse("benefits:runs"), {"period": "2025-03"})
    response = _post(client, reverse("benefits:runs"), {"period": "2025-03"})
    assert PaymentRun.objects.count() == 1
    assert any("2025-03" in str(m) for m in response.context["messages"])


def test_award_and_overpayment_pages(client, region, clerk, pay):
    from benefits.services.awards import award_stop

    pension = award(region, amount="3000.00")
    pay(region, date(2025, 3, 1))
    pay(region, date(2025, 4, 1))
    result = award_stop(award_id=pension.pk, stop_date=date(2025, 3, 10), cause="death", by=clerk)
    _login(client, clerk)
    assert client.get(reverse("benefits:awards")).status_code == 200
    assert client.get(reverse("benefits:debts")).status_code == 200
    page = client.get(reverse("benefits:debt_detail", args=[result.debt.pk]))
    assert page.status_code == 200
    response = _post(client, reverse("benefits:debt_action", args=[result.debt.pk, "order"]))
    assert response.status_code == 200
    letter = client.get(reverse("benefits:debt_letter", args=[result.debt.pk]))
    assert "第四十六条" in letter.content.decode()
    response = _post(
        client,
        reverse("benefits:debt_action", args=[result.debt.pk, "repay"]),
        {"amount": "1000.00", "reference": "R-1"},
    )
    result.debt.refresh_from_db()
    assert result.debt.outstanding == Decimal("2000.00")
    assert Payment.objects.count() == 2


def test_the_checker_returns_a_decision_from_the_claim_page(
    client, pensioner, agency, clerk, reviewer
):
    from benefits.services import claims

    claim = claims.claim_file(
        kind="pension",
        person_id_number=pensioner.id_number,
        channel="counter",
        received_by=agency,
        by=clerk,
        inputs={"category": "male", "deemed_months": 60, "average_contribution_index": "1.2"},
        payee_bank="中国工商银行",
        payee_account=ACCOUNT,
    )
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
    _login(client, reviewer)
    url = reverse("benefits:claim_action", args=[claim.pk, "return"])

    refused = _post(client, url, {"note": ""})  # the reason is required
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROPOSED
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]

    response = _post(client, url, {"note": "视同缴费证明不全"})

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CALCULATED
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
