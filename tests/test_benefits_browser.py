"""Browser: a pension claim from application to first payment. A clerk files it at the counter,
accepts it, calculates it (every step with its rule) and proposes the decision; a reviewer
approves it (four eyes) and the decision letter carries the Art. 52 notice; the clerk starts
January's payment run, a supervisor approves it and the bank file is released; the award's
page shows the first payment with the bank. axe finds no WCAG A/AA violation on the pages."""

from datetime import date

import pytest
from django.utils import translation

from accounts.roles import Role
from benefits.models import Award, ClaimStatus, Payment, PaymentRun, PaymentRunStatus
from benefits.tests.factories import ACCOUNT, account, contributions, pension_policies
from conftest import PASSWORD
from registration.tests.factories import id_number
from registration.tests.factories import person as make_person
from tests.browser import axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user):
    return {
        "clerk": make_user(Role.CLERK, username="browser-clerk", full_name="王经办"),
        "reviewer": make_user(Role.REVIEWER, username="browser-reviewer", full_name="李复核"),
        "supervisor": make_user(Role.SUPERVISOR, username="browser-sup", full_name="张主管"),
    }


@pytest.fixture
def pensioner(region, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    person = make_person(region, name="张退休", number=id_number("19641210"))
    contributions(person, 300, start=date(1995, 1, 1))
    account(person, "150000.00")
    pension_policies(region)
    return person


def _zh(label):
    with translation.override("zh-hans"):
        return str(label)


def _accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def _as(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server.url, user.username, PASSWORD)


def _click(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def test_a_pension_claim_from_application_to_first_payment(live_server, page, people, pensioner):
    _as(page, live_server, people["clerk"])
    page.goto(f"{live_server.url}/benefits/claims/")
    assert page.inner_text("h1") == "待遇申领"
    _accessible(page)

    page.goto(f"{live_server.url}/benefits/claims/new/?kind=pension")
    _accessible(page)
    page.fill("input[name=person_id_number]", pensioner.id_number)
    page.select_option("select[name=channel]", "counter")
    page.fill("input[name=payee_bank]", "中国工商银行")
    page.fill("input[name=payee_account]", ACCOUNT)
    page.select_option("select[name=category]", "male")
    page.fill("input[name=deemed_months]", "60")
    page.fill("input[name=average_contribution_index]", "1.2")
    _click(page, "#claim-form button[type=submit]")

    assert "基本养老金" in page.inner_text("h1")
    _click(page, "#accept-button")
    _click(page, "#calculate-button")
    assert page.inner_text("#calc-monthly") == "3719.14"
    steps = page.locator("table.data-table").first.inner_text()
    assert "基础养老金" in steps
    assert "2,640.00" in steps
    assert "国发〔2005〕38号 第六条" in steps
    _accessible(page)
    _click(page, "#propose-button")
    assert page.inner_text("#claim-status") == _zh(ClaimStatus.PROPOSED.label)
    assert page.locator("#approve-button").count() == 0  # the maker does not approve

    _as(page, live_server, people["reviewer"])
    page.goto(f"{live_server.url}/benefits/claims/")
    page.click("table.data-table tbody a")
    page.wait_for_load_state("networkidle")
    claim_url = page.url
    _click(page, "#approve-button")
    assert page.inner_text("#claim-status") == _zh(ClaimStatus.GRANTED.label)
    _click(page, "#letter-link")
    assert "准予" in page.inner_text("#letter-outcome")
    remedy = page.inner_text("#letter-remedy")
    assert "行政复议" in remedy
    assert "第五十二条" in remedy
    _accessible(page)

    _as(page, live_server, people["clerk"])
    page.goto(f"{live_server.url}/benefits/payment-runs/")
    page.fill("input[name=period]", "2025-01")
    _click(page, "#run-start-form button[type=submit]")
    assert page.inner_text("#run-status") == _zh(PaymentRunStatus.BUILT.label)
    assert page.inner_text("#run-net") == "3719.14"
    assert page.locator("#approve-run").count() == 0  # a clerk does not approve
    _accessible(page)

    _as(page, live_server, people["supervisor"])
    run = PaymentRun.objects.get()
    page.goto(f"{live_server.url}/benefits/payment-runs/{run.pk}/")
    _click(page, "#approve-run")
    page.goto(f"{live_server.url}/benefits/payment-runs/{run.pk}/")
    assert page.inner_text("#run-status") == _zh(PaymentRunStatus.RELEASED.label)
    assert page.inner_text("#file-total") == "3719.14"
    assert page.locator("#bank-file-link").count() == 1
    _accessible(page)

    award = Award.objects.get(person=pensioner)
    page.goto(f"{live_server.url}/benefits/awards/{award.pk}/")
    first = page.locator("#award-payments tbody tr").first.inner_text()
    assert "2025-01" in first
    assert "3719.14" in first
    assert "已送银行" in first
    _accessible(page)
    assert Payment.objects.filter(award=award).count() == 1
    assert "/benefits/claims/" in claim_url
