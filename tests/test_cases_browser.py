"""Browser: a clerk claims a case, asks once for the missing materials, records the supplement,
decides above the reviewer threshold; a reviewer approves (Art. 37). axe finds no WCAG A/AA
violation on the worklists, the case page and the public guide."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.models import Case, CaseStatus, DecisionStatus
from conftest import PASSWORD
from tests.browser import axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user):
    return {
        "clerk": make_user(Role.CLERK, username="browser-clerk", full_name="王经办"),
        "reviewer": make_user(Role.REVIEWER, username="browser-reviewer", full_name="李复核"),
    }


@pytest.fixture
def case(people, agency):
    return services.case_file(
        item_code="medical_manual_reimbursement",
        channel="counter",
        received_by=agency,
        by=people["clerk"],
        submitted_at=timezone.now(),
        applicant_id_number="110105198001010016",
        applicant_name="张三",
    )


def _clean(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_claim_supplement_decide_and_approve(live_server, page, people, case):
    login(page, live_server.url, "browser-clerk", PASSWORD)

    page.goto(f"{live_server.url}/cases/work/queue/")
    assert case.case_number in page.inner_text("table")
    _clean(page)
    page.get_by_role("button", name=f"认领案件{case.case_number}").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.case_number}/")
    assert "已认领本案" in page.inner_text(".messages")
    _clean(page)

    page.get_by_role("button", name="受理申请").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "已受理"

    # 一次性告知: everything missing at once.
    page.get_by_label("费用清单", exact=False).check()
    page.get_by_label("诊断证明", exact=False).check()
    page.fill("#supplement_note", "请一并补充费用清单和诊断证明。")
    page.get_by_role("button", name="发出一次性告知").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "待补正"
    listed = page.inner_text("#supplement-materials")
    assert "费用清单" in listed
    assert "诊断证明" in listed
    assert "计时暂停" in page.inner_text("main")
    assert page.get_by_role("button", name="发出一次性告知").count() == 0  # only once
    _clean(page)

    page.get_by_role("button", name="确认收到补正材料").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#case-status") == "审核中"

    page.get_by_label("准予", exact=True).check()
    page.fill("#decision_reasons", "票据、清单、诊断证明、病历资料齐全，费用符合目录。")
    page.fill("#decision_amount", "12345.60")
    page.get_by_role("button", name="提交决定").click()
    page.wait_for_load_state("networkidle")
    assert "决定待他人审核" in page.inner_text(".messages")
    assert page.get_by_role("button", name="审核通过").count() == 0  # the maker cannot approve

    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state("networkidle")
    login(page, live_server.url, "browser-reviewer", PASSWORD)
    page.goto(f"{live_server.url}/cases/work/review/")
    _clean(page)
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    _clean(page)
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state("networkidle")
    assert "决定已生效" in page.inner_text(".messages")
    assert page.inner_text("#case-status") == "已作出决定"
    timeline = page.inner_text("#timeline")
    for step in ("收到申请", "已认领", "一次性告知补正", "收到补正材料", "拟定决定", "审核通过"):
        assert step in timeline
    assert "行政复议" in page.inner_text("main")

    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    decision = case.decisions.get()
    assert (decision.status, decision.amount) == (DecisionStatus.EFFECTIVE, Decimal("12345.60"))
    assert decision.approvals.get().approver == people["reviewer"]
    assert Case.objects.count() == 1


def test_public_guide_is_accessible_in_both_languages(live_server, page):
    page.goto(f"{live_server.url}/cases/guide/survivor_benefits/")
    assert "死亡信息" in page.inner_text("main")
    _clean(page)
    page.select_option("#language-select", "en")
    page.click("form.inline-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "You do not need to bring these" in page.inner_text("main")
    _clean(page)
