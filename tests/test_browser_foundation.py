"""Browser: log in, switch the language, open the home page; axe finds no WCAG A/AA violation."""

import pytest

from accounts.roles import Role
from conftest import PASSWORD
from tests.browser import axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK, username="browser-clerk", full_name="王经办")


def test_login_switch_language_and_home(live_server, page, clerk):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "登录" in page.inner_text("h1")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    login(page, live_server.url, clerk.username, PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert "王经办" in page.inner_text("h1")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.select_option("#language-select", "en")
    page.click("form.inline-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.inner_text("h1")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_keyboard_user_reaches_main_content_by_the_skip_link(live_server, page, clerk):
    login(page, live_server.url, clerk.username, PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_large_text_and_high_contrast_toggles(live_server, page, clerk):
    login(page, live_server.url, clerk.username, PASSWORD)
    page.click("[data-preference=large-text]")
    page.click("[data-preference=high-contrast]")
    assert page.evaluate("document.documentElement.className").split() == [
        "large-text",
        "high-contrast",
    ]
    page.reload()
    assert "large-text" in page.evaluate("document.documentElement.className")
    assert page.get_attribute("[data-preference=large-text]", "aria-pressed") == "true"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
