"""Browser: a person fills the pension estimator in Chinese and sees worked example 1; errors are
summarised and linked; axe finds no WCAG A/AA violation on the form, the result or the errors."""

import pytest

from tests.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_pension_estimate_in_chinese_shows_worked_example_1(live_server, page):
    page.goto(f"{live_server.url}/benefits/estimate/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.inner_text("h1") == "待遇测算"
    _assert_accessible(page)

    page.get_by_role("link", name="基本养老金").first.click()
    assert page.inner_text("h1") == "基本养老金测算"
    _assert_accessible(page)

    page.get_by_label("出生日期").fill("1964-12-01")
    page.get_by_label("男职工（原法定退休年龄60周岁）").check()
    page.get_by_label("退休时累计缴费月数").fill("360")
    page.get_by_label("平均缴费指数").fill("1.2")
    page.get_by_label("退休时个人账户储存额（元）").fill("150000")
    page.get_by_label("当地月平均工资（元）").fill("8000")
    page.get_by_role("button", name="计算").click()
    page.wait_for_load_state("networkidle")

    result = page.locator("#result")
    text = result.inner_text()
    assert "2,640.00元" in text
    assert "1,079.14元" in text
    assert "3,719.14元" in text
    assert "国发〔2005〕38号 第六条" in text
    assert result.get_attribute("aria-live") == "polite"
    assert page.locator("#result svg[role=img] title").text_content().startswith("基础养老金")
    _assert_accessible(page)


def test_pension_errors_are_summarised_and_lead_to_the_field(live_server, page):
    page.goto(f"{live_server.url}/benefits/estimate/pension/")
    page.get_by_label("退休时累计缴费月数").fill("-5")
    page.get_by_role("button", name="计算").click()
    page.wait_for_load_state("networkidle")

    summary = page.locator(".error-summary[role=alert]")
    assert "请更正以下内容" in summary.inner_text()
    assert page.get_attribute("#id_contribution_months", "aria-invalid") == "true"
    _assert_accessible(page)

    summary.get_by_role("link", name="退休时累计缴费月数").click()
    assert page.evaluate("document.activeElement.id") == "id_contribution_months"


def test_retirement_estimate_in_english(live_server, page):
    page.goto(f"{live_server.url}/benefits/estimate/retirement/")
    page.select_option("#language-select", "en")
    page.click("form.inline-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_label("Date of birth").fill("1970-05-20")
    page.get_by_label("Man (original retirement age 60)").check()
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_load_state("networkidle")

    text = page.locator("#result").inner_text()
    assert "61 years 5 months" in text
    assert "2031-10" in text
    _assert_accessible(page)
