"""The service catalogue (服务事项): what the agency does, within which time limit, on what basis.

Art. 31: the agency may ask for nothing beyond an identity document without a basis in law,
administrative regulation or a State Council decision, so every other material an item lists
carries its legal basis, and the database refuses a row without one.
Arts. 8-9: materials the agency reads from shared data are marked, and never asked for.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Channel(models.TextChoices):
    """Art. 29: websites and mobile terminals, self-service terminals, counters; Art. 30: home."""

    ONLINE = "online", _("Online portal")
    API = "api", _("Government system (API)")
    COUNTER = "counter", _("Service counter")
    SELF_SERVICE = "self_service", _("Self-service terminal")
    HOME_VISIT = "home_visit", _("Home visit")


class OwnerApp(models.TextChoices):
    """The duty app that files the item's cases and is called back when they are decided."""

    REGISTRATION = "registration", _("Registration")
    BENEFITS = "benefits", _("Benefits")
    TRANSFERS = "transfers", _("Relationship transfers")
    ELIGIBILITY = "eligibility", _("Eligibility")
    CASES = "cases", _("Case handling")


class ClockStart(models.TextChoices):
    RECEIPT = "receipt", _("the day the application is received")
    PREVIOUS_STEP = "previous_step", _("the day the previous step's documents are received")
    REQUEST = "request", _("the day the request for a home visit is received")


class ServiceItemQuerySet(models.QuerySet["ServiceItem"]):
    def active(self) -> ServiceItemQuerySet:
        return self.filter(is_active=True)


class ServiceItem(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160)
    owner_app = models.CharField(_("owning app"), max_length=20, choices=OwnerApp)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The article(s) that create the duty, e.g. 社会保险经办条例 第十八条."),
    )
    # The time limit, in working days (working-days.md). A statutory one cites its article; an
    # item the regulation leaves at "promptly" (Art. 19) gets an internal target, marked as such.
    time_limit_working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    time_limit_is_statutory = models.BooleanField(_("statutory time limit"), default=True)
    time_limit_source = models.CharField(_("source of the time limit"), max_length=300)
    clock_starts = models.CharField(
        _("clock starts on"), max_length=20, choices=ClockStart, default=ClockStart.RECEIPT
    )
    # Per-item policy: does the clock stop while the agency waits for supplementary materials?
    clock_pauses_for_supplement = models.BooleanField(
        _("clock pauses while awaiting a supplement"), default=True
    )
    # A list of Channel values (JSON: django.contrib.postgres is not installed).
    channels = models.JSONField(_("channels"), default=list)
    # Art. 37: key and high-risk business gets tiered review whatever the amount.
    is_high_risk = models.BooleanField(_("high-risk (tiered review)"), default=False)
    # Steps of one procedure (a pension transfer is three steps of 15 WD each).
    procedure = models.SlugField(_("procedure"), max_length=60, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    conditions = models.TextField(_("who may apply (Chinese)"), blank=True)
    conditions_en = models.TextField(_("who may apply (English)"), blank=True)
    valid_from = models.DateField(_("in force from"))
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service catalogue")
        constraints = [
            models.CheckConstraint(
                condition=~Q(legal_basis=""), name="service_item_has_legal_basis"
            ),
            models.CheckConstraint(
                condition=~Q(time_limit_source=""), name="service_item_time_limit_has_source"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_working_days__gt=0), name="service_item_time_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(owner_app__in=OwnerApp.values), name="service_item_owner_app"
            ),
            models.CheckConstraint(
                condition=Q(clock_starts__in=ClockStart.values), name="service_item_clock_starts"
            ),
            models.CheckConstraint(condition=~Q(channels=[]), name="service_item_has_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name

    @property
    def display_conditions(self) -> str:
        return self.conditions_en if translation.get_language() == "en" else self.conditions

    def channel_labels(self) -> list[str]:
        return [str(Channel(channel).label) for channel in self.channels]


class MaterialKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    SUPPORTING = "supporting", _("Supporting material")


class ItemMaterial(models.Model):
    """A material an item may require: its legal basis, and whether the agency fetches it itself."""

    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="materials")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MaterialKind, default=MaterialKind.SUPPORTING
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_required = models.BooleanField(_("always required"), default=True)
    condition = models.CharField(_("required when (Chinese)"), max_length=200, blank=True)
    condition_en = models.CharField(_("required when (English)"), max_length=200, blank=True)
    # Arts. 8-9: data runs, people don't. A fetched material is read from shared data.
    fetched_by_agency = models.BooleanField(_("fetched by the agency"), default=False)
    fetched_from = models.CharField(_("fetched from"), max_length=200, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["item", "ordering", "pk"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="item_material_unique_code"),
            # Art. 31: nothing beyond an identity document without a basis in law.
            models.CheckConstraint(
                condition=Q(kind=MaterialKind.IDENTITY) | ~Q(legal_basis=""),
                name="item_material_has_legal_basis",
            ),
            models.CheckConstraint(
                condition=Q(fetched_by_agency=False) | ~Q(fetched_from=""),
                name="item_material_fetched_names_source",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MaterialKind.values), name="item_material_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}/{self.code}"

    @property
    def display_name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name

    @property
    def display_condition(self) -> str:
        return self.condition_en if translation.get_language() == "en" else self.condition
