"""Demo cases: one in each state, due soon and overdue ones, a proxy case, a home visit, a
pending four-eyes approval and a pending supervisor approval. Found by `reference` first, so
running seed_demo twice changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cases import services
from cases.models import AssistanceProfile, Case
from core.calendar import WorkingCalendar
from core.demo import DemoContext
from core.identity import parse_citizen_id

# Demo people: ID numbers with correct check characters (GB 11643), names made up.
PEOPLE = [
    ("110105194912310024", "王秀英"),
    ("110108196203150017", "李建国"),
    ("110105198807080026", "陈晓燕"),
    ("110105199011110013", "刘洋"),
    ("110108195505050044", "赵桂兰"),
    ("110105197703030035", "孙志强"),
]


def _valid_people() -> list[tuple[str, str]]:
    from stdnum.cn import ric

    people = []
    for number, name in PEOPLE:
        fixed = number[:17] + ric.calc_check_digit(number[:17] + "0")
        parse_citizen_id(fixed)
        people.append((fixed, name))
    return people


def _submitted(working_days_ago: int, calendar: WorkingCalendar) -> datetime:
    """A submission at 10:00 on the working day `working_days_ago` before today."""
    day = timezone.localdate()
    counted = 0
    while counted < working_days_ago:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed_cases(ctx: DemoContext) -> None:
    if Case.objects.filter(reference__startswith="demo:").exists():
        return
    users, agencies = ctx.users, ctx.agencies
    clerk, clerk2, reviewer = users["clerk"], users["clerk2"], users["reviewer"]
    employers = ctx.extra.get("employers", [])
    employer = employers[0] if employers else None
    people = _valid_people()
    calendar = WorkingCalendar()
    chaoyang, haidian = agencies["BJ-SI-CY"], agencies["BJ-SI-HD"]

    def file(key: str, item: str, person: int | None, ago: int, **extra: Any) -> Case:
        applicant: dict[str, Any] = {}
        if person is not None:
            applicant = {
                "applicant_id_number": people[person][0],
                "applicant_name": people[person][1],
            }
        return services.case_file(
            item_code=item,
            channel=extra.pop("channel", "counter"),
            received_by=extra.pop("received_by", chaoyang),
            by=extra.pop("by", clerk),
            submitted_at=_submitted(ago, calendar),
            reference=f"demo:{key}",
            **applicant,
            **extra,
        )

    def claimed(case: Case, who: Any = clerk) -> Case:
        services.case_claim(case_id=case.pk, by=who)
        return case

    # Fresh in the team queue, one received online at 21:40 (counts from the next working day).
    file("queue-1", "person_registration", 3, 0)
    file("queue-2", "maternity_allowance", 2, 1, received_by=haidian)
    night = timezone.make_aware(datetime.combine(timezone.localdate(), time(21, 40)))
    services.case_file(
        item_code="training_subsidy",
        channel="online",
        received_by=chaoyang,
        by=clerk,
        submitted_at=night - timedelta(days=1),
        reference="demo:online-night",
        applicant_id_number=people[5][0],
        applicant_name=people[5][1],
    )
    # Accepted, review not yet started.
    accepted = claimed(file("accepted", "person_registration", 4, 2), clerk2)
    services.case_accept(case_id=accepted.pk, by=clerk2)
    # Accepted and in review, due soon (9 of 10 working days used).
    due = claimed(file("due-soon", "unemployment_benefit", 3, 9))
    services.case_accept(case_id=due.pk, by=clerk)
    services.case_review_start(case_id=due.pk, by=clerk)
    # Overdue: 12 working days into a 10-day limit, unassigned (escalates to the supervisor).
    file("overdue", "registration_change", None, 12, employer=employer, channel="online")
    # Awaiting the one-time supplement: the clock stands still.
    waiting = claimed(file("supplement", "medical_manual_reimbursement", 1, 5))
    services.case_accept(case_id=waiting.pk, by=clerk)
    missing = list(
        waiting.item.materials.filter(code__in=["cost_list", "diagnosis"]).values_list(
            "pk", flat=True
        )
    )
    services.supplement_request(
        case_id=waiting.pk, material_ids=missing, note="请补充费用清单和诊断证明。", by=clerk
    )
    # A pension claim awaiting the reviewer (high-risk item, Art. 37).
    pension = claimed(file("pension-review", "pension_claim", 4, 6))
    services.case_accept(case_id=pension.pk, by=clerk)
    services.decision_propose(
        case_id=pension.pk,
        outcome="granted",
        reasons="已达法定退休年龄，累计缴费满15年。",
        legal_basis="社会保险法第十六条；社会保险经办条例第十八条",
        amount=Decimal("4210.50"),
        by=clerk,
    )
    # A large work-injury reimbursement: reviewer approved, supervisor still to approve.
    injury = claimed(
        file("injury-supervisor", "work_injury_reimbursement", 5, 4, employer=employer)
    )
    services.case_accept(case_id=injury.pk, by=clerk)
    decision = services.decision_propose(
        case_id=injury.pk,
        outcome="granted",
        reasons="票据、清单、诊断证明、病历资料齐全，费用符合目录。",
        legal_basis="社会保险经办条例第二十二条第二款",
        amount=Decimal("68250.00"),
        by=clerk,
    )
    services.decision_approve(decision_id=decision.pk, by=reviewer, note="已核对票据原件。")
    # Decided, and decided-then-closed.
    decided = claimed(file("decided", "maternity_allowance", 2, 8), clerk2)
    services.case_accept(case_id=decided.pk, by=clerk2)
    services.decision_propose(
        case_id=decided.pk,
        outcome="granted",
        reasons="病历资料齐全。",
        legal_basis="社会保险经办条例第二十条第三款",
        amount=Decimal("3960.00"),
        by=clerk2,
    )
    closed = claimed(file("closed", "person_registration", 3, 15), clerk2)
    services.case_accept(case_id=closed.pk, by=clerk2)
    services.decision_propose(
        case_id=closed.pk,
        outcome="granted",
        reasons="身份信息核验一致，准予登记。",
        legal_basis="社会保险经办条例第六条第二款",
        by=clerk2,
    )
    services.case_close(case_id=closed.pk, by=clerk2, note="已告知申请人。")
    # Not accepted, and withdrawn.
    refused = claimed(file("rejected", "training_subsidy", 3, 3))
    services.case_reject(
        case_id=refused.pk, reasons="申请人未参加失业保险，不属于本事项受理范围。", by=clerk
    )
    gone = claimed(file("withdrawn", "unemployment_benefit", 1, 2))
    services.case_withdraw(case_id=gone.pk, by=clerk, note="申请人已重新就业，申请撤回。")
    # An elderly person who needs assistance: her daughter acts as proxy, and a home visit.
    elderly_id, elderly_name = people[0]
    if not AssistanceProfile.objects.filter(name=elderly_name).exists():
        services.assistance_mark(
            id_number=elderly_id,
            name=elderly_name,
            is_elderly=True,
            is_disabled=True,
            needs_assistance=True,
            note="行动不便，需上门服务。",
            by=clerk,
        )
    today = timezone.localdate()
    proxy_case = claimed(
        file(
            "proxy",
            "survivor_benefits",
            0,
            2,
            proxy=services.ProxyInput(
                agent_name=people[2][1],
                agent_id_number=people[2][0],
                relationship="女儿",
                valid_from=today - timedelta(days=30),
                valid_until=today + timedelta(days=335),
                evidence="经公证的授权委托书（(2025)京朝证字第1234号），窗口核验原件",
                scope_item_codes=["survivor_benefits", "home_visit"],
                scope_note="代为申领丧葬补助金、抚恤金",
            ),
        )
    )
    services.home_visit_arrange(
        case_id=proxy_case.pk,
        address="北京市朝阳区和平里街道示范小区3号楼2单元101",
        assignee=clerk2,
        scheduled_for=today + timedelta(days=2),
        contact_phone="010-64000000",
        note="核验申请人身份并采集签名。",
        by=clerk,
    )
    services.case_deadlines_sweep(force=True)
