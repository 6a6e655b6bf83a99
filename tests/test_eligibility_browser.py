"""Browser: a relative reports a pensioner's death online (no login), a clerk investigates and
confirms it, a reviewer approves, and the overpayment appears: benefit-rules.md (i), died
2025-03-05, April to June paid at 3,000: 9,000 to recover. axe finds no WCAG A/AA violation on
the public form, its answer, the queue and the investigation."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from conftest import PASSWORD
from tests.browser import axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.fixture
def paid_pensioner(region, agency, make_user, settings, tmp_path):
    """A pensioner paid 3,000 a month from January to June 2025 by the benefits payment run."""
    from benefits.services import bankfile, runs
    from benefits.tests.factories import award
    from registration.tests.factories import id_number, person

    settings.MEDIA_ROOT = tmp_path / "private"
    starter = make_user(Role.CLERK, username="run-starter")
    approver = make_user(Role.SUPERVISOR, username="run-approver")
    someone = person(region, name="张三", number=id_number(birth="19480305"))
    pension = award(region, person=someone, amount="3000.00", start=date(2025, 1, 1))
    for month in range(1, 7):
        run = runs.payment_run_start(region=region, period=date(2025, month, 1), by=starter)
        runs.payment_run_approve(run_id=run.pk, by=approver)
        bankfile.payment_run_release(run_id=run.pk, by=approver)
    return someone, pension


def test_a_relative_reports_a_death_a_clerk_verifies_and_the_overpayment_appears(
    live_server,
    page,
    _browser,  # noqa: PT019 - its value is used: a second and third browser context
    make_user,
    paid_pensioner,
):
    someone, pension = paid_pensioner
    make_user(Role.CLERK, username="clerk", full_name="王经办")
    make_user(Role.REVIEWER, username="reviewer", full_name="李复核")

    # 1. A relative, not logged in, reports the death online.
    page.goto(f"{live_server.url}/eligibility/report/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.inner_text("h1") == "报告停止享受待遇情形"
    _assert_accessible(page)
    page.get_by_label("发生的情形").select_option("death")
    page.get_by_label("当事人公民身份号码").fill(someone.id_number)
    page.get_by_label("当事人姓名").fill("张三")
    page.get_by_label("情形发生日期").fill("2025-03-05")
    page.get_by_label("您是").select_option("relative")
    page.get_by_label("您的姓名").fill("张小三")
    page.get_by_label("与当事人关系").fill("子女")
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "报告已收到"
    answer = page.locator("dl.facts").inner_text()
    assert "2025-04-02" in answer  # the Art. 25 deadline: 20 working days after the death
    assert "否" in answer  # reported after it
    _assert_accessible(page)

    # 2. The clerk finds the suspicion (nothing held yet: anyone can report online) and
    # investigates: the report is confirmed.
    clerk_page = _browser.new_context(locale="zh-CN").new_page()
    login(clerk_page, live_server.url, "clerk", PASSWORD)
    clerk_page.goto(f"{live_server.url}/eligibility/")
    row = clerk_page.locator("tr", has_text="张三")
    assert "尚未处理" in row.inner_text()
    _assert_accessible(clerk_page)
    row.get_by_role("button", name="调查核实").click()
    clerk_page.wait_for_load_state("networkidle")
    assert clerk_page.inner_text("h1").startswith("调查核实")
    _assert_accessible(clerk_page)
    clerk_page.get_by_label("证实：已不符合待遇领取资格").check()
    clerk_page.get_by_label("理由和证据").fill("民政部门死亡登记与家属提交的死亡证明一致")
    clerk_page.get_by_role("button", name="提出结论").click()
    clerk_page.wait_for_load_state("networkidle")
    assert "结论待另一人审核" in clerk_page.locator(".messages").inner_text()
    investigation_url = clerk_page.url
    pension.refresh_from_db()
    assert pension.status == "active"  # 9,000 at stake: a second person decides

    # 3. The reviewer approves; the award stops from the death and the overpayment appears.
    reviewer_page = _browser.new_context(locale="zh-CN").new_page()
    login(reviewer_page, live_server.url, "reviewer", PASSWORD)
    reviewer_page.goto(investigation_url)
    reviewer_page.get_by_role("button", name="审核通过该结论").click()
    reviewer_page.wait_for_load_state("networkidle")
    overpayment = reviewer_page.locator(".overpayment").inner_text()
    assert "9000.00" in overpayment
    _assert_accessible(reviewer_page)

    pension.refresh_from_db()
    assert (pension.status, pension.stopped_on) == ("stopped", date(2025, 3, 5))
    debt = pension.debts.get()
    assert (debt.amount, debt.cause) == (Decimal("9000.00"), "late_report")
