"""Decisions and tiered review (Art. 37): the maker proposes; a reviewer who is not the maker
approves when the item is high-risk or the amount passes the reviewer threshold; above the
supervisor threshold a supervisor approves as well. Nobody approves their own decision or the
same decision twice. Each decision states its reasons and the remedies (Art. 52)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import handlers
from cases.errors import (
    ApprovalLevelNotAllowedError,
    CaseStateError,
    DecisionInvalidError,
    DecisionNotPendingError,
    RepeatApproverError,
    SelfApprovalError,
)
from cases.models import (
    Approval,
    ApprovalLevel,
    ApprovalVerdict,
    Case,
    CaseEventKind,
    CaseStatus,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    Notification,
    NotificationKind,
)
from cases.services._steps import (
    require_assignee,
    require_perm,
    require_status,
    status_change,
    step_record,
)
from cases.services.workflow import case_lock
from core.errors import DomainError
from core.models import Region
from core.policy import PolicyParameterMissingError, policy_value

if TYPE_CHECKING:
    from accounts.models import User

REVIEWER_THRESHOLD_KEY = "four_eyes_reviewer_threshold"
SUPERVISOR_THRESHOLD_KEY = "four_eyes_supervisor_threshold"
LEVEL_PERMISSION = {
    ApprovalLevel.REVIEWER: "cases.review_case",
    ApprovalLevel.SUPERVISOR: "cases.supervise_case",
}


def remedy_notice_text() -> str:
    """Art. 52: the applicant may seek administrative reconsideration or sue. The periods are
    those of 行政复议法 (2023) Art. 20 (60 days) and 行政诉讼法 Art. 46 (6 months)."""
    return (
        "如对本决定不服，可以自知道该决定之日起六十日内依法申请行政复议，或者自知道该决定之日起"
        "六个月内依法向人民法院提起行政诉讼（《社会保险经办条例》第五十二条；《中华人民共和国行政"
        "复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条）。\n"
        "If you disagree with this decision, you may apply for administrative reconsideration "
        "within 60 days of learning of it, or bring an administrative lawsuit before a people's "
        "court within six months (Regulations on Social Insurance Handling Art. 52; "
        "Administrative Reconsideration Law Art. 20; Administrative Litigation Law Art. 46)."
    )


@dataclass(frozen=True)
class ApprovalLevels:
    needs_reviewer: bool
    needs_supervisor: bool
    snapshot: dict[str, object]


def approval_levels(
    *, is_high_risk: bool, amount: Decimal | None, region: Region | None, on: date
) -> ApprovalLevels:
    """Art. 37 分级审核. Thresholds are effective-dated policy parameters of the case's pooling
    region. A missing parameter fails safe: the decision then needs every level."""
    snapshot: dict[str, object] = {"on": on.isoformat(), "high_risk": is_high_risk}
    thresholds: dict[str, Decimal | None] = {}
    for key in (REVIEWER_THRESHOLD_KEY, SUPERVISOR_THRESHOLD_KEY):
        try:
            value = policy_value(key, on=on, region=region)
            thresholds[key] = value.as_decimal()
            snapshot[key] = {
                "value": value.value,
                "valid_from": value.valid_from.isoformat(),
                "region": value.region_code,
            }
        except PolicyParameterMissingError:
            thresholds[key] = None
            snapshot[key] = "missing: every level required"
    needs_reviewer = is_high_risk
    needs_supervisor = False
    if amount is not None:
        reviewer_t, supervisor_t = thresholds.values()
        needs_reviewer = needs_reviewer or reviewer_t is None or amount > reviewer_t
        needs_supervisor = supervisor_t is None or amount > supervisor_t
    # A supervisor approves after a reviewer, never instead of one.
    needs_reviewer = needs_reviewer or needs_supervisor
    return ApprovalLevels(needs_reviewer, needs_supervisor, snapshot)


def decision_propose(
    *,
    case_id: int,
    outcome: str,
    reasons: str,
    legal_basis: str,
    amount: Decimal | None = None,
    by: User,
) -> Decision:
    """The maker's decision. Effective at once when no approval is needed; otherwise it waits
    for the levels `approval_levels` names."""
    require_perm(by, "cases.handle_case")
    _validate(outcome, reasons, legal_basis, amount)
    with transaction.atomic():
        case = case_lock(case_id=case_id, by=by)
        require_assignee(case, by)
        require_status(case, CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW)
        if case.decisions.filter(status=DecisionStatus.PROPOSED).exists():
            raise CaseStateError(_("A decision on this case is already awaiting approval."))
        levels = approval_levels(
            is_high_risk=case.item.is_high_risk,
            amount=amount,
            region=case.pooling_region,
            on=timezone.localdate(),
        )
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            reasons=reasons.strip(),
            legal_basis=legal_basis.strip(),
            amount=amount,
            remedy_notice=remedy_notice_text(),
            maker=by,
            needs_reviewer=levels.needs_reviewer,
            needs_supervisor=levels.needs_supervisor,
            policy_snapshot=levels.snapshot,
        )
        before = case.status
        if before == CaseStatus.ACCEPTED:
            case.status = CaseStatus.IN_REVIEW
            case.save(update_fields=["status", "updated_at"])
        step_record(
            case=case,
            kind=CaseEventKind.DECISION_PROPOSED,
            actor=by,
            action="cases.decision.propose",
            from_status=before,
            to_status=case.status,
            note=decision.reasons,
            changes={
                "outcome": [None, outcome],
                "amount": [None, amount],
                "needs_reviewer": [None, levels.needs_reviewer],
                "needs_supervisor": [None, levels.needs_supervisor],
            },
            data={
                "decision": decision.pk,
                "outcome": outcome,
                "amount": str(amount) if amount is not None else None,
            },
        )
        if not decision.required_levels:
            _make_effective(case, decision, by)
    return decision


def _validate(outcome: str, reasons: str, legal_basis: str, amount: Decimal | None) -> None:
    fields: dict[str, list[str]] = {}
    if outcome not in DecisionOutcome.values:
        fields["outcome"] = [_("Choose granted or denied.")]
    if not reasons.strip():
        fields["reasons"] = [_("A decision states its reasons.")]
    if not legal_basis.strip():
        fields["legal_basis"] = [_("A decision names its legal basis.")]
    if amount is not None and (amount < 0 or amount != amount.quantize(Decimal("0.01"))):
        fields["amount"] = [_("An amount is yuan with at most two decimal places, not negative.")]
    if fields:
        raise DecisionInvalidError(_("The decision is incomplete."), fields=fields)


def decision_approve(
    *, decision_id: int, by: User, level: str | None = None, note: str = ""
) -> Decision:
    """Approve at the next level the decision needs. The case row is locked first (the one lock
    order for every case write), so of two approvers who click at once one decides and the other
    is told who already did: no double approval, no second effect."""
    with transaction.atomic():
        case_id = Decision.objects.filter(pk=decision_id).values_list("case_id", flat=True).get()
        case = case_lock(case_id=case_id, by=by)
        decision = Decision.objects.select_for_update().get(pk=decision_id)
        next_level = _check_approver(decision, by, level)
        Approval.objects.create(
            decision=decision,
            level=next_level,
            verdict=ApprovalVerdict.APPROVE,
            approver=by,
            note=note,
        )
        step_record(
            case=case,
            kind=CaseEventKind.DECISION_APPROVED,
            actor=by,
            action="cases.decision.approve",
            note=note,
            changes={"approval": [None, next_level]},
            data={"decision": decision.pk, "level": next_level},
        )
        approved = set(
            decision.approvals.filter(verdict=ApprovalVerdict.APPROVE).values_list(
                "level", flat=True
            )
        )
        if approved >= set(decision.required_levels):
            _make_effective(case, decision, by)
    return decision


def decision_return(*, decision_id: int, by: User, note: str) -> Decision:
    """The approver sends the proposal back to the maker with the reason; the maker may then
    propose again."""
    if not note.strip():
        raise DecisionInvalidError(
            _("Say why the decision goes back."), fields={"note": [_("This field is required.")]}
        )
    with transaction.atomic():
        case_id = Decision.objects.filter(pk=decision_id).values_list("case_id", flat=True).get()
        case = case_lock(case_id=case_id, by=by)
        decision = Decision.objects.select_for_update().get(pk=decision_id)
        level = _check_approver(decision, by, None)
        Approval.objects.create(
            decision=decision, level=level, verdict=ApprovalVerdict.RETURN, approver=by, note=note
        )
        decision.status = DecisionStatus.RETURNED
        decision.save(update_fields=["status"])
        step_record(
            case=case,
            kind=CaseEventKind.DECISION_RETURNED,
            actor=by,
            action="cases.decision.return",
            note=note,
            changes={"decision_status": [DecisionStatus.PROPOSED, DecisionStatus.RETURNED]},
            data={"decision": decision.pk, "level": level},
        )
        Notification.objects.get_or_create(
            recipient_id=decision.maker_id,
            case=case,
            kind=NotificationKind.DECISION_RETURNED,
            due_date=case.deadline,
        )
    return decision


def _check_approver(decision: Decision, by: User, level: str | None) -> str:
    """The rules of Art. 37 as the DESIGN states them; returns the level `by` acts at."""
    if decision.status != DecisionStatus.PROPOSED:
        last = decision.approvals.select_related("approver").order_by("-at").first()
        who = f"{last.approver} ({timezone.localtime(last.at):%Y-%m-%d %H:%M})" if last else "?"
        raise DecisionNotPendingError(
            _("This decision is no longer awaiting approval: %(who)s already acted on it.")
            % {"who": who},
            status=decision.status,
        )
    if decision.maker_id == by.pk:
        raise SelfApprovalError(_("You made this decision; another person must approve it."))
    # approvals.all(): a page that prefetched them asks no more (approval_level_for).
    done = {a.level: a for a in decision.approvals.all()}
    if any(a.approver_id == by.pk for a in done.values()):
        raise RepeatApproverError(
            _("You already approved this decision; the next level needs another person.")
        )
    pending = [lvl for lvl in decision.required_levels if lvl not in done]
    if not pending:  # unreachable while PROPOSED; kept as the invariant's guard
        raise DecisionNotPendingError(_("Every level has already approved this decision."))
    next_level = pending[0]
    if level is not None and level != next_level:
        taken = done.get(level)
        raise DecisionNotPendingError(
            _("The %(level)s approval was already given by %(who)s.")
            % {"level": ApprovalLevel(level).label, "who": taken.approver if taken else "?"}
        )
    if not by.has_perm(LEVEL_PERMISSION[ApprovalLevel(next_level)]):
        raise ApprovalLevelNotAllowedError(
            _("This decision needs a %(level)s's approval next.")
            % {"level": ApprovalLevel(next_level).label}
        )
    return next_level


def approval_level_for(decision: Decision, user: User) -> str | None:
    """The level `user` may approve `decision` at now, or None: the rules of decision_approve,
    asked without acting (the case page offers the approval only to whom it would accept)."""
    try:
        return _check_approver(decision, user, None)
    except DomainError:
        return None


def _make_effective(case: Case, decision: Decision, by: User) -> None:
    """The decision takes effect: the case is decided, the clock stops, the owner is told."""
    now = timezone.now()
    decision.status = DecisionStatus.EFFECTIVE
    decision.effective_at = now
    decision.save(update_fields=["status", "effective_at"])
    case.completed_on = timezone.localdate()
    status_change(
        case,
        to=CaseStatus.DECIDED,
        kind=CaseEventKind.DECIDED,
        action="cases.case.decide",
        by=by,
        note=decision.reasons,
        extra_fields=["completed_on"],
        changes={"outcome": [None, decision.outcome], "amount": [None, decision.amount]},
        data={
            "decision": decision.pk,
            "outcome": decision.outcome,
            "on_time": case.completed_on <= case.deadline,
        },
    )
    handler = handlers.handler_for(case.item.code)
    if handler is not None and handler.on_decided is not None:
        handler.on_decided(case, decision)
