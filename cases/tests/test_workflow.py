"""A case's way: filing, claiming, the one-time supplement with its pause, closing, refusals;
every step on the timeline and in the audit trail (Art. 38)."""

from datetime import date

import pytest
import time_machine

from audit.models import AuditEvent
from cases import handlers, services
from cases.errors import (
    AgencyOutsideRegionError,
    ApplicantInvalidError,
    CaseAlreadyClaimedError,
    CaseNotAssignedError,
    CaseStateError,
    ChannelNotOfferedError,
    ProxyNotValidError,
    SupplementAlreadyRequestedError,
    SupplementMaterialNotCataloguedError,
)
from cases.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    Channel,
    SupplementRequest,
)
from cases.services import ProxyInput
from cases.tests.conftest import AGENT_ID, PERSON2_ID, PERSON_ID, at
from core.models import Agency
from registration.models import Employer

pytestmark = pytest.mark.django_db


def test_filing_records_channel_branch_receipt_and_the_first_step(file_case, branch, clerk):
    case = file_case(received_by=branch, channel=Channel.ONLINE)
    assert case.case_number.startswith("SB20250303")
    assert case.status == CaseStatus.SUBMITTED
    assert case.received_by == branch
    assert case.pooling_region_id == branch.region.pooling_region_id  # 同城通办
    assert case.applicant_id_number == PERSON_ID
    assert case.applicant_id_hash
    assert case.applicant_id_hash != PERSON_ID
    event = case.events.get()
    assert (event.kind, event.actor, event.to_status) == (CaseEventKind.FILED, clerk, "submitted")
    audit = AuditEvent.objects.get(action="cases.case.file")
    assert audit.target_id == str(case.pk)
    assert audit.changes["deadline"] == [None, "2025-03-17"]


def test_a_priority_case_records_its_reason_on_the_timeline_and_in_the_audit(file_case):
    case = file_case("pension_transfer_accept", priority_reason="military")
    assert (case.is_priority, case.priority_reason) == (True, "military")
    assert case.events.get().data["priority_reason"] == "military"
    audit = AuditEvent.objects.get(action="cases.case.file")
    assert audit.changes["priority_reason"] == [None, "military"]
    assert not file_case(applicant_id_number=PERSON2_ID, applicant_name="李四").is_priority
    with pytest.raises(ValueError, match="priority"):
        file_case(applicant_id_number=PERSON2_ID, applicant_name="李四", priority_reason="vip")


def test_the_id_number_is_encrypted_at_rest(file_case):
    from django.db import connection

    case = file_case()
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_id_number FROM cases_case WHERE id = %s", [case.pk])
        (stored,) = cursor.fetchone()
    assert PERSON_ID not in stored


def test_filing_twice_with_one_reference_files_once(file_case):
    first = file_case(reference="benefits:claim:1")
    second = file_case(reference="benefits:claim:1")
    assert first.pk == second.pk
    assert Case.objects.count() == 1


def test_filing_refuses_what_it_must(file_case, other_region, employer):
    with pytest.raises(ApplicantInvalidError):
        file_case(applicant_id_number="110105198001010010")  # wrong check character
    with pytest.raises(ChannelNotOfferedError):
        file_case("pension_transfer_out", channel=Channel.SELF_SERVICE)
    guangzhou = Agency.objects.create(code="GZ", name="广州", region=other_region)
    with pytest.raises(AgencyOutsideRegionError):
        file_case(
            "registration_change", applicant_id_number="", employer=employer, received_by=guangzhou
        )


def test_an_employer_applicant(file_case, employer):
    case = file_case("registration_change", applicant_id_number="", employer=employer)
    assert (case.applicant_kind, case.applicant_name) == ("employer", employer.name)


def test_a_proxy_is_recorded_on_the_case(file_case, clerk):
    case = file_case(
        "survivor_benefits",
        proxy=ProxyInput(
            agent_name="张小红",
            agent_id_number=AGENT_ID,
            relationship="女儿",
            valid_from=date(2025, 1, 1),
            valid_until=date(2025, 12, 31),
            evidence="经公证的授权委托书，原件已核验",
            scope_item_codes=["survivor_benefits"],
        ),
    )
    proxy = case.proxy
    assert (proxy.agent_name, proxy.relationship) == ("张小红", "女儿")
    assert proxy.principal_id_number == PERSON_ID
    assert proxy.agent_id_masked.startswith("110105")
    assert "*" in proxy.agent_id_masked
    assert case.events.get().data["proxy"] == "张小红 → 张三"
    assert AuditEvent.objects.filter(action="cases.proxy.record").exists()
    # The same authorisation is recorded on every case it touches.
    again = file_case("survivor_benefits", proxy=proxy, submitted_at=at(2025, 3, 4))
    assert again.proxy_id == proxy.pk
    assert list(proxy.cases.order_by("pk")) == [case, again]


def test_a_proxy_outside_its_scope_or_validity_is_refused(file_case):
    proxy = ProxyInput(
        agent_name="张小红",
        agent_id_number=AGENT_ID,
        relationship="女儿",
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 2, 28),
        evidence="授权委托书",
        scope_item_codes=["survivor_benefits"],
    )
    with pytest.raises(ProxyNotValidError):  # expired on the receipt date 2025-03-03
        file_case("survivor_benefits", proxy=proxy)
    with pytest.raises(ProxyNotValidError):  # another item
        file_case("pension_claim", proxy=proxy, submitted_at=at(2025, 2, 3))
    assert not Case.objects.exists()


def test_claiming_a_claimed_case_names_the_holder(file_case, clerk, clerk2):
    case = file_case()
    services.case_claim(case_id=case.pk, by=clerk)
    with pytest.raises(CaseAlreadyClaimedError) as refused:
        services.case_claim(case_id=case.pk, by=clerk2)
    assert "王经办" in refused.value.message


def test_only_the_assignee_handles_the_case(file_case, clerk2):
    case = file_case()
    with pytest.raises(CaseNotAssignedError):
        services.case_accept(case_id=case.pk, by=clerk2)


def _supplement(case, clerk, codes=("termination_certificate",)):
    ids = list(case.item.materials.filter(code__in=codes).values_list("pk", flat=True))
    return services.supplement_request(case_id=case.pk, material_ids=ids, note="请补充", by=clerk)


def test_the_supplement_is_asked_for_once_and_lists_everything(claimed_case, clerk):
    case = claimed_case()
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        request = _supplement(case, clerk, ("id_document", "termination_certificate"))
    assert [m.code for m in request.materials.order_by("ordering")] == [
        "id_document",
        "termination_certificate",
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    assert case.clock_stopped_on == date(2025, 3, 5)
    with pytest.raises((SupplementAlreadyRequestedError, CaseStateError)):
        _supplement(case, clerk)


def test_a_second_request_after_the_supplement_arrived_is_refused(claimed_case, clerk):
    case = claimed_case()
    _supplement(case, clerk)
    services.supplement_receive(case_id=case.pk, by=clerk)
    with pytest.raises(SupplementAlreadyRequestedError):
        _supplement(case, clerk)


def test_materials_the_agency_fetches_or_that_are_not_catalogued_cannot_be_asked_for(
    claimed_case, clerk
):
    case = claimed_case()
    with pytest.raises(SupplementMaterialNotCataloguedError):
        _supplement(case, clerk, ("unemployment_registration",))  # fetched from shared data
    other_item = case.item.__class__.objects.get(code="medical_manual_reimbursement")
    invoices = other_item.materials.get(code="invoices")
    with pytest.raises(SupplementMaterialNotCataloguedError):
        services.supplement_request(case_id=case.pk, material_ids=[invoices.pk], by=clerk)
    assert not SupplementRequest.objects.exists()


def test_pause_and_resume_move_the_deadline(claimed_case, clerk):
    # Received Mon 2025-03-03: deadline Mon 03-17. Asked Wed 03-05; handed in Mon 03-10:
    # 3 working days stood still (03-06, 03-07, 03-10) → deadline Thu 03-20.
    case = claimed_case()
    assert case.deadline == date(2025, 3, 17)
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        _supplement(case, clerk)
    with time_machine.travel(at(2025, 3, 10, 9), tick=False):
        services.supplement_receive(case_id=case.pk, by=clerk)
    case.refresh_from_db()
    assert case.deadline == date(2025, 3, 20)
    assert case.status == CaseStatus.IN_REVIEW
    assert case.clock_stopped_on is None
    pause = case.pauses.get()
    assert (pause.started_on, pause.ended_on, pause.working_days) == (
        date(2025, 3, 5),
        date(2025, 3, 10),
        3,
    )
    event = case.events.get(kind=CaseEventKind.SUPPLEMENT_RECEIVED)
    assert event.data == {"paused_working_days": 3, "deadline": "2025-03-20"}


def test_a_supplement_handed_in_at_night_counts_from_the_next_working_day(claimed_case, clerk):
    case = claimed_case()
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        _supplement(case, clerk)
    with time_machine.travel(at(2025, 3, 7, 22), tick=False):  # Fri 22:00 → Mon 03-10
        services.supplement_receive(case_id=case.pk, by=clerk)
    case.refresh_from_db()
    assert case.deadline == date(2025, 3, 20)


def test_an_item_whose_clock_does_not_pause_keeps_its_deadline(claimed_case, clerk):
    from cases.models import ServiceItem

    ServiceItem.objects.filter(code="unemployment_benefit").update(
        clock_pauses_for_supplement=False
    )
    case = claimed_case()
    assert case.clock_pauses_for_supplement is False  # the policy is recorded on the case
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        _supplement(case, clerk)
    case.refresh_from_db()
    assert case.clock_stopped_on is None
    with time_machine.travel(at(2025, 3, 10, 9), tick=False):
        services.supplement_receive(case_id=case.pk, by=clerk)
    case.refresh_from_db()
    assert case.deadline == date(2025, 3, 17)
    assert case.pauses.get().stops_clock is False


def test_the_policy_change_does_not_touch_cases_already_filed(claimed_case, clerk):
    from cases.models import ServiceItem

    case = claimed_case()
    ServiceItem.objects.filter(code="unemployment_benefit").update(
        clock_pauses_for_supplement=False
    )
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        _supplement(case, clerk)
    case.refresh_from_db()
    assert case.clock_stopped_on == date(2025, 3, 5)


def test_the_employer_applicant_can_hand_in_the_supplement(
    file_case, clerk, employer, employer_user
):
    case = file_case("registration_change", applicant_id_number="", employer=employer)
    services.case_claim(case_id=case.pk, by=clerk)
    services.supplement_request(
        case_id=case.pk,
        material_ids=[case.item.materials.get(code="id_document").pk],
        by=clerk,
    )
    services.supplement_receive(case_id=case.pk, by=employer_user)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.notifications.filter(recipient=clerk, kind="supplement_received").exists()


def test_rejecting_records_reasons_and_remedies_and_tells_the_owner(file_case, clerk):
    seen = []
    handlers.register("unemployment_benefit", on_finished=seen.append)
    try:
        case = file_case()
        services.case_claim(case_id=case.pk, by=clerk)
        with time_machine.travel(at(2025, 3, 4, 9), tick=False):
            services.case_reject(case_id=case.pk, reasons="不属于本机构受理范围", by=clerk)
    finally:
        handlers.unregister("unemployment_benefit")
    case.refresh_from_db()
    assert (case.status, case.completed_on) == (CaseStatus.REJECTED, date(2025, 3, 4))
    event = case.events.get(kind=CaseEventKind.REJECTED)
    assert "行政复议" in event.data["remedies"]
    assert seen == [case]


def test_withdrawal_ends_the_case_and_its_pause(claimed_case, clerk):
    case = claimed_case()
    with time_machine.travel(at(2025, 3, 5, 11), tick=False):
        _supplement(case, clerk)
        services.case_withdraw(case_id=case.pk, by=clerk, note="申请人撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert case.clock_stopped_on is None
    assert case.pauses.get().ended_on == date(2025, 3, 5)


def test_every_step_is_on_the_timeline_and_in_the_audit_trail(claimed_case, clerk):
    case = claimed_case()
    services.case_review_start(case_id=case.pk, by=clerk)
    services.decision_propose(
        case_id=case.pk, outcome="granted", reasons="符合条件", legal_basis="第二十四条", by=clerk
    )
    services.case_close(case_id=case.pk, by=clerk)
    kinds = list(case.events.order_by("occurred_at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "filed",
        "claimed",
        "accepted",
        "review_started",
        "decision_proposed",
        "decided",
        "closed",
    ]
    actions = set(
        AuditEvent.objects.filter(target_type="cases.Case", target_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "cases.case.file",
        "cases.case.claim",
        "cases.case.accept",
        "cases.case.review_start",
        "cases.decision.propose",
        "cases.case.decide",
        "cases.case.close",
    }


def test_a_home_visit_is_a_case_with_its_own_deadline_and_clerk(file_case, clerk, clerk2):
    case = file_case("survivor_benefits")
    with time_machine.travel(at(2025, 3, 3, 14), tick=False):
        visit = services.home_visit_arrange(
            case_id=case.pk,
            address="北京市朝阳区示范小区1号",
            assignee=clerk2,
            scheduled_for=date(2025, 3, 5),
            by=clerk,
        )
    assert visit.item.code == "home_visit"
    assert visit.parent == case
    assert visit.assignee == clerk2
    assert visit.deadline == date(2025, 3, 10)  # 5 WD service target from Mon 03-03
    assert visit.home_visit.address == "北京市朝阳区示范小区1号"
    assert visit.notifications.filter(recipient=clerk2, kind="assigned").exists()
    assert case.events.filter(kind=CaseEventKind.HOME_VISIT_ARRANGED).exists()
    services.home_visit_complete(case_id=visit.pk, outcome="已上门核验身份并采集签名", by=clerk2)
    visit.refresh_from_db()
    assert visit.status == CaseStatus.DECIDED
    assert visit.home_visit.visited_at is not None


def test_marking_a_person_shows_on_their_cases(file_case, clerk):
    from cases import selectors
    from cases.clock import sla_dates

    services.assistance_mark(
        id_number=PERSON_ID,
        name="张三",
        is_elderly=True,
        is_disabled=False,
        needs_assistance=True,
        note="听力不好",
        by=clerk,
    )
    file_case()
    file_case(applicant_id_number=PERSON2_ID, applicant_name="李四")
    dates = sla_dates(date(2025, 3, 3))
    rows = selectors.with_list_columns(Case.objects.order_by("pk"), dates)
    assert [(c.applicant_name, c.needs_assistance) for c in rows] == [
        ("张三", True),
        ("李四", False),
    ]


def test_the_owner_validates_its_payload(file_case):
    from core.errors import InvalidInputError

    def validate(payload):
        if "claim_id" not in payload:
            raise InvalidInputError("claim_id missing", fields={"claim_id": ["required"]})

    handlers.register("unemployment_benefit", validate_payload=validate)
    try:
        with pytest.raises(InvalidInputError):
            file_case(payload={})
        assert file_case(payload={"claim_id": 7}).payload == {"claim_id": 7}
    finally:
        handlers.unregister("unemployment_benefit")


def test_employers_of_another_region_are_refused(file_case, other_region):
    from core.demo import credit_code

    far = Employer.objects.create(
        credit_code=credit_code("91440106MA5TQWX12"),
        name="广州某公司",
        legal_representative="陈",
        address="广州",
        region=other_region,
    )
    with pytest.raises(AgencyOutsideRegionError):
        file_case("registration_change", applicant_id_number="", employer=far)


def test_a_registered_person_is_linked_to_their_case(file_case, region, make_user):
    from registration.tests.factories import person

    registered = person(region, name="张三", number=PERSON_ID)
    case = file_case()  # filed by ID number only: linked through the keyed hash
    assert case.person == registered
    by_person = file_case(applicant_id_number="", applicant_name="", person=registered)
    assert (by_person.applicant_id_number, by_person.applicant_name) == (PERSON_ID, "张三")


def test_an_unregistered_applicant_has_no_person_yet(file_case):
    case = file_case("person_registration")
    assert case.person is None
    assert case.applicant_id_number == PERSON_ID


def test_a_person_with_a_login_sees_their_own_cases(file_case, region, make_user):
    from registration.tests.factories import person

    own_user = make_user(username="citizen", is_staff=False, agency=None)
    registered = person(region, name="张三", number=PERSON_ID)
    registered.user = own_user
    registered.save(update_fields=["user"])
    own = file_case()
    file_case(applicant_id_number=PERSON2_ID, applicant_name="李四")
    assert list(Case.objects.visible_to(own_user)) == [own]
