"""The public estimator pages: no login, Chinese first and English, the result with every step and
its legal basis, errors summarised and linked to their fields."""

import re

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db

PENSION_FORM = {
    "birth_date": "1964-12-01",
    "category": "male",
    "contribution_months": "360",
    "average_contribution_index": "1.2",
    "local_average_monthly_wage": "8000",
    "personal_account_balance": "150000",
    "divisor_strategy": "INTERPOLATE_MONTHLY_1DP",
}


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_index_links_every_estimator_without_login(client):
    html = _html(client.get("/benefits/estimate/"))
    for path in ("retirement", "pension", "unemployment", "work-injury", "maternity"):
        assert f'href="/benefits/estimate/{path}/"' in html
    assert "待遇测算" in html


def test_an_empty_form_shows_no_errors(client):
    html = _html(client.get("/benefits/estimate/retirement/"))
    assert "error-summary" not in html
    assert 'aria-live="polite"' in html


def test_retirement_page_in_chinese(client):
    html = _html(
        client.get(
            "/benefits/estimate/retirement/", {"birth_date": "1970-05-20", "category": "male"}
        )
    )
    assert "<h1>法定退休年龄</h1>" in html
    assert "61岁5个月" in html
    assert "2031-10" in html
    assert "2030-05" in html
    assert "2034-10" in html
    assert "国务院关于渐进式延迟法定退休年龄的办法 第一条" in html
    assert "<caption>计算过程（逐步列明法律依据）</caption>" in html


def test_retirement_page_in_english(client):
    html = _html(
        client.get(
            "/benefits/estimate/retirement/",
            {"birth_date": "1970-05-20", "category": "male"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert "<h1>Statutory retirement age</h1>" in html
    assert "61 years 5 months" in html
    assert "Statutory retirement month" in html


def test_pension_page_worked_example_1(client):
    html = _html(client.post("/benefits/estimate/pension/", PENSION_FORM))
    for amount in ("2,640.00", "1,079.14", "3,719.14"):
        assert amount in html
    assert "国发〔2005〕38号 第六条" in html
    assert "<svg" in html
    assert 'role="img"' in html


def test_pension_page_below_the_minimum_states_the_shortfall(client):
    form = {**PENSION_FORM, "birth_date": "1970-05-20", "contribution_months": "180"}
    html = _html(client.post("/benefits/estimate/pension/", form))
    assert "不符合按月领取条件" in html
    assert re.search(r"<dt>尚差月数</dt><dd>12</dd>", html)
    assert "<svg" not in html


def test_pension_page_bad_input_is_summarised_and_linked(client):
    form = {**PENSION_FORM, "contribution_months": "-5", "category": ""}
    html = _html(client.post("/benefits/estimate/pension/", form))
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_contribution_months"' in html
    assert 'href="#id_category_0"' in html  # a radio group links to its first option
    field = re.search(r"<input[^>]*id=\"id_contribution_months\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_contribution_months_error" in field
    assert 'id="id_contribution_months_error"' in html
    assert "<dl" not in html  # no result


def test_pension_page_refuses_more_months_than_a_working_life(client):
    form = {**PENSION_FORM, "contribution_months": "600"}
    html = _html(client.post("/benefits/estimate/pension/", form, HTTP_ACCEPT_LANGUAGE="en"))
    assert "between age 16 and retirement" in html
    assert 'href="#id_contribution_months"' in html


def test_unemployment_page(client):
    html = _html(client.get("/benefits/estimate/unemployment/", {"contribution_months": "59"}))
    assert re.search(r"<dt>最长领取期限（月）</dt><dd>12</dd>", html)


def test_work_injury_page(client):
    html = _html(
        client.post(
            "/benefits/estimate/work-injury/",
            {"level": "3", "own_monthly_wage": "8000", "local_average_monthly_wage": "7000"},
        )
    )
    assert "184,000.00" in html
    assert "6,400.00" in html
    assert "工伤保险基金" in html


def test_maternity_page(client):
    html = _html(
        client.post(
            "/benefits/estimate/maternity/",
            {"employer_average_monthly_wage": "9000", "case": "difficult", "extra_infants": "1"},
        )
    )
    assert "38,400.00" in html
    assert "128" in html


def test_maternity_page_refusal_lands_on_its_field(client):
    html = _html(
        client.post(
            "/benefits/estimate/maternity/",
            {
                "employer_average_monthly_wage": "9000",
                "case": "miscarriage_early",
                "extra_infants": "2",
            },
        )
    )
    assert 'href="#id_extra_infants"' in html
    assert "流产时多胞胎增加的婴儿数必须为0" in html


def test_logged_in_users_find_the_estimators_in_the_navigation(client, make_user):
    client.force_login(make_user(Role.CLERK))
    html = _html(client.get("/benefits/estimate/"))
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/benefits/estimate/" aria-current="page"' in nav
