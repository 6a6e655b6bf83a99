"""Demo data for eligibility (make run): pensioners with awards, a death feed with hits, suspicions
open, under investigation, confirmed and refuted, authentications across channels for the
dashboard, and an employer's late report with its credit record. Idempotent: awards are found by
their note, feed records by their source reference, reports by their reference, investigations
by their event; a second comparison run finds nothing new."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from stdnum.cn import ric

from core.demo import DemoContext
from eligibility.models import Authentication, Investigation, StopEvent, Suspicion

if TYPE_CHECKING:
    from benefits.models import Award
    from core.models import Region
    from registration.models import InsuredPerson

PENSIONERS = 24
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
# Of every 20 verifications: 9 data comparison, 7 self-service, 3 counter, 1 home visit (80%).
CHANNEL_MIX = ["data_comparison"] * 9 + ["self_service"] * 7 + ["counter"] * 3 + ["home_visit"]


def _id_number(number: int) -> str:
    body = f"110105{date(1950, 1, 1) + timedelta(days=number * 37):%Y%m%d}{900 + number:03d}"
    return body + ric.calc_check_digit(body + "0")


def _pensioner(ctx: DemoContext, number: int, region: Region) -> tuple[InsuredPerson, Award]:
    from benefits.models import Award
    from benefits.services.awards import AwardSpec, award_create
    from registration.models import RegistrationChannel
    from registration.services.persons import person_register

    name = f"{SURNAMES[number % len(SURNAMES)]}{'秀兰建国桂英志强淑珍国华'[number % 10]}"
    person, _created = person_register(
        id_number=_id_number(number),
        name=name,
        region=region,
        channel=RegistrationChannel.SHARED_DATA,
        by=None,
    )
    note = f"demo:eligibility:{number}"
    award = Award.objects.filter(person=person, note=note).first()
    if award is None:
        award = award_create(
            person=person,
            region=region,
            spec=AwardSpec(
                kind="pension",
                scheme="pension",
                frequency="monthly",
                amount=Decimal("3000.00") + number * 45,
                start_month=date(2024, 1, 1),
                end_month=None,
                payee_name=name,
                payee_bank="中国工商银行",
                payee_account=f"62220202001122{number:05d}",
                note=note,
            ),
            by=None,
        )
    return person, award


def seed_eligibility(ctx: DemoContext) -> None:
    from eligibility.services.authentication import (
        authentication_cycles_sweep,
        authentication_record,
    )
    from eligibility.services.comparison import comparison_run
    from eligibility.services.feeds import feed_batch_receive

    region = ctx.regions["110000"]
    today = timezone.localdate()
    people = [_pensioner(ctx, number, region) for number in range(PENSIONERS)]
    # Authentications over the last months, mostly without coming in; before the sweep, so
    # each person's cycle runs from their own last one: most verified twice, a few due soon
    # (reminded), two overdue (suspended by the sweep).
    for number, (person, _award) in enumerate(people[6:], start=6):
        months = (11, 5) if number < 18 else (11,) if number < 22 else (13,)
        for months_ago in months:
            channel = CHANNEL_MIX[(number * 3 + months_ago) % len(CHANNEL_MIX)]
            verified = today - timedelta(days=months_ago * 30 + number % 20)
            reference = f"demo-{number}-{months_ago}"
            if not Authentication.objects.filter(channel=channel, reference=reference).exists():
                authentication_record(
                    person_id=person.pk,
                    channel=channel,
                    verified_on=verified,
                    reference=reference,
                    method={"self_service": "face", "data_comparison": "hospital visit"}.get(
                        channel, ""
                    ),
                    by=ctx.users.get("clerk"),
                )
    authentication_cycles_sweep(today=today)
    # The civil affairs death feed: four pensioners, two people not drawing anything, and one
    # record with a bad ID number (rejected, shown on the batch page).
    deaths = [
        {
            "source": "civil_affairs",
            "source_reference": f"MZ-DEMO-{number:04d}",
            "id_number": people[number][0].id_number,
            "event_date": (today - timedelta(days=25 + number * 9)).isoformat(),
            "name": people[number][0].name,
        }
        for number in range(4)
    ]
    deaths.append(
        {
            "source": "civil_affairs",
            "source_reference": "MZ-DEMO-BAD",
            "id_number": "110105195001019999",
            "event_date": (today - timedelta(days=20)).isoformat(),
        }
    )
    feed_batch_receive(kind="death", records=deaths, by=None)
    comparison_run(today=today)
    _investigate(ctx, [people[number][0] for number in range(1, 4)])
    _late_employer_report(ctx, region, today)


def _investigate(ctx: DemoContext, persons: list[InsuredPerson]) -> None:
    """One investigation left open with a commission, one confirmed, one refuted."""
    from cases.services import decision_approve
    from eligibility.services import investigations as inv

    clerk, reviewer = ctx.users.get("clerk"), ctx.users.get("reviewer")
    if clerk is None or reviewer is None:
        return
    plans = [
        (persons[0], None),
        (persons[1], "confirmed"),
        (persons[2], "refuted"),
    ]
    for person, outcome in plans:
        suspicion = Suspicion.objects.filter(person=person).order_by("pk").first()
        if suspicion is None or suspicion.stop_event_id is None:
            continue
        if Investigation.objects.filter(stop_event_id=suspicion.stop_event_id).exists():
            continue
        investigation = inv.investigation_open(suspicion_id=suspicion.pk, by=clerk)
        if outcome is None:
            inv.commission_request(
                investigation_id=investigation.pk,
                party_kind="third_party",
                party_name="朝阳区和平里社区居委会",
                request="请入户核实本人是否健在 / please visit and see whether the person is alive",
                due_on=timezone.localdate() + timedelta(days=10),
                by=clerk,
            )
            continue
        decision = inv.investigation_conclude(
            investigation_id=investigation.pk,
            outcome=outcome,
            reasons=(
                "民政死亡登记与火化证明一致 / the death register and the cremation record agree"
                if outcome == "confirmed"
                else "本人到窗口核验，系同名同生日人员误报 / seen at the counter: a record of "
                "someone else"
            ),
            by=clerk,
        )
        if decision.status == "proposed":
            decision_approve(decision_id=decision.pk, by=reviewer)


def _late_employer_report(ctx: DemoContext, region: Region, today: date) -> None:
    """An employee drawing a work-injury disability allowance died; the employer reported it
    after the 20 working days: the sweep writes the employer's credit record."""
    from benefits.models import Award
    from benefits.services.awards import AwardSpec, award_create
    from eligibility.services.notice import notice_duty_sweep, stop_event_report
    from registration.models import Employment

    employer_user = ctx.users.get("employer")
    if employer_user is None or employer_user.employer_id is None:
        return
    employment = (
        Employment.objects.filter(employer_id=employer_user.employer_id, end_date__isnull=True)
        .select_related("person", "employer")
        .order_by("pk")
        .first()
    )
    if employment is None:
        return
    person = employment.person
    note = "demo:eligibility:work-injury"
    if not Award.objects.filter(person=person, note=note).exists():
        award_create(
            person=person,
            region=region,
            spec=AwardSpec(
                kind="wi_disability_allowance",
                scheme="work_injury",
                frequency="monthly",
                amount=Decimal("4200.00"),
                start_month=date(2024, 6, 1),
                end_month=None,
                payee_name=person.name,
                payee_bank="中国建设银行",
                payee_account="6217000010001234567",
                note=note,
            ),
            by=None,
        )
    event_date = today - timedelta(days=75)
    stop_event_report(
        id_number=person.id_number,
        subject_name=person.name,
        kind="death",
        event_date=event_date,
        reporter_kind="employer",
        reporter_name="周人事",
        channel="employer_portal",
        employer=employment.employer,
        reference="demo-late-employer-report",
        note="家属告知单位后补报 / reported once the family told the employer",
        by=employer_user,
    )
    if StopEvent.objects.filter(person=person, kind="death").exists():
        notice_duty_sweep(today=today)
