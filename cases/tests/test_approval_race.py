"""Two approvers click at the same moment (PostgreSQL row locks): one decision, one conflict."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from cases import services
from cases.errors import DecisionNotPendingError
from cases.models import Approval, CaseEvent, DecisionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approvals_end_in_one_decision(claimed_case, clerk, make_user):
    reviewers = [make_user(Role.REVIEWER, username=f"r{i}") for i in range(4)]
    case = claimed_case("pension_claim")
    decision = services.decision_propose(
        case_id=case.pk,
        outcome="granted",
        reasons="符合条件",
        legal_basis="第十八条",
        amount=Decimal("4000"),
        by=clerk,
    )
    barrier = threading.Barrier(len(reviewers))
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait()
            services.decision_approve(decision_id=decision.pk, by=user, level="reviewer")
            outcomes.append("approved")
        except DecisionNotPendingError as exc:
            outcomes.append(f"conflict: {exc.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("approved") == 1
    conflicts = [o for o in outcomes if o.startswith("conflict")]
    assert len(conflicts) == 3
    assert all("r" in c for c in conflicts)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.EFFECTIVE
    assert Approval.objects.filter(decision=decision).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="decided").count() == 1
