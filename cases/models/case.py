"""Cases: one application from receipt to decision, on a statutory clock (Arts. 6-24, 29-31, 38)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models.catalogue import Channel, ItemMaterial, ServiceItem
from core.fields import BlindIndexField, EncryptedField
from core.masking import mask_id_number
from core.models import TimeStampedModel

if TYPE_CHECKING:
    from accounts.models import User


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The clock runs for these; the others are finished.
OPEN_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.AWAITING_SUPPLEMENT,
)
FINISHED_STATUSES = (
    CaseStatus.DECIDED,
    CaseStatus.CLOSED,
    CaseStatus.REJECTED,
    CaseStatus.WITHDRAWN,
)


class PriorityReason(models.TextChoices):
    """Why a case heads every worklist, before the deadline order."""

    MILITARY = (
        "military",
        _("Transfer between military insurance and social insurance: served first (Art. 17 ¶2)"),
    )


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    EMPLOYER = "employer", _("Employer")


class SlaStatus(models.TextChoices):
    """Computed at query time (CaseQuerySet.with_sla), never stored."""

    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Clock paused")
    MET = "met", _("Finished on time")
    LATE = "late", _("Finished late")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """The one scoping rule: an employer user sees its employer's cases; staff see their
        agency's pooling region (all, for provincial staff without an agency); an API client sees
        its agency's pooling region, or all when it belongs to no agency."""
        if not user.is_authenticated:
            return self.none()
        if user.employer_id is not None:
            return self.filter(employer_id=user.employer_id)
        if user.is_api_client:
            from accounts.models import ApiClient

            agency_region = (
                ApiClient.objects.filter(user=user, agency__isnull=False)
                .values_list("agency__region__pooling_region_id", "agency__region_id")
                .first()
            )
            if agency_region is None:
                return self
            return self.filter(pooling_region_id=agency_region[0] or agency_region[1])
        if not user.has_perm("cases.view_case"):
            return self._own_as_person(user)
        region_id = staff_pooling_region_id(user)
        return self if region_id is None else self.filter(pooling_region_id=region_id)

    def _own_as_person(self, user: User) -> CaseQuerySet:
        """A person with a login for their own records sees the cases they applied in."""
        from registration.models import InsuredPerson

        own = InsuredPerson.objects.filter(user=user).values_list("pk", "id_number_hash").first()
        if own is None:
            return self.none()
        return self.filter(Q(person_id=own[0]) | Q(applicant_id_hash=own[1]))

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def with_sla(self, *, today: date, horizon: date) -> CaseQuerySet:
        """SLA status at query time (never stored): `horizon` is today + 2 working days."""
        finished = Q(status__in=FINISHED_STATUSES)
        return self.annotate(
            sla=models.Case(
                models.When(
                    finished & Q(completed_on__lte=models.F("deadline")),
                    then=models.Value(SlaStatus.MET),
                ),
                models.When(finished, then=models.Value(SlaStatus.LATE)),
                models.When(clock_stopped_on__isnull=False, then=models.Value(SlaStatus.PAUSED)),
                models.When(deadline__lt=today, then=models.Value(SlaStatus.OVERDUE)),
                models.When(deadline__lte=horizon, then=models.Value(SlaStatus.DUE_SOON)),
                default=models.Value(SlaStatus.ON_TIME),
                output_field=models.CharField(),
            )
        )

    def sla_in(self, statuses: list[str], *, today: date, horizon: date) -> CaseQuerySet:
        """Filter by SLA status with plain conditions (an index can serve them)."""
        conditions = {
            SlaStatus.OVERDUE: Q(deadline__lt=today),
            SlaStatus.DUE_SOON: Q(deadline__gte=today, deadline__lte=horizon),
            SlaStatus.ON_TIME: Q(deadline__gt=horizon),
        }
        running = Q(status__in=OPEN_STATUSES, clock_stopped_on__isnull=True)
        finished = Q(status__in=FINISHED_STATUSES)
        wanted = Q(pk__in=[])
        for status in statuses:
            if status == SlaStatus.PAUSED:
                wanted |= Q(status__in=OPEN_STATUSES, clock_stopped_on__isnull=False)
            elif status == SlaStatus.MET:
                wanted |= finished & Q(completed_on__lte=models.F("deadline"))
            elif status == SlaStatus.LATE:
                wanted |= finished & Q(completed_on__gt=models.F("deadline"))
            elif status in conditions:
                wanted |= running & conditions[SlaStatus(status)]
        return self.filter(wanted)

    def search(self, text: str) -> CaseQuerySet:
        """By case number, ID number or credit code (exact), or the applicant's name (part)."""
        from core import crypto

        text = text.strip()
        if not text:
            return self
        found = Q(case_number=text.upper()) | Q(applicant_name__icontains=text)
        if len(text) == 18:
            found |= Q(applicant_id_hash=crypto.blind_index(text.upper(), purpose="id_number"))
            found |= Q(employer__credit_code=text.upper())
        return self.filter(found)


def staff_pooling_region_id(user: User) -> int | None:
    """The pooling region of a staff member's agency (None: provincial, sees all). Cached."""
    if user.agency_id is None:
        return None
    cached: int | None = getattr(user, "_cases_pooling_region_id", None)
    if cached is None:
        from core.models import Agency

        row = (
            Agency.objects.filter(pk=user.agency_id)
            .values_list("region__pooling_region_id", "region_id")
            .get()
        )
        cached = row[0] or row[1]
        user._cases_pooling_region_id = cached  # type: ignore[attr-defined]
    return cached


class ProxyAuthorisation(TimeStampedModel):
    """授权代办 (Art. 30): an agent acting for a principal, within a scope, for a period."""

    principal_id_number = EncryptedField(_("principal's ID number"), purpose="id_number")
    principal_id_hash = BlindIndexField(
        source="principal_id_number", purpose="id_number", db_index=True
    )
    principal_name = models.CharField(_("principal's name"), max_length=100)
    agent_name = models.CharField(_("agent's name"), max_length=100)
    agent_id_number = EncryptedField(_("agent's ID number"), purpose="id_number")
    agent_id_hash = BlindIndexField(source="agent_id_number", purpose="id_number", db_index=True)
    agent_phone = models.CharField(_("agent's phone"), max_length=40, blank=True)
    relationship = models.CharField(_("relationship to the principal"), max_length=60)
    # Empty: every item; otherwise the item codes the agent may handle.
    scope_item_codes = models.JSONField(_("items covered"), default=list, blank=True)
    scope_note = models.CharField(_("scope as written"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence = models.CharField(
        _("evidence"),
        max_length=300,
        help_text=_("The written authorisation and how it was verified (e.g. notarised)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("proxy authorisation")
        verbose_name_plural = _("proxy authorisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="proxy_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_name} → {self.principal_name}"

    @property
    def agent_id_masked(self) -> str:
        return mask_id_number(self.agent_id_number)

    def covers(self, item_code: str, on: date) -> bool:
        in_scope = not self.scope_item_codes or item_code in self.scope_item_codes
        return in_scope and self.valid_from <= on <= self.valid_until


class Case(TimeStampedModel):
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    item = models.ForeignKey(
        ServiceItem, models.PROTECT, related_name="cases", verbose_name=_("service item")
    )
    # The submitting system's or duty app's own reference; filing twice with it files once.
    reference = models.CharField(_("reference"), max_length=100, blank=True, default="")

    applicant_kind = models.CharField(_("applicant kind"), max_length=10, choices=ApplicantKind)
    # A person applicant: the insured person when registered (an application to register has no
    # person yet), and always the ID number (encrypted, found by its keyed hash) and the name,
    # which are what the worklists search.
    person = models.ForeignKey(
        "registration.InsuredPerson",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("insured person"),
    )
    applicant_id_number = EncryptedField(
        _("applicant's ID number"), blank=True, purpose="id_number"
    )
    applicant_id_hash = BlindIndexField(
        source="applicant_id_number", purpose="id_number", null=True, blank=True, db_index=True
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    # The employer applicant, or the employer through which a person's application came.
    employer = models.ForeignKey(
        "registration.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("employer"),
    )
    proxy = models.ForeignKey(
        ProxyAuthorisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("proxy"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    # 同城通办: any branch of the pooling region may receive; the case belongs to the region.
    received_by = models.ForeignKey(
        "core.Agency", models.PROTECT, related_name="cases", verbose_name=_("received by")
    )
    pooling_region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="cases", verbose_name=_("pooling region")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("related case"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    received_on = models.DateField(_("receipt date"))

    # The clock (working-days.md): snapshot of the item's limit and pause policy at receipt.
    time_limit_working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    clock_pauses_for_supplement = models.BooleanField(_("clock pauses for a supplement"))
    deadline = models.DateField(_("deadline"))
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    clock_stopped_on = models.DateField(_("clock stopped on"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Art. 17 ¶2: a priority case heads every worklist, before the deadline order; the reason
    # says why (PriorityReason, with its article).
    is_priority = models.BooleanField(_("served first"), default=False)
    priority_reason = models.CharField(
        _("reason for priority"), max_length=20, choices=PriorityReason, blank=True
    )

    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus, default=CaseStatus.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("application data"), default=dict, blank=True)

    objects = CaseQuerySet.as_manager()  # CaseQuerySet.visible_to(user): the one scoping rule

    class Meta:
        ordering = ["-is_priority", "deadline", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("handle_case", "Can handle cases: claim, accept, request supplements, propose"),
            ("review_case", "Can approve decisions as the reviewer (Art. 37)"),
            ("supervise_case", "Can approve as supervisor, assign cases and receive escalations"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="case_channel"),
            models.CheckConstraint(
                condition=(Q(applicant_kind=ApplicantKind.PERSON) & ~Q(applicant_id_number=""))
                | (Q(applicant_kind=ApplicantKind.EMPLOYER) & Q(employer__isnull=False)),
                name="case_applicant_identified",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")),
                name="case_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OPEN_STATUSES])
                | Q(completed_on__isnull=False),
                name="case_finished_has_completion_date",
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="case_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_priority=False, priority_reason="")
                | Q(is_priority=True, priority_reason__in=PriorityReason.values),
                name="case_priority_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["pooling_region", "status", "deadline"]),
            models.Index(fields=["assignee", "status", "deadline"]),
            models.Index(fields=["employer", "status"]),
            # The worklist search by the applicant's name (icontains: UPPER(name) LIKE
            # UPPER('%…%')): a trigram index on that expression (three characters or more).
            GinIndex(
                OpClass(Upper("applicant_name"), name="gin_trgm_ops"),
                name="case_applicant_name_trgm",
                fastupdate=False,  # no pending list for every search to scan
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_clock_stopped(self) -> bool:
        return self.clock_stopped_on is not None

    @property
    def applicant_id_masked(self) -> str:
        return mask_id_number(self.applicant_id_number)

    def is_employer_user(self, user: User) -> bool:
        """`user` acts for the case's employer (the applicant, or the employer a person's
        application came through): it may hand in the supplement and withdraw."""
        return user.employer_id is not None and user.employer_id == self.employer_id


class CasePause(models.Model):
    """An interval the agency waited for the applicant. It moves the deadline only when the
    case's pause policy (snapshot of the item's) says the clock stops."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    stops_clock = models.BooleanField(_("stops the clock"))
    working_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)

    class Meta:
        ordering = ["case", "started_on", "pk"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_on__isnull=True),
                name="case_one_open_pause",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="case_pause_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.started_on} – {self.ended_on or '…'}"


class CaseEventKind(models.TextChoices):
    FILED = "filed", pgettext_lazy("case step", "Application received")
    CLAIMED = "claimed", _("Claimed")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    REVIEW_STARTED = "review_started", _("Review started")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplement received")
    MATERIAL_ADDED = "material_added", _("Material added")
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    DECISION_APPROVED = "decision_approved", _("Decision approved")
    DECISION_RETURNED = "decision_returned", _("Decision returned")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DUE_SOON = "due_soon", _("Deadline reminder sent")
    ESCALATED = "escalated", _("Escalated as overdue")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline recomputed")
    HOME_VISIT_ARRANGED = "home_visit_arranged", _("Home visit arranged")
    HOME_VISIT_DONE = "home_visit_done", _("Home visit done")


class CaseEvent(models.Model):
    """The case's timeline: each step, beside its audit event (Art. 38)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("step"), max_length=32, choices=CaseEventKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CaseEventKind.values), name="case_event_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def to_status_label(self) -> str:
        return str(CaseStatus(self.to_status).label) if self.to_status else ""


class SupplementRequest(models.Model):
    """一次性告知: one request per case, listing everything missing (Art. 31: catalogued only)."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="supplement_request")
    materials = models.ManyToManyField(ItemMaterial, related_name="+")
    note = models.TextField(_("explanation"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")

    def __str__(self) -> str:
        return f"{self.case_id} supplement"


def material_upload_to(instance: CaseMaterial, filename: str) -> str:
    """Stored under MEDIA_ROOT (var/private, never served); the name is ours, not the user's."""
    import uuid

    today = timezone.localdate()
    return f"cases/{today:%Y/%m}/{uuid.uuid4().hex}"


class CaseMaterial(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="materials")
    item_material = models.ForeignKey(
        ItemMaterial, models.PROTECT, related_name="+", verbose_name=_("material")
    )
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    is_supplement = models.BooleanField(_("supplement"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["case", "uploaded_at", "pk"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")

    def __str__(self) -> str:
        return self.original_name


class HomeVisit(models.Model):
    """上门服务 (Art. 30): the visit's own case carries the deadline and the assigned clerk."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="home_visit")
    address = EncryptedField(_("address"), purpose="address", masker=lambda v: v or "")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"home visit {self.case_id}"


class AssistanceProfile(TimeStampedModel):
    """A person marked elderly or disabled and needing assistance (Art. 30), found by ID hash."""

    id_number = EncryptedField(_("ID number"), purpose="id_number")
    id_hash = BlindIndexField(source="id_number", purpose="id_number", unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_elderly = models.BooleanField(_("elderly"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    needs_assistance = models.BooleanField(_("needs assistance"), default=True)
    note = models.CharField(_("how to help"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assistance need")
        verbose_name_plural = _("assistance needs")

    def __str__(self) -> str:
        return self.name
