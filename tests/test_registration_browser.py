"""Browser: an employer uploads a staff file with an error, reads the row-by-row report, fixes
the file, uploads it again and sees the new employees. axe finds no WCAG A/AA violation."""

import pytest

from accounts.roles import Role
from conftest import PASSWORD
from registration.models import Employment
from registration.tests import factories
from tests.browser import axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(rows):
    text = "\n".join(
        ",".join(row) for row in [["身份证号码", "姓名", "参保日期", "缴费基数"], *rows]
    )
    return {"name": "staff.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8-sig")}


def test_employer_fixes_a_bad_upload_and_sees_the_new_employees(
    live_server, page, make_user, region
):
    employer = factories.employer(region, name="浏览器测试单位")
    hr = make_user(Role.EMPLOYER, username="browser-hr", employer=employer)
    good, bad = factories.id_number("19880808"), "110105199001011234"
    fixed = factories.id_number("19900101")
    login(page, live_server.url, hr.username, PASSWORD)

    page.goto(f"{live_server.url}/registration/portal/uploads/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.select_option("#id_kind", "start")
    page.set_input_files(
        "#id_file",
        _file([[good, "刘一", "2024-01-01", "8000"], [bad, "陈二", "2024-01-01", "8000"]]),
    )
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#upload-errors")
    report = page.inner_text("#upload-errors")
    assert "3" in report
    assert "身份证号码" in report
    assert "check character" in report
    assert Employment.objects.count() == 0  # nothing saved
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.goto(f"{live_server.url}/registration/portal/uploads/")
    page.select_option("#id_kind", "start")
    page.set_input_files(
        "#id_file",
        _file([[good, "刘一", "2024-01-01", "8000"], [fixed, "陈二", "2024-01-01", "8000"]]),
    )
    page.click("button[type=submit].button-primary")
    page.wait_for_selector(".message-success")
    page.click("#upload-status a[href$='/registration/portal/']")
    page.wait_for_selector("#employees")
    employees = page.inner_text("#employees")
    assert "刘一" in employees
    assert "陈二" in employees
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_clerk_person_page_and_rights_record_are_accessible(live_server, page, make_user, region):
    employer = factories.employer(region, name="浏览器测试单位")
    hr = make_user(Role.EMPLOYER, employer=employer)
    person = factories.hire(employer, hr, name="赵十").person
    clerk = make_user(Role.CLERK, username="browser-clerk-reg", full_name="王经办")
    login(page, live_server.url, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/registration/search/?q={person.id_number}")
    page.click(f"a[href='/registration/persons/{person.pk}/']")
    page.wait_for_selector("h1")
    assert "赵十" in page.inner_text("h1")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.goto(f"{live_server.url}/registration/persons/{person.pk}/record/")
    assert "权益记录单" in page.inner_text("h1")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
