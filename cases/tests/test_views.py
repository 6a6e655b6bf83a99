"""The clerk's worklists and case page, the employer portal, materials: through their URLs."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from audit.models import AccessLogEntry
from cases import services
from cases.models import Case, CaseMaterial, CaseStatus
from cases.tests.conftest import PERSON2_ID, PERSON_ID, at
from cases.tests.factories import bulk_cases

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def today():
    with time_machine.travel(at(2025, 3, 13, 9), tick=False):
        yield date(2025, 3, 13)


def test_my_cases_shows_sla_in_words_and_the_notifications(client, claimed_case, clerk, today):
    case = claimed_case()  # deadline Mon 03-17: due soon on Thu 03-13
    services.case_deadlines_sweep(today=today)
    html = _login(client, clerk).get("/cases/work/mine/").content.decode()
    assert case.case_number in html
    assert "即将到期" in html  # "Due soon", in words, not colour alone
    assert "未读通知" in html
    assert "<caption>" in html


def test_the_team_queue_offers_claiming(client, file_case, clerk, today):
    case = file_case()
    _login(client, clerk)
    html = client.get("/cases/work/queue/").content.decode()
    assert f"/cases/{case.case_number}/claim/" in html
    response = client.post(f"/cases/{case.case_number}/claim/", {"next": "/cases/work/mine/"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == clerk


def test_worklist_search_by_case_number_id_number_and_name(client, file_case, clerk, today):
    first = file_case()
    second = file_case(applicant_id_number=PERSON2_ID, applicant_name="李四")
    _login(client, clerk)

    def found(q):
        html = client.get("/cases/work/queue/", {"q": q}).content.decode()
        return {c.case_number for c in (first, second) if c.case_number in html}

    assert found(first.case_number) == {first.case_number}
    assert found(PERSON2_ID) == {second.case_number}
    assert found(PERSON_ID.lower()) == {first.case_number}
    assert found("李") == {second.case_number}


def test_worklist_filters(client, file_case, clerk, branch, today):
    counter = file_case()
    online = file_case(
        "pension_claim",
        channel="online",
        received_by=branch,
        applicant_id_number=PERSON2_ID,
        applicant_name="李四",
    )
    _login(client, clerk)

    def listed(**params):
        html = client.get("/cases/work/queue/", params).content.decode()
        return {c.case_number for c in (counter, online) if c.case_number in html}

    assert listed(channel="online") == {online.case_number}
    assert listed(branch=branch.pk) == {online.case_number}
    assert listed(item=online.item_id) == {online.case_number}
    assert listed(sla="due_soon") == {counter.case_number}  # deadline 03-17
    assert listed(sla="on_time") == {online.case_number}


def test_awaiting_my_review(client, claimed_case, clerk, reviewer, supervisor, today):
    case = claimed_case("pension_claim")
    services.decision_propose(
        case_id=case.pk, outcome="granted", reasons="ok", legal_basis="第十八条", by=clerk
    )
    html = _login(client, reviewer).get("/cases/work/review/").content.decode()
    assert case.case_number in html
    html = _login(client, supervisor).get("/cases/work/review/").content.decode()
    assert case.case_number not in html  # only a reviewer level is needed
    html = _login(client, clerk).get("/cases/work/review/").content.decode()
    assert case.case_number not in html  # the maker never reviews


def test_the_case_page_offers_the_approval_only_to_whom_the_service_would_accept(
    client, claimed_case, clerk, reviewer, supervisor, today
):
    case = claimed_case()
    decision = services.decision_propose(
        case_id=case.pk,
        outcome="granted",
        reasons="ok",
        legal_basis="第二十四条",
        amount=Decimal("60000.00"),  # above both thresholds: reviewer, then supervisor (Art. 37)
        by=clerk,
    )

    def offered(user):
        return _login(client, user).get(f"/cases/{case.case_number}/").context["approval_level"]

    assert offered(clerk) is None  # the maker
    assert offered(supervisor) is None  # the reviewer level comes first
    assert offered(reviewer) == "reviewer"
    services.decision_approve(decision_id=decision.pk, by=reviewer)
    assert offered(reviewer) is None  # no repeat approver
    assert offered(supervisor) == "supervisor"


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/cases/work/mine/",
        "/cases/work/queue/",
        "/cases/work/due_soon/",
        "/cases/work/overdue/",
        "/cases/work/supplement/",
        "/cases/work/review/",
        "/cases/work/queue/?q=申请人1&sla=overdue",
    ],
)
def test_a_worklist_page_runs_a_bounded_number_of_queries(client, agency, clerk, today, url):
    bulk_cases(20, agency=agency, assignee=clerk)
    _login(client, clerk)
    small = _page_queries(client, url)
    bulk_cases(1980, agency=agency, assignee=clerk, start=20)
    assert Case.objects.count() == 2000
    large = _page_queries(client, url)
    assert large == small
    assert large <= 20


def test_the_next_page_follows_the_keyset_cursor(client, agency, clerk, today):
    bulk_cases(120, agency=agency, assignee=clerk)
    _login(client, clerk)
    first = client.get("/cases/work/queue/")
    assert first.context["next_url"]
    second = client.get("/cases/work/queue/" + first.context["next_url"])
    one = {c.pk for c in first.context["rows"]}
    two = {c.pk for c in second.context["rows"]}
    assert (len(one), len(two)) == (50, 10)
    assert not one & two
    assert [c.deadline for c in second.context["rows"]] == sorted(
        c.deadline for c in second.context["rows"]
    )


def test_priority_cases_head_every_worklist_across_pages(client, agency, clerk, today):
    rows = bulk_cases(120, agency=agency, assignee=clerk)
    # Art. 17 ¶2: the latest deadlines, yet served first.
    latest = sorted(rows, key=lambda case: (case.deadline, case.pk))[-7:]
    Case.objects.filter(pk__in=[case.pk for case in latest]).update(
        is_priority=True, priority_reason="military"
    )
    _login(client, clerk)
    for url in ("/cases/work/queue/", "/cases/work/mine/"):
        seen = []
        page = client.get(url)
        while True:
            seen += list(page.context["rows"])
            if not page.context["next_url"]:
                break
            page = client.get(url + page.context["next_url"])
        expected = Case.objects.open().filter(
            assignee__isnull=url.endswith("queue/"),
            **({} if url.endswith("queue/") else {"assignee": clerk}),
        )
        assert len(seen) == len({case.pk for case in seen}) == expected.count()
        flags = [case.is_priority for case in seen]
        assert flags == sorted(flags, reverse=True)
        assert flags.count(True) == expected.filter(is_priority=True).count() > 0
        priority = [case for case in seen if case.is_priority]
        assert [case.deadline for case in priority] == sorted(case.deadline for case in priority)
    html = client.get("/cases/work/queue/").content.decode()
    assert "优先办理" in html
    assert client.get("/cases/work/queue/?after=2025-03-10.5").status_code == 200  # old cursor


def test_the_case_page_shows_timeline_deadline_materials_and_logs_access(
    client, claimed_case, clerk, today
):
    case = claimed_case()
    _login(client, clerk)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/cases/{case.case_number}/").content.decode()
    assert "2025-03-17" in html
    assert "时间线" in html
    assert "收到申请" in html
    assert "终止或者解除劳动关系的证明" in html
    assert PERSON_ID in html  # the assigned clerk sees the full number
    assert len(queries) <= 45
    assert AccessLogEntry.objects.filter(subject_id=str(case.pk), actor=clerk).exists()


def test_another_clerk_sees_the_masked_number(client, claimed_case, clerk2, today):
    case = claimed_case()
    html = _login(client, clerk2).get(f"/cases/{case.case_number}/").content.decode()
    assert PERSON_ID not in html
    assert PERSON_ID[:6] + "********" in html


def test_cases_of_another_pooling_region_are_invisible(client, file_case, make_user, other_region):
    from core.models import Agency

    case = file_case()
    guangzhou = Agency.objects.create(code="GZ", name="广州", region=other_region)
    far_clerk = make_user(Role.CLERK, username="gz", agency=guangzhou)
    _login(client, far_clerk)
    assert client.get(f"/cases/{case.case_number}/").status_code == 404
    assert case.case_number not in client.get("/cases/work/queue/").content.decode()
    assert client.get("/cases/work/queue/").context["counts"]["queue"] == 0


def test_an_action_refused_by_a_rule_is_shown_as_a_message(client, file_case, clerk2, clerk, today):
    case = file_case()
    services.case_claim(case_id=case.pk, by=clerk)
    _login(client, clerk2)
    response = client.post(f"/cases/{case.case_number}/accept/", follow=True)
    assert "请先认领" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_the_employer_sees_its_own_cases_and_deadlines_only(
    client, file_case, employer, employer_user, today
):
    own = file_case("registration_change", applicant_id_number="", employer=employer)
    other = file_case()
    _login(client, employer_user)
    html = client.get("/cases/portal/").content.decode()
    assert own.case_number in html
    assert "2025-03-17" in html
    assert other.case_number not in html
    assert client.get(f"/cases/{own.case_number}/").status_code == 200
    assert client.get(f"/cases/{other.case_number}/").status_code == 404
    assert client.get("/cases/work/mine/").status_code == 403


def _upload(client, case, material, content=PDF, name="invoice.pdf"):
    return client.post(
        f"/cases/{case.case_number}/upload/",
        {"item_material": material.pk, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_uploads_are_checked_stored_privately_and_served_to_authorised_users(
    client, claimed_case, clerk, clerk2, settings, tmp_path, today, make_user, other_region
):
    from core.models import Agency

    settings.MEDIA_ROOT = tmp_path
    case = claimed_case("medical_manual_reimbursement")
    invoices = case.item.materials.get(code="invoices")
    _login(client, clerk)
    assert "已添加" in _upload(client, case, invoices).content.decode()
    material = CaseMaterial.objects.get()
    assert material.file.path.startswith(str(tmp_path))
    assert material.content_type == "application/pdf"
    assert not material.file.name.endswith(".pdf")  # our name, not the uploader's
    response = client.get(f"/cases/{case.case_number}/materials/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    guangzhou = Agency.objects.create(code="GZ", name="广州", region=other_region)
    outsider = make_user(Role.CLERK, username="gz", agency=guangzhou)
    client.logout()
    _login(client, outsider)
    assert client.get(f"/cases/{case.case_number}/materials/{material.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("virus.exe", b"MZ\x90\x00", "只接受"),
        ("fake.pdf", b"<html>not a pdf</html>", "内容"),
        ("empty.pdf", b"", "空"),
    ],
)
def test_a_refused_file_says_why(
    client, claimed_case, clerk, settings, tmp_path, today, name, content, reason
):
    settings.MEDIA_ROOT = tmp_path
    case = claimed_case("medical_manual_reimbursement")
    invoices = case.item.materials.get(code="invoices")
    html = _upload(_login(client, clerk), case, invoices, content, name).content.decode()
    assert reason in html
    assert not CaseMaterial.objects.exists()


def test_a_file_over_the_limit_is_refused_with_its_size(
    client, claimed_case, clerk, settings, tmp_path, today
):
    settings.MEDIA_ROOT = tmp_path
    settings.CASES_MATERIAL_MAX_BYTES = 1024
    case = claimed_case("medical_manual_reimbursement")
    invoices = case.item.materials.get(code="invoices")
    html = _upload(_login(client, clerk), case, invoices, PDF + b"0" * 2000).content.decode()
    assert "MB" in html
    assert "上限" in html
    assert not CaseMaterial.objects.exists()


def test_the_public_guide_needs_no_login_and_the_worklist_does(client):
    assert client.get("/cases/guide/").status_code == 200
    assert client.get("/cases/work/mine/").status_code == 302


def test_the_assistance_page_marks_a_person(client, clerk):
    _login(client, clerk)
    response = client.post(
        "/cases/assistance/",
        {"id_number": PERSON_ID, "name": "张三", "is_elderly": "on", "needs_assistance": "on"},
    )
    assert response.status_code == 302
    assert services.assistance_for(PERSON_ID).is_elderly


def test_each_role_lands_on_its_own_worklist(client, clerk, reviewer, supervisor):
    for user, target in ((clerk, "mine"), (reviewer, "review"), (supervisor, "overdue")):
        response = _login(client, user).get("/cases/")
        assert response["Location"] == f"/cases/work/{target}/"
    tabs = [key for key, _label in client.get("/cases/work/overdue/").context["tabs"]]
    assert "mine" not in tabs  # a supervisor handles no cases of their own


def test_the_employer_uploads_what_was_asked_for_and_hands_the_supplement_in(
    client, file_case, clerk, employer, employer_user, settings, tmp_path, today
):
    settings.MEDIA_ROOT = tmp_path
    case = file_case("work_injury_reimbursement", applicant_id_number="", employer=employer)
    services.case_claim(case_id=case.pk, by=clerk)
    invoices = case.item.materials.get(code="invoices")
    services.supplement_request(case_id=case.pk, material_ids=[invoices.pk], by=clerk)
    _login(client, employer_user)
    page = client.get(f"/cases/{case.case_number}/").content.decode()
    assert "收费票据" in page
    records = case.item.materials.get(code="medical_records")
    refused = _upload(client, case, records).content.decode()
    assert "请选择本案所列的材料" in refused or "请更正表单" in refused
    assert "已添加" in _upload(client, case, invoices).content.decode()
    assert CaseMaterial.objects.get().is_supplement
    client.post(f"/cases/{case.case_number}/supplement-receive/")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
