"""Four eyes (Art. 37): thresholds from effective-dated parameters, no self-approval, no repeat
approver, reviewer then supervisor; the owner is called back; Art. 52 remedies."""

from datetime import date
from decimal import Decimal

import pytest

from cases import handlers, services
from cases.errors import (
    ApprovalLevelNotAllowedError,
    DecisionNotPendingError,
    RepeatApproverError,
    SelfApprovalError,
)
from cases.models import CaseStatus, DecisionStatus
from core.models import PolicyParameter

pytestmark = pytest.mark.django_db


def _propose(case, clerk, amount=None, outcome="granted"):
    return services.decision_propose(
        case_id=case.pk,
        outcome=outcome,
        reasons="符合条件",
        legal_basis="社会保险经办条例第二十四条",
        amount=amount,
        by=clerk,
    )


def test_the_national_defaults_are_seeded():
    keys = dict(
        PolicyParameter.objects.filter(region=None, key__startswith="four_eyes").values_list(
            "key", "value"
        )
    )
    assert keys == {
        "four_eyes_reviewer_threshold": "5000.00",
        "four_eyes_supervisor_threshold": "50000.00",
    }


def test_a_small_decision_on_an_ordinary_item_is_effective_at_once(claimed_case, clerk):
    case = claimed_case()
    decision = _propose(case, clerk, Decimal("5000.00"))  # not above the threshold
    assert decision.status == DecisionStatus.EFFECTIVE
    assert decision.required_levels == []
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert "行政复议" in decision.remedy_notice
    assert "administrative lawsuit" in decision.remedy_notice


def test_a_high_risk_item_needs_a_reviewer_who_is_not_the_maker(claimed_case, clerk, reviewer):
    case = claimed_case("pension_claim")
    decision = _propose(case, clerk, Decimal("3000.00"))
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.required_levels == ["reviewer"]
    with pytest.raises(SelfApprovalError):
        services.decision_approve(decision_id=decision.pk, by=clerk)
    services.decision_approve(decision_id=decision.pk, by=reviewer)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.EFFECTIVE


def test_the_maker_cannot_approve_even_holding_the_reviewer_role(claimed_case, make_user):
    from accounts.roles import Role

    both = make_user(Role.CLERK, Role.REVIEWER, username="both")
    case = claimed_case("pension_claim")
    case.assignee = both
    case.save(update_fields=["assignee"])
    decision = _propose(case, both)
    with pytest.raises(SelfApprovalError):
        services.decision_approve(decision_id=decision.pk, by=both)


def test_above_the_second_threshold_a_supervisor_approves_after_the_reviewer(
    claimed_case, clerk, reviewer, reviewer2, supervisor
):
    case = claimed_case()
    decision = _propose(case, clerk, Decimal("50000.01"))
    assert decision.required_levels == ["reviewer", "supervisor"]
    with pytest.raises(ApprovalLevelNotAllowedError):  # the reviewer level comes first
        services.decision_approve(decision_id=decision.pk, by=supervisor)
    services.decision_approve(decision_id=decision.pk, by=reviewer)
    with pytest.raises(RepeatApproverError):
        services.decision_approve(decision_id=decision.pk, by=reviewer)
    with pytest.raises(ApprovalLevelNotAllowedError):  # a second reviewer is not a supervisor
        services.decision_approve(decision_id=decision.pk, by=reviewer2)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    services.decision_approve(decision_id=decision.pk, by=supervisor)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.EFFECTIVE
    assert list(decision.approvals.values_list("level", "approver__username")) == [
        ("reviewer", "reviewer"),
        ("supervisor", "supervisor"),
    ]


def test_an_approval_at_a_level_already_given_is_a_conflict(
    claimed_case, clerk, reviewer, reviewer2
):
    case = claimed_case()
    decision = _propose(case, clerk, Decimal("80000"))
    services.decision_approve(decision_id=decision.pk, by=reviewer, level="reviewer")
    with pytest.raises(DecisionNotPendingError) as conflict:
        services.decision_approve(decision_id=decision.pk, by=reviewer2, level="reviewer")
    assert "李复核" in conflict.value.message


def test_a_second_approval_after_the_decision_took_effect_is_a_conflict(
    claimed_case, clerk, reviewer, reviewer2
):
    case = claimed_case()
    decision = _propose(case, clerk, Decimal("6000"))
    services.decision_approve(decision_id=decision.pk, by=reviewer)
    with pytest.raises(DecisionNotPendingError) as conflict:
        services.decision_approve(decision_id=decision.pk, by=reviewer2)
    assert "李复核" in conflict.value.message
    assert decision.approvals.count() == 1


def test_thresholds_are_effective_dated_and_regional(claimed_case, clerk, region):
    # The region raises its reviewer threshold from 2025-03-01: 6,000 no longer needs a reviewer.
    PolicyParameter.objects.create(
        key="four_eyes_reviewer_threshold",
        region=region,
        valid_from=date(2025, 3, 1),
        value="8000.00",
        source="test",
    )
    levels = services.approval_levels(
        is_high_risk=False, amount=Decimal("6000"), region=region, on=date(2025, 3, 3)
    )
    assert (levels.needs_reviewer, levels.needs_supervisor) == (False, False)
    assert levels.snapshot["four_eyes_reviewer_threshold"]["region"] == "110000"
    before = services.approval_levels(
        is_high_risk=False, amount=Decimal("6000"), region=region, on=date(2025, 2, 28)
    )
    assert before.needs_reviewer is True


def test_a_missing_threshold_fails_safe(region):
    PolicyParameter.objects.filter(key__startswith="four_eyes").delete()
    levels = services.approval_levels(
        is_high_risk=False, amount=Decimal("1.00"), region=region, on=date(2025, 3, 3)
    )
    assert (levels.needs_reviewer, levels.needs_supervisor) == (True, True)


def test_the_decision_is_pinned_to_the_thresholds_it_started_with(claimed_case, clerk, reviewer):
    case = claimed_case()
    decision = _propose(case, clerk, Decimal("6000"))
    PolicyParameter.objects.filter(key="four_eyes_reviewer_threshold").update(value="10000.00")
    decision.refresh_from_db()
    assert decision.needs_reviewer
    assert decision.policy_snapshot["four_eyes_reviewer_threshold"]["value"] == "5000.00"


def test_a_returned_decision_goes_back_to_its_maker(claimed_case, clerk, reviewer):
    case = claimed_case("pension_claim")
    decision = _propose(case, clerk)
    services.decision_return(decision_id=decision.pk, by=reviewer, note="缴费年限需复核")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    assert case.notifications.filter(recipient=clerk, kind="decision_returned").exists()
    again = _propose(case, clerk)
    services.decision_approve(decision_id=again.pk, by=reviewer)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_the_owning_app_is_called_back_inside_the_decision(claimed_case, clerk, reviewer):
    from core.errors import DomainError

    calls = []

    def on_decided(case, decision):
        calls.append((case.case_number, decision.amount))

    handlers.register("pension_claim", on_decided=on_decided)
    try:
        case = claimed_case("pension_claim")
        decision = _propose(case, clerk, Decimal("4210.50"))
        assert calls == []
        services.decision_approve(decision_id=decision.pk, by=reviewer)
        assert calls == [(case.case_number, Decimal("4210.50"))]
    finally:
        handlers.unregister("pension_claim")

    class AwardRefusedError(DomainError):
        code = "award_refused"

    def refuse(case, decision):
        raise AwardRefusedError("账户信息不完整")

    handlers.register("unemployment_benefit", on_decided=refuse)
    try:
        case = claimed_case()
        with pytest.raises(AwardRefusedError):
            _propose(case, clerk)
        case.refresh_from_db()
        assert case.status == CaseStatus.ACCEPTED  # nothing happened
        assert not case.decisions.exists()
    finally:
        handlers.unregister("unemployment_benefit")


def test_a_decision_needs_reasons_and_a_basis(claimed_case, clerk):
    from cases.errors import DecisionInvalidError

    case = claimed_case()
    with pytest.raises(DecisionInvalidError) as refused:
        services.decision_propose(
            case_id=case.pk,
            outcome="granted",
            reasons=" ",
            legal_basis="",
            amount=Decimal("1.001"),
            by=clerk,
        )
    assert set(refused.value.fields) == {"reasons", "legal_basis", "amount"}
