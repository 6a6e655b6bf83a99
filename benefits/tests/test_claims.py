"""Claims: filed with the case engine, computed with every step, decided by four eyes, awarded,
and paid; the same numbers again from the stored snapshot."""

from datetime import date
from decimal import Decimal

import pytest

from benefits.errors import CalculationMissingError
from benefits.models import Award, AwardKind, ClaimStatus, Payment
from benefits.services import claims
from benefits.services.calculations import calculation_reproduce
from benefits.tests.factories import (
    ACCOUNT,
    account,
    assert_money_adds_up,
    contributions,
    pension_policies,
    read_bank_file,
)
from cases.errors import SelfApprovalError
from cases.models import CaseStatus, DecisionStatus
from registration.tests.factories import id_number
from registration.tests.factories import person as make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pensioner(region):
    """Worked example 1 of benefit-rules.md (a): a man retiring at 60y0m (born 1964-12, before
    the reform), 30 years (300 recorded + 60 deemed months), index 1.2, balance 150,000."""
    person = make_person(region, name="张退休", number=id_number("19641210"))
    contributions(person, 300, start=date(1995, 1, 1))
    account(person, "150000.00")
    pension_policies(region)
    return person


def _file(pensioner, agency, clerk, **inputs):
    return claims.claim_file(
        kind="pension",
        person_id_number=pensioner.id_number,
        channel="counter",
        received_by=agency,
        by=clerk,
        inputs={
            "category": "male",
            "deemed_months": 60,
            "average_contribution_index": "1.2",
            **inputs,
        },
        payee_bank="中国工商银行",
        payee_account=ACCOUNT,
    )


def test_a_pension_claim_is_computed_with_every_step_and_its_rule(pensioner, agency, clerk):
    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)

    calculation = claims.claim_calculate(claim_id=claim.pk, by=clerk)

    assert claim.case.item.code == "pension_claim"
    assert calculation.is_eligible
    # benefit-rules.md (a) worked example 1: 2,640.00 + 1,079.14 = 3,719.14.
    assert calculation.monthly_amount == Decimal("3719.14")
    assert calculation.start_month == date(2025, 1, 1)  # the month after 2024-12
    values = {step["label_en"]: step["value"] for step in calculation.steps}
    assert values["Base pension"] == "2,640.00"
    assert values["Personal-account pension"] == "1,079.14"
    assert values["Months divisor"] == "139"
    assert all(step["rule"] for step in calculation.steps)
    assert calculation.rule_version.startswith("pension@")
    assert {s["key"] for s in calculation.sources} == {
        "average_monthly_wage",
        "pension_divisor_strategy",
    }


def test_the_same_numbers_come_out_again_from_the_snapshot(pensioner, agency, clerk, region):
    from core.models import PolicyParameter

    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    calculation = claims.claim_calculate(claim_id=claim.pk, by=clerk)
    # Years later the regional figures have changed; the stored decision still reproduces.
    PolicyParameter.objects.filter(key="average_monthly_wage").update(value="99999.00")

    assert calculation_reproduce(calculation) == {"monthly_amount": "3719.14"}


def test_a_claim_short_of_the_minimum_is_denied_with_the_shortfall(region, agency, clerk):
    person = make_person(region, name="短缴", number=id_number("19641111"))
    contributions(person, 100, start=date(2010, 1, 1))
    pension_policies(region)
    claim = _file(person, agency, clerk, deemed_months=0)
    claims.claim_accept(claim_id=claim.pk, by=clerk)

    calculation = claims.claim_calculate(claim_id=claim.pk, by=clerk)

    assert not calculation.is_eligible
    assert calculation.monthly_amount is None
    assert "80" in calculation.reasons  # 180 - 100 months short


def test_four_eyes_the_maker_cannot_approve_and_the_reviewer_grants(
    pensioner, agency, clerk, reviewer, django_capture_on_commit_callbacks
):
    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    calculation = claims.claim_calculate(claim_id=claim.pk, by=clerk)
    decision = claims.claim_decision_propose(claim_id=claim.pk, by=clerk)

    assert decision.needs_reviewer  # a pension is a high-risk item (Art. 37)
    assert decision.amount == Decimal("3719.14")
    with pytest.raises(SelfApprovalError):
        claims.claim_decision_approve(claim_id=claim.pk, by=clerk)
    assert not Award.objects.exists()

    claims.claim_decision_approve(claim_id=claim.pk, by=reviewer)

    claim.refresh_from_db()
    decision.refresh_from_db()
    calculation.refresh_from_db()
    assert decision.status == DecisionStatus.EFFECTIVE
    assert claim.status == ClaimStatus.GRANTED
    assert claim.case.status == CaseStatus.DECIDED
    assert calculation.decision_id == decision.pk
    award = Award.objects.get()
    assert (award.kind, award.amount, award.start_month) == (
        AwardKind.PENSION,
        Decimal("3719.14"),
        date(2025, 1, 1),
    )
    assert award.payee_account == ACCOUNT
    assert award.claim_id == claim.pk


def test_a_returned_decision_reopens_the_claim_for_the_maker(pensioner, agency, clerk, reviewer):
    from audit.models import AuditEvent
    from benefits.errors import ClaimStateError

    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    decision = claims.claim_decision_propose(claim_id=claim.pk, by=clerk)

    claims.claim_decision_return(claim_id=claim.pk, by=reviewer, note="deemed months unproven")

    claim.refresh_from_db()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    assert claim.status == ClaimStatus.CALCULATED
    event = AuditEvent.objects.get(action="benefits.claim.return")
    assert event.note == "deemed months unproven"
    with pytest.raises(ClaimStateError):  # nothing is pending any more
        claims.claim_decision_return(claim_id=claim.pk, by=reviewer, note="again")
    # The maker calculates again and proposes anew; the checker can grant it.
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
    claims.claim_decision_approve(claim_id=claim.pk, by=reviewer)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert Award.objects.get().amount == Decimal("3719.14")


def test_a_decision_proposed_without_the_calculation_is_refused(pensioner, agency, clerk, reviewer):
    from cases.services import decision_approve, decision_propose

    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    decision = decision_propose(
        case_id=claim.case_id,
        outcome="granted",
        reasons="looks fine",
        legal_basis="Art. 18",
        amount=Decimal("9999.00"),
        by=clerk,
    )

    with pytest.raises(CalculationMissingError):
        decision_approve(decision_id=decision.pk, by=reviewer)
    assert not Award.objects.exists()


def test_from_application_to_the_first_payment(pensioner, agency, clerk, reviewer, pay, region):
    # January and February were paid to others before the claim was decided.
    from benefits.tests.factories import award

    award(region, amount="1000.00")
    january = pay(region, date(2025, 1, 1))
    february = pay(region, date(2025, 2, 1))
    claim = _file(pensioner, agency, clerk)
    claims.claim_accept(claim_id=claim.pk, by=clerk)
    claims.claim_calculate(claim_id=claim.pk, by=clerk)
    claims.claim_decision_propose(claim_id=claim.pk, by=clerk)
    claims.claim_decision_approve(claim_id=claim.pk, by=reviewer)
    pension = Award.objects.get(kind=AwardKind.PENSION, person=pensioner)

    march = pay(region, date(2025, 3, 1))

    # The first bank file after the grant carries January and February (arrears) and March.
    periods = sorted(Payment.objects.filter(award=pension).values_list("period", flat=True))
    assert periods == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    _h, lines, _t = read_bank_file(march)
    mine = sorted(line[7] for line in lines if line[5] == "3719.14")
    assert mine == ["2025-01", "2025-02", "2025-03"]
    assert_money_adds_up(january, february, march)
