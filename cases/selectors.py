"""Case engine reads: every list starts from Case.objects.visible_to(user); SLA status is
annotated at query time; a worklist page costs the same number of queries whatever the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cases.clock import SlaDates
from cases.models import (
    OPEN_STATUSES,
    Approval,
    ApprovalLevel,
    ApprovalVerdict,
    AssistanceProfile,
    Case,
    CaseQuerySet,
    CaseStatus,
    Decision,
    DecisionStatus,
    ItemMaterial,
    Notification,
    ServiceItem,
    SlaStatus,
    SupplementRequest,
)

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 50


class Worklist:
    MINE = "mine"
    QUEUE = "queue"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUPPLEMENT = "supplement"
    REVIEW = "review"
    ALL = (MINE, QUEUE, DUE_SOON, OVERDUE, SUPPLEMENT, REVIEW)


def _reviewable_decisions(user: User) -> QuerySet[Decision]:
    """Proposed decisions whose next level `user` may give, that `user` neither made nor
    already approved (Art. 37)."""
    reviewer_done = Approval.objects.filter(
        decision=OuterRef("pk"), level=ApprovalLevel.REVIEWER, verdict=ApprovalVerdict.APPROVE
    )
    supervisor_done = Approval.objects.filter(
        decision=OuterRef("pk"), level=ApprovalLevel.SUPERVISOR
    )
    levels = Q(pk__in=[])
    if user.has_perm("cases.review_case"):
        levels |= Q(Q(needs_reviewer=True), ~Exists(reviewer_done))
    if user.has_perm("cases.supervise_case"):
        levels |= Q(Q(needs_supervisor=True), Exists(reviewer_done), ~Exists(supervisor_done))
    return (
        Decision.objects.filter(levels, status=DecisionStatus.PROPOSED)
        .exclude(maker=user)
        .exclude(approvals__approver=user)
    )


def worklist_queryset(user: User, worklist: str, dates: SlaDates) -> CaseQuerySet:
    visible = Case.objects.visible_to(user)
    if worklist == Worklist.MINE:
        return visible.open().filter(assignee=user)
    if worklist == Worklist.QUEUE:
        return visible.open().filter(assignee__isnull=True)
    if worklist == Worklist.DUE_SOON:
        return visible.sla_in([SlaStatus.DUE_SOON], today=dates.today, horizon=dates.horizon)
    if worklist == Worklist.OVERDUE:
        return visible.sla_in([SlaStatus.OVERDUE], today=dates.today, horizon=dates.horizon)
    if worklist == Worklist.SUPPLEMENT:
        return visible.filter(status=CaseStatus.AWAITING_SUPPLEMENT)
    if worklist == Worklist.REVIEW:
        pending = _reviewable_decisions(user).filter(case=OuterRef("pk"))
        return visible.filter(Exists(pending))
    raise ValueError(f"unknown worklist {worklist!r}")


def worklist_counts(user: User, dates: SlaDates) -> dict[str, int]:
    """How many cases each worklist holds, in one aggregate query (the review count in one
    more)."""
    running = Q(status__in=OPEN_STATUSES, clock_stopped_on__isnull=True)
    counts = Case.objects.visible_to(user).aggregate(
        mine=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee=user)),
        queue=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee__isnull=True)),
        due_soon=Count(
            "pk", filter=running & Q(deadline__gte=dates.today, deadline__lte=dates.horizon)
        ),
        overdue=Count("pk", filter=running & Q(deadline__lt=dates.today)),
        supplement=Count("pk", filter=Q(status=CaseStatus.AWAITING_SUPPLEMENT)),
    )
    counts["review"] = worklist_queryset(user, Worklist.REVIEW, dates).count()
    return {key: int(value or 0) for key, value in counts.items()}


@dataclass(frozen=True)
class WorklistFilters:
    item: ServiceItem | None = None
    status: str = ""
    sla: str = ""
    channel: str = ""
    branch_id: int | None = None
    assistance_only: bool = False
    q: str = ""


def with_list_columns(cases: CaseQuerySet, dates: SlaDates) -> CaseQuerySet:
    """What a worklist row shows, joined in the same query: item, branch, assignee, employer,
    SLA, whether the applicant needs assistance, and whether a decision awaits approval."""
    assistance = AssistanceProfile.objects.filter(
        id_hash=OuterRef("applicant_id_hash"), needs_assistance=True
    )
    pending = Decision.objects.filter(case=OuterRef("pk"), status=DecisionStatus.PROPOSED)
    return (
        cases.with_sla(today=dates.today, horizon=dates.horizon)
        .select_related("item", "received_by", "assignee", "employer")
        .annotate(needs_assistance=Exists(assistance), awaiting_approval=Exists(pending))
        .defer("payload")
    )


# Every worklist's order: priority cases first (Art. 17 ¶2: military transfers), then the
# deadline, then the id (a stable key for the cursor).
WORKLIST_ORDER = ("-is_priority", "deadline", "pk")
Cursor = tuple[bool, date, int]


def _after(cursor: Cursor) -> Q:
    """The rows that follow `cursor` in WORKLIST_ORDER."""
    is_priority, deadline, pk = cursor
    later_in_group = Q(deadline__gt=deadline) | Q(deadline=deadline, pk__gt=pk)
    same_group = Q(is_priority=is_priority) & later_in_group
    return same_group | Q(is_priority=False) if is_priority else same_group


def worklist_page(
    user: User,
    worklist: str,
    dates: SlaDates,
    filters: WorklistFilters,
    after: Cursor | None = None,
    page_size: int = PAGE_SIZE,
) -> tuple[list[Case], Cursor | None]:
    """One page of a worklist, priority cases first (Art. 17 ¶2), then most urgent, with a
    keyset cursor (priority, deadline, id) to the next page: no OFFSET, so page 40 costs what
    page 1 costs."""
    cases = worklist_queryset(user, worklist, dates)
    cases = filter_cases(cases, filters, dates)
    if after is not None:
        cases = cases.filter(_after(after))
    rows = list(with_list_columns(cases, dates).order_by(*WORKLIST_ORDER)[: page_size + 1])
    following = None
    if len(rows) > page_size:
        last = rows[page_size - 1]
        following = (last.is_priority, last.deadline, last.pk)
    return rows[:page_size], following


def filter_cases(cases: CaseQuerySet, filters: WorklistFilters, dates: SlaDates) -> CaseQuerySet:
    if filters.item is not None:
        cases = cases.filter(item=filters.item)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.branch_id:
        cases = cases.filter(received_by_id=filters.branch_id)
    if filters.sla:
        cases = cases.sla_in([filters.sla], today=dates.today, horizon=dates.horizon)
    if filters.assistance_only:
        cases = cases.filter(
            Exists(
                AssistanceProfile.objects.filter(
                    id_hash=OuterRef("applicant_id_hash"), needs_assistance=True
                )
            )
        )
    if filters.q:
        cases = cases.search(filters.q)
    return cases


def case_get_for_detail(user: User, case_number: str, dates: SlaDates) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    decisions = Decision.objects.select_related("maker").prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("approver"))
    )
    case: Case = (
        Case.objects.visible_to(user)
        .with_sla(today=dates.today, horizon=dates.horizon)
        .select_related(
            "item",
            "received_by",
            "assignee",
            "employer",
            "proxy",
            "parent",
            "parent__item",
            "pooling_region",
            "home_visit",
        )
        .prefetch_related(
            "events",
            "pauses",
            "item__materials",
            Prefetch("decisions", queryset=decisions),
            "materials__item_material",
            Prefetch("children", queryset=Case.objects.select_related("item", "assignee")),
        )
        .get(case_number=case_number)
    )
    return case


def supplement_request_of(case: Case) -> SupplementRequest | None:
    return (
        SupplementRequest.objects.filter(case=case)
        .select_related("requested_by")
        .prefetch_related("materials")
        .first()
    )


def materials_for_upload(
    case: Case, user: User, request: SupplementRequest | None = None
) -> QuerySet[ItemMaterial]:
    """What `user` may hand in on the case: the employer applicant, only what the supplement
    request asked for (一次性告知); staff, any material the item catalogues. `request`: the
    case's supplement request when the caller already read it."""
    if case.is_employer_user(user):
        request = request or supplement_request_of(case)
        if request is not None:
            return request.materials.all()
    return case.item.materials.all()


def notifications_unread(user: User, limit: int = 20) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("case", "case__item")
        .order_by("-created_at", "-pk")[:limit]
    )


def service_items_public() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.active().prefetch_related("materials").order_by("ordering", "code")


def employer_case_list(user: User, dates: SlaDates, limit: int = 200) -> list[Case]:
    """The employer portal: the employer's own cases with their deadlines, newest first."""
    return list(
        Case.objects.visible_to(user)
        .with_sla(today=dates.today, horizon=dates.horizon)
        .select_related("item")
        .defer("payload")
        .order_by("-received_on", "-pk")[:limit]
    )
