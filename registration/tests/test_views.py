"""Clerk pages, the employer portal with uploads, the rights record; masking and the access log."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AccessLogEntry
from registration.models import (
    Discrepancy,
    EmployerUpload,
    Employment,
    InsuredPerson,
    UploadStatus,
)
from registration.services.comparison import shared_record_receive
from registration.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(make_user, region):
    return make_user(Role.EMPLOYER, employer=factories.employer(region, name="甲单位"))


def _csv(*rows):
    text = "\n".join(",".join(row) for row in rows)
    return SimpleUploadedFile("staff.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_clerk_sees_the_full_id_number_and_the_view_is_logged(client, make_user, hr):
    person = factories.hire(hr.employer, hr, name="王五").person
    clerk = make_user(Role.CLERK)
    client.force_login(clerk)
    page = client.get(f"/registration/persons/{person.pk}/").content.decode()
    assert person.id_number in page
    entry = AccessLogEntry.objects.get(subject_id=str(person.pk), actor=clerk)
    assert "id_number" in entry.fields


def test_an_auditor_sees_nothing_and_a_supervisor_sees_the_number_masked(client, make_user, hr):
    person = factories.hire(hr.employer, hr, name="王五").person
    client.force_login(make_user(Role.SUPERVISOR))
    page = client.get(f"/registration/persons/{person.pk}/").content.decode()
    assert person.id_number not in page
    assert person.masked_id_number in page
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(f"/registration/persons/{person.pk}/").status_code == 403


def test_search_by_id_number_name_and_credit_code(client, make_user, hr):
    person = factories.hire(hr.employer, hr, name="王五").person
    client.force_login(make_user(Role.CLERK))
    assert "王五" in client.get("/registration/search/", {"q": person.id_number}).content.decode()
    assert "王五" in client.get("/registration/search/", {"q": "王"}).content.decode()
    found = client.get("/registration/search/", {"q": hr.employer.credit_code}).content.decode()
    assert "甲单位" in found


def test_clerks_of_another_pooling_region_do_not_find_the_person(
    client, make_user, hr, other_region
):
    from core.models import Agency

    person = factories.hire(hr.employer, hr, name="王五").person
    guangzhou = Agency.objects.create(code="GZ", name="广州", region=other_region)
    client.force_login(make_user(Role.CLERK, agency=guangzhou))
    assert client.get(f"/registration/persons/{person.pk}/").status_code == 404
    assert "王五" not in client.get("/registration/search/", {"q": "王"}).content.decode()


def test_employer_portal_lists_only_its_own_people(client, make_user, region, hr):
    other = make_user(Role.EMPLOYER, employer=factories.employer(region, name="乙单位"))
    factories.hire(hr.employer, hr, name="甲员工")
    theirs = factories.hire(other.employer, other, name="乙员工")
    client.force_login(hr)
    page = client.get("/registration/portal/").content.decode()
    assert "甲员工" in page
    assert "乙员工" not in page
    assert client.get(f"/registration/portal/{theirs.pk}/end/").status_code == 404
    assert client.get(f"/registration/employers/{other.employer_id}/").status_code == 404
    assert client.get(f"/registration/persons/{theirs.person_id}/").status_code == 403


def test_portal_add_form_shows_the_error_on_its_field(client, hr):
    client.force_login(hr)
    response = client.post(
        "/registration/portal/add/",
        {
            "id_number": "110105199001011234",
            "name": "王五",
            "start_date": "2024-01-01",
            "contribution_base": "8000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page
    assert 'id="id_id_number-error"' in page
    assert "校验码" in page
    assert Employment.objects.count() == 0


def test_a_csv_upload_with_one_bad_row_saves_nothing_and_reports_that_row(
    client, hr, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    good = factories.id_number()
    upload = _csv(
        ["身份证号码", "姓名", "参保日期", "缴费基数"],
        [good, "甲", "2024-01-01", "8000"],
        ["110105199001011234", "乙", "2024-01-01", "8000"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registration/portal/uploads/", {"kind": "start", "file": upload})
    assert response.status_code == 302
    upload_row = EmployerUpload.objects.get()
    assert upload_row.status == UploadStatus.REJECTED
    assert upload_row.errors == [
        {
            "row": 3,
            "column": "身份证号码 ID number",
            "message": "身份证号码校验码错误 / the check character is wrong (GB 11643)",
        }
    ]
    assert InsuredPerson.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "the check character is wrong" in page
    report = client.get(f"/registration/portal/uploads/{upload_row.pk}/errors.csv")
    assert "身份证号码校验码错误" in report.content.decode("utf-8-sig")


def test_an_xlsx_upload_saves_every_row(client, hr, django_capture_on_commit_callbacks):
    client.force_login(hr)
    book = Workbook()
    sheet = book.active
    sheet.append(["id_number", "name", "start_date", "contribution_base"])
    for number in range(3):
        sheet.append([factories.id_number(), f"员工{number}", date(2024, 2, 1), 9000])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("staff.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/registration/portal/uploads/", {"kind": "start", "file": upload})
    assert EmployerUpload.objects.get().status == UploadStatus.SAVED
    assert Employment.objects.filter(employer=hr.employer).count() == 3


def test_an_end_upload_accepts_chinese_reasons(client, hr, django_capture_on_commit_callbacks):
    employment = factories.hire(hr.employer, hr)
    client.force_login(hr)
    upload = _csv(
        ["身份证号码", "减员日期", "减员原因"],
        [employment.person.id_number, "2025-06-30", "劳动合同期满终止"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/registration/portal/uploads/", {"kind": "end", "file": upload})
    employment.refresh_from_db()
    assert employment.end_reason == "contract_expired"


def test_rights_record_page_and_pdf(client, make_user, hr):
    person = factories.hire(hr.employer, hr, name="王五").person
    client.force_login(make_user(Role.CLERK))
    page = client.get(f"/registration/persons/{person.pk}/record/")
    assert "权益记录单" in page.content.decode()
    pdf = client.get(f"/registration/persons/{person.pk}/record.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(subject_id=str(person.pk)).count() == 2


def test_the_rights_record_and_the_person_page_show_the_benefits(client, make_user, hr):
    from benefits.tests.factories import award

    person = factories.hire(hr.employer, hr, name="王五").person
    award(hr.employer.region, person=person, amount="3456.78", start=date(2025, 1, 1))
    award(hr.employer.region, amount="999.00")  # someone else's
    client.force_login(make_user(Role.CLERK))
    for page in ("record/", ""):
        html = client.get(f"/registration/persons/{person.pk}/{page}").content.decode()
        benefits = html[html.index('id="benefits"') :]
        assert "基本养老金" in benefits
        assert "3456.78" in benefits
        assert "按月" in benefits
        assert "2025-01" in benefits
        assert "999.00" not in benefits


def test_a_person_sees_their_own_record(client, make_user, hr):
    person = factories.hire(hr.employer, hr, name="王五").person
    own = make_user()
    person.user = own
    person.save(update_fields=["user"])
    client.force_login(own)
    assert "王五" in client.get("/registration/my-record/").content.decode()
    assert client.get(f"/registration/persons/{person.pk}/").status_code == 403


def test_clerk_closes_a_discrepancy(client, make_user, hr):
    clerk = make_user(Role.CLERK)
    shared_record_receive(
        reference="SC-1",
        kind="business_changed",
        event_date=date(2025, 1, 2),
        credit_code=hr.employer.credit_code,
        data={"name": "甲单位（更名）"},
        by=clerk,
    )
    client.force_login(clerk)
    assert "甲单位（更名）" in client.get("/registration/discrepancies/").content.decode()
    item = Discrepancy.objects.get()
    client.post(
        f"/registration/discrepancies/{item.pk}/resolve/",
        {"status": "resolved", "note": "已通知单位办理变更"},
    )
    item.refresh_from_db()
    assert item.status == "resolved"
