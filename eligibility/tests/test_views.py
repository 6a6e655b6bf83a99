"""The pages: public report, employer portal, counter, queue, investigation, feeds, dashboard."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from audit.models import AccessLogEntry
from eligibility.models import (
    Authentication,
    CreditRecord,
    FeedRecord,
    Investigation,
    StopEventReport,
    Suspicion,
)
from eligibility.services.authentication import authentication_cycles_sweep
from eligibility.services.comparison import comparison_run
from eligibility.services.feeds import feed_batch_receive
from eligibility.services.notice import notice_duty_sweep
from eligibility.tests.factories import beneficiary, employer, feed_record, hire, id_number

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def report_form(number, **extra):
    data = {
        "kind": "death",
        "id_number": number,
        "subject_name": "张三",
        "event_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "reporter_kind": "relative",
        "reporter_name": "张小三",
        "reporter_phone": "13800000000",
        "relationship": "子女",
        "note": "",
        "website": "",
    }
    data.update(extra)
    return data


def test_a_relative_reports_online_without_logging_in(client, region):
    someone, _award = beneficiary(region)
    assert client.get("/eligibility/report/").status_code == 200
    response = client.post("/eligibility/report/", report_form(someone.id_number))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    report = StopEventReport.objects.get()
    assert report.channel == "online"
    assert report.deadline.isoformat() in page.content.decode()
    assert Suspicion.objects.get().action == "none"  # nothing held by an anonymous report


def test_the_public_form_shows_field_errors(client, region):
    response = client.post("/eligibility/report/", report_form("110105199001011234"))
    assert response.status_code == 200
    assert "校验码" in response.content.decode() or "check character" in response.content.decode()
    assert StopEventReport.objects.count() == 0


def test_a_robot_filling_the_hidden_field_files_nothing(client, region):
    someone, _award = beneficiary(region)
    client.post("/eligibility/report/", report_form(someone.id_number, website="http://spam"))
    assert StopEventReport.objects.count() == 0


def test_the_public_form_is_rate_limited(client, region):
    for _ in range(10):
        client.post("/eligibility/report/", report_form(id_number()))
    response = client.post("/eligibility/report/", report_form(id_number()))
    assert response.status_code == 200
    assert StopEventReport.objects.count() == 10


def test_an_employer_reports_about_its_own_people_only(client, region, make_user, clerk):
    company = employer(region)
    worker, _award = beneficiary(region, kind="wi_disability_allowance", scheme="work_injury")
    hire(company, clerk, number=worker.id_number, name=worker.name)
    user = make_user(Role.EMPLOYER, employer=company)
    login(client, user)
    stranger = client.post("/eligibility/portal/report/", report_form(id_number()))
    assert stranger.status_code == 200
    assert list(stranger.context["form"].errors) == ["id_number"]
    assert StopEventReport.objects.count() == 0
    response = client.post("/eligibility/portal/report/", report_form(worker.id_number))
    assert response.status_code == 302
    report = StopEventReport.objects.get()
    assert (report.channel, report.reporter_kind, report.employer) == (
        "employer_portal",
        "employer",
        company,
    )
    assert Suspicion.objects.get().action == "held"


def test_a_clerk_records_a_counter_report_and_investigates(client, region, clerk):
    someone, award = beneficiary(region)
    login(client, clerk)
    response = client.post("/eligibility/reports/counter/", report_form(someone.id_number))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.is_held
    queue = client.get("/eligibility/")
    assert someone.name in queue.content.decode()
    suspicion = Suspicion.objects.get()
    response = client.post(f"/eligibility/suspicions/{suspicion.pk}/investigate/")
    investigation = Investigation.objects.get()
    assert response["Location"] == f"/eligibility/investigations/{investigation.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert investigation.case.case_number in page.content.decode()
    commission = client.post(
        f"/eligibility/investigations/{investigation.pk}/commission/",
        {
            "party_kind": "third_party",
            "party_name": "社区居委会",
            "request": "请核实",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert commission.status_code == 302
    conclude = client.post(
        f"/eligibility/investigations/{investigation.pk}/conclude/",
        {"outcome": "refuted", "reasons": "本人到柜台 / came to the counter"},
    )
    assert conclude.status_code == 302
    award.refresh_from_db()
    assert not award.is_held


def test_the_queue_is_for_staff_only(client, region, make_user):
    login(client, make_user(Role.EMPLOYER, employer=employer(region)))
    assert client.get("/eligibility/").status_code == 403


def test_a_clerk_imports_a_feed_file_and_sees_the_rejected_lines(client, region, clerk):
    login(client, clerk)
    content = (
        "source,source_reference,id_number,event_date,name\n"
        f"civil_affairs,R1,{id_number()},2025-03-05,张三\n"
        "civil_affairs,R2,123,2025-03-05,李四\n"
    ).encode()
    response = client.post(
        "/eligibility/feeds/import/",
        {"kind": "death", "file": SimpleUploadedFile("deaths.csv", content, "text/csv")},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "R2" in page.content.decode()
    assert FeedRecord.objects.count() == 1
    assert client.get("/eligibility/feeds/").status_code == 200


def test_a_clerk_records_a_home_visit(client, region, clerk):
    someone, _award = beneficiary(region)
    authentication_cycles_sweep(today=timezone.localdate())
    login(client, clerk)
    response = client.post(
        "/eligibility/authentications/record/",
        {
            "id_number": someone.id_number,
            "channel": "home_visit",
            "verified_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Authentication.objects.get().channel == "home_visit"
    page = client.get("/eligibility/authentications/?state=all")
    assert page.status_code == 200
    assert someone.name in page.content.decode()


def _viewed(person, actor):
    return set(
        AccessLogEntry.objects.filter(subject_id=str(person.pk), actor=actor).values_list(
            "purpose", flat=True
        )
    )


def test_the_suspicion_queue_and_the_cycles_leave_access_log_entries(client, region, clerk):
    someone, _award = beneficiary(region)
    authentication_cycles_sweep(today=timezone.localdate())
    death = feed_record(someone.id_number, "2025-03-05")
    feed_batch_receive(kind="death", records=[death], by=None)
    comparison_run()
    login(client, clerk)
    assert someone.name in client.get("/eligibility/").content.decode()
    assert someone.name in client.get("/eligibility/authentications/?state=all").content.decode()
    assert _viewed(someone, clerk) == {
        "eligibility: suspicion queue",
        "eligibility: authentication cycles",
    }


def test_the_dashboard_draws_the_share_with_a_table(client, region, clerk):
    someone, _award = beneficiary(region)
    other, _award2 = beneficiary(region, name="李四")
    authentication_cycles_sweep(today=timezone.localdate())
    from eligibility.services.authentication import authentication_record

    today = timezone.localdate()
    authentication_record(person_id=someone.pk, channel="self_service", verified_on=today, by=None)
    authentication_record(person_id=other.pk, channel="counter", verified_on=today, by=None)
    login(client, clerk)
    page = client.get("/eligibility/authentications/dashboard/").content.decode()
    assert "<svg" in page
    assert "50.0%" in page


def test_the_notice_duty_list_and_credit_log(client, region, clerk):
    company = employer(region)
    worker, _award = beneficiary(region)
    hire(company, clerk, number=worker.id_number, name=worker.name)
    feed_batch_receive(kind="death", records=[feed_record(worker.id_number, "2025-03-05")], by=None)
    comparison_run()
    notice_duty_sweep(today=date(2025, 5, 1))
    assert CreditRecord.objects.get().employer == company
    login(client, clerk)
    assert worker.name in client.get("/eligibility/notice-duty/?state=overdue").content.decode()
    assert company.name in client.get("/eligibility/credit/").content.decode()
    assert _viewed(worker, clerk) == {"eligibility: notice duty"}  # the credit log shows the firm


def test_an_employer_answers_the_verification_asked_of_it(client, region, clerk, make_user):
    from eligibility.services import investigations as inv

    company = employer(region)
    worker, _award = beneficiary(region)
    hire(company, clerk, number=worker.id_number, name=worker.name)
    feed_batch_receive(kind="death", records=[feed_record(worker.id_number, "2025-03-05")], by=None)
    comparison_run()
    investigation = inv.investigation_open(suspicion_id=Suspicion.objects.get().pk, by=clerk)
    commission = inv.commission_request(
        investigation_id=investigation.pk,
        party_kind="employer",
        party_name="",
        employer_id=company.pk,
        request="请核实 / please verify",
        due_on=timezone.localdate() + timedelta(days=7),
        by=clerk,
    )
    employer_user = make_user(Role.EMPLOYER, employer=company)
    login(client, employer_user)
    assert worker.name in client.get("/eligibility/portal/verifications/").content.decode()
    assert _viewed(worker, employer_user) == {
        "employer portal: verifications asked of the employer"
    }
    response = client.post(
        f"/eligibility/commissions/{commission.pk}/answer/",
        {"answer": "该职工已于3月5日去世", "confirms": "yes"},
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert (commission.status, commission.answer_confirms) == ("answered", True)
    other = make_user(Role.EMPLOYER, employer=employer(region))
    login(client, other)
    assert worker.name not in client.get("/eligibility/portal/verifications/").content.decode()
