"""The other claims: unemployment (contribution months and how the last job ended), maternity,
work injury (disability, death), survivors, one funeral subsidy across schemes, manual
reimbursements and the training subsidy (their materials), the Art. 21 applications (decisions
without money); the UI fund's medical contributions; the annual adjustment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from benefits.errors import AdjustmentRetroactiveError
from benefits.models import (
    Award,
    AwardKind,
    ClaimStatus,
    UiMedicalPosting,
)
from benefits.services import adjustments, claims, ui_medical
from benefits.services.calculations import calculation_reproduce
from benefits.tests.factories import ACCOUNT, award, contributions, policy
from registration.models import Employment
from registration.tests.factories import employer as make_employer
from registration.tests.factories import id_number
from registration.tests.factories import person as make_person

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def _file(kind, person, agency, clerk, **inputs):
    claim = claims.claim_file(
        kind=kind,
        person_id_number=person.id_number,
        channel="counter",
        received_by=agency,
        by=clerk,
        inputs=inputs,
        payee_bank="中国工商银行",
        payee_account=ACCOUNT,
    )
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    return claim


def _materials(claim, clerk, *codes):
    from cases.services import material_add

    for code in codes:
        material = claim.case.item.materials.get(code=code)
        material_add(
            case_id=claim.case_id,
            item_material_id=material.pk,
            by=clerk,
            upload=SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf"),
        )


def _decide(claim, clerk, checker):
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    decision = claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
    if decision.required_levels:
        claims.claim_decision_approve(claim_id=claim.pk, by=checker)
    claim.refresh_from_db()
    return claim


def _ended(person, region, reason):
    employer = make_employer(region)
    return Employment.objects.create(
        person=person,
        employer=employer,
        start_date=date(2017, 1, 1),
        end_date=date(2025, 2, 28),
        end_reason=reason,
        contribution_base=Decimal("8000.00"),
    )


@pytest.fixture
def ui_policy(region):
    policy("ui_monthly_amount", "2241.00", region)
    policy("ui_medical_contribution_base", "6000.00", region)
    policy("ui_medical_contribution_rate", "0.09", region)


def test_unemployment_after_dismissal_is_18_months_and_the_fund_pays_medical(
    region, agency, clerk, reviewer, ui_policy, pay
):
    # benefit-rules.md (c): 7y3m of contributions, dismissed, registered 2025-03-10.
    person = make_person(region, name="失业者", number=id_number("19850101"))
    contributions(person, 87, start=date(2017, 11, 1), insurance_type="unemployment")
    _ended(person, region, "dismissed")
    claim = _file(
        "unemployment",
        person,
        agency,
        clerk,
        registration_date="2025-03-10",
        is_registered=True,
        carried_over_months=0,
    )

    claim = _decide(claim, clerk, reviewer)

    assert claim.status == ClaimStatus.GRANTED
    benefit = Award.objects.get(kind=AwardKind.UNEMPLOYMENT)
    assert benefit.amount == Decimal("2241.00")
    assert (benefit.start_month, benefit.end_month) == (date(2025, 3, 1), date(2026, 8, 1))
    result = ui_medical.ui_medical_postings(period=date(2025, 4, 1))
    again = ui_medical.ui_medical_postings(period=date(2025, 4, 1))
    assert result["posted"] == {"110000": 1}
    assert again["posted"] == {"110000": 0}
    posting = UiMedicalPosting.objects.get()
    assert posting.amount == Decimal("540.00")  # 6,000 × 9%, the person pays nothing
    assert ui_medical.ui_medical_postings(period=date(2026, 9, 1))["posted"] == {"110000": 0}


def test_unemployment_after_resigning_is_denied(region, agency, clerk, reviewer, ui_policy):
    person = make_person(region, name="辞职者", number=id_number("19860101"))
    contributions(person, 87, start=date(2017, 11, 1), insurance_type="unemployment")
    _ended(person, region, "resigned")
    claim = _file("unemployment", person, agency, clerk, registration_date="2025-03-10")

    claim = _decide(claim, clerk, reviewer)

    assert claim.status == ClaimStatus.DENIED
    assert "voluntary_leaving" in claim.calculations.get().reasons
    assert not Award.objects.exists()


def test_maternity_allowance_needs_the_medical_records(region, agency, clerk, reviewer):
    person = make_person(region, name="产妇", number=id_number("19920101", female=True))
    inputs = {
        "leave_start": "2025-03-01",
        "case": "normal",
        "extra_infants": 0,
        "provincial_extra_days": 0,
        "employer_average_monthly_wage": "9000.00",
    }
    claim = _file("maternity", person, agency, clerk, **inputs)
    missing = claims.claim_calculate(claim_id=claim.pk, by=clerk)
    assert not missing.is_eligible
    _materials(claim, clerk, "medical_records")

    calculation = claims.claim_calculate(claim_id=claim.pk, by=clerk)

    # benefit-rules.md (e): 9,000 / 30 × 98 = 29,400.
    assert calculation.one_off_amount == Decimal("29400.00")
    assert calculation_reproduce(calculation) == {"one_off_amount": "29400.00"}


def test_work_injury_level_3_gets_the_grant_and_a_monthly_allowance(
    region, agency, clerk, reviewer, supervisor
):
    policy("wi_average_monthly_wage", "7000.00", region)
    policy("national_urban_disposable_income", "51821.00")
    policy("wi_survivor_scaling", "PRO_RATA")
    person = make_person(region, name="工伤者", number=id_number("19800101"))
    claim = _file(
        "wi_disability",
        person,
        agency,
        clerk,
        appraisal_date="2025-02-10",
        level=3,
        own_monthly_wage="8000.00",
    )
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
    claims.claim_decision_approve(claim_id=claim.pk, by=reviewer)
    claims.claim_decision_approve(claim_id=claim.pk, by=supervisor)  # 184,000 > 50,000

    kinds = dict(Award.objects.values_list("kind", "amount"))
    # benefit-rules.md (d): level 3, own wage 8,000: 23 × 8,000 and 80% a month.
    assert kinds == {
        AwardKind.WI_DISABILITY_GRANT: Decimal("184000.00"),
        AwardKind.WI_DISABILITY_ALLOWANCE: Decimal("6400.00"),
    }


def test_only_one_funeral_subsidy_across_schemes(region, agency, clerk, reviewer, supervisor):
    policy("province_monthly_urban_disposable_income", "4500.00", region)
    policy("wi_average_monthly_wage", "7000.00", region)
    policy("national_urban_disposable_income", "51821.00")
    policy("wi_survivor_scaling", "PRO_RATA")
    person = make_person(region, name="逝者", number=id_number("19700101"))
    contributions(person, 255, start=date(2004, 1, 1))  # 21y3m
    survivors = _file("survivors", person, agency, clerk, death_date="2025-03-05")
    claims.claim_calculate(claim_id=survivors.pk, by=clerk)
    claims.claim_decision_propose(claim_id=survivors.pk, by=clerk)
    claims.claim_decision_approve(claim_id=survivors.pk, by=reviewer)
    claims.claim_decision_approve(claim_id=survivors.pk, by=supervisor)
    paid = dict(Award.objects.values_list("kind", "amount"))
    # benefit-rules.md (h): 21y3m → 15.25 months × 4,500 = 68,625; funeral 2 × 4,500.
    assert paid == {
        AwardKind.FUNERAL_SUBSIDY: Decimal("9000.00"),
        AwardKind.SURVIVOR_BENEFIT: Decimal("68625.00"),
    }

    death = _file(
        "wi_death",
        person,
        agency,
        clerk,
        death_date="2025-03-05",
        own_monthly_wage="8000.00",
        dependants=[{"kind": "spouse"}],
    )
    calculation = claims.claim_calculate(claim_id=death.pk, by=clerk)

    planned = {a["kind"] for a in calculation.awards_planned}
    assert AwardKind.WI_FUNERAL_GRANT not in planned  # SIL Art. 49 ¶2
    assert AwardKind.WI_DEATH_GRANT in planned
    with pytest.raises(IntegrityError), transaction.atomic():
        award(
            region,
            person=person,
            kind=AwardKind.WI_FUNERAL_GRANT,
            frequency="one_off",
            end_month=date(2025, 1, 1),
            start=date(2025, 1, 1),
        )


def test_a_manual_reimbursement_needs_its_four_documents(region, agency, clerk, reviewer):
    person = make_person(region, name="患者", number=id_number("19750101"))
    inputs = {"invoices_total": "5000.00", "payable_amount": "3200.00", "review_note": "目录内"}
    claim = _file("medical_reimbursement", person, agency, clerk, **inputs)
    _materials(claim, clerk, "invoices", "cost_list", "diagnosis")
    assert not claims.claim_calculate(claim_id=claim.pk, by=clerk).is_eligible
    _materials(claim, clerk, "medical_records")

    claim = _decide(claim, clerk, reviewer)

    assert claim.case.item.time_limit_working_days == 30  # Art. 20 ¶2
    assert Award.objects.get().amount == Decimal("3200.00")


def test_the_training_subsidy_needs_the_certificate(region, agency, clerk, reviewer):
    policy("training_subsidy_amount", "1500.00", region)
    person = make_person(region, name="学员", number=id_number("19950101"))
    claim = _file(
        "training_subsidy", person, agency, clerk, certificate_number="S-001", certificate_level="4"
    )
    assert not claims.claim_calculate(claim_id=claim.pk, by=clerk).is_eligible
    _materials(claim, clerk, "skill_certificate")

    claim = _decide(claim, clerk, reviewer)

    assert Award.objects.get().amount == Decimal("1500.00")


def test_an_art_21_leave_extension_is_a_decision_without_money(region, agency, clerk, reviewer):
    person = make_person(region, name="工伤者二", number=id_number("19810101"))
    claim = claims.claim_file(
        kind="wi_leave_extension",
        person_id_number=person.id_number,
        channel="counter",
        received_by=agency,
        by=clerk,
        inputs={"finding": "仍需治疗", "confirmed": True, "extension_months": 6},
    )
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    _materials(claim, clerk, "diagnosis", "medical_records")

    claim = _decide(claim, clerk, reviewer)

    assert claim.status == ClaimStatus.GRANTED
    assert claim.case.item.code == "work_injury_leave_extension"
    assert not Award.objects.exists()
    decision = claim.case.decisions.get()
    assert decision.amount is None
    assert "第二十一条" in decision.legal_basis


def test_the_annual_adjustment_is_set_based_and_applies_once(region, supervisor, pay):
    pensions = [award(region, amount="3000.00"), award(region, amount="2000.00")]
    ended = award(region, amount="1000.00", status="stopped", stopped_on=date(2024, 12, 1))

    done = adjustments.award_adjustment_apply(
        region=region,
        kinds=["pension"],
        effective_month=date(2025, 7, 1),
        percent=Decimal("2.0"),
        flat_amount=Decimal("30.00"),
        legal_basis="关于2025年调整退休人员基本养老金的通知",
        by=supervisor,
    )

    assert done.awards_adjusted == 2
    amounts = {a.pk: a.amount for a in Award.objects.all()}
    # 3,000 × 1.02 + 30 = 3,090.00; 2,000 × 1.02 + 30 = 2,070.00.
    assert amounts[pensions[0].pk] == Decimal("3090.00")
    assert amounts[pensions[1].pk] == Decimal("2070.00")
    assert amounts[ended.pk] == Decimal("1000.00")
    assert done.monthly_increase_total == Decimal("160.00")
    with pytest.raises(AdjustmentRetroactiveError):
        adjustments.award_adjustment_apply(
            region=region,
            kinds=["pension"],
            effective_month=date(2025, 7, 1),
            percent=Decimal("2.0"),
            flat_amount=Decimal("0"),
            legal_basis="again",
            by=supervisor,
        )
    june = pay(region, date(2025, 6, 1))
    july = pay(region, date(2025, 7, 1))
    assert june.gross_total == Decimal("5000.00")  # the old amounts before July
    assert july.gross_total == Decimal("5160.00")
    with pytest.raises(AdjustmentRetroactiveError):
        adjustments.award_adjustment_apply(
            region=region,
            kinds=["pension"],
            effective_month=date(2025, 6, 1),
            percent=Decimal("1.0"),
            flat_amount=Decimal("0"),
            legal_basis="late",
            by=supervisor,
        )
