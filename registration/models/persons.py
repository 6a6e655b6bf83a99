"""Insured persons (Art. 6), their employments, and enrolments per insurance type (Art. 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField
from core.masking import mask_id_number
from core.models import TimeStampedModel

if TYPE_CHECKING:
    from accounts.models import User


class InsuranceType(models.TextChoices):
    """Art. 2: the five insurances, employee and resident schemes apart; extendable."""

    PENSION_EMPLOYEE = "pension_employee", _("Employee basic pension 职工基本养老保险")
    PENSION_RESIDENT = "pension_resident", _("Resident basic pension 城乡居民基本养老保险")
    MEDICAL_EMPLOYEE = "medical_employee", _("Employee basic medical 职工基本医疗保险")
    MEDICAL_RESIDENT = "medical_resident", _("Resident basic medical 城乡居民基本医疗保险")
    WORK_INJURY = "work_injury", _("Work injury 工伤保险")
    UNEMPLOYMENT = "unemployment", _("Unemployment 失业保险")
    MATERNITY = "maternity", _("Maternity 生育保险")


# What an employer enrols an employee in at hiring (SIL Arts. 10, 23, 33, 44, 53).
EMPLOYEE_INSURANCE_TYPES = (
    InsuranceType.PENSION_EMPLOYEE,
    InsuranceType.MEDICAL_EMPLOYEE,
    InsuranceType.WORK_INJURY,
    InsuranceType.UNEMPLOYMENT,
    InsuranceType.MATERNITY,
)


class Sex(models.TextChoices):
    MALE = "male", _("Male 男")
    FEMALE = "female", _("Female 女")


class HukouType(models.TextChoices):
    URBAN = "urban", _("Urban 城镇")
    RURAL = "rural", _("Rural 农村")
    UNKNOWN = "", _("Not stated 未填")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Registered 正常")
    DECEASED = "deceased", _("Deceased 死亡")
    CANCELLED = "cancelled", _("Registration cancelled 已注销")


class RegistrationChannel(models.TextChoices):
    """Art. 29: the channel every registration came through."""

    SHARED_DATA = "shared_data", _("Shared by another authority 部门共享")
    EMPLOYER = "employer", _("Through the employer at hiring 单位增员")
    INDIVIDUAL = "individual", _("Individual application 个人申请")
    COUNTER = "counter", _("At the counter 窗口")


class InsuredPersonQuerySet(models.QuerySet["InsuredPerson"]):
    def visible_to(self, user: User) -> InsuredPersonQuerySet:
        """The one scoping rule for people (Art. 49): an employer user sees only people it has
        employed; staff see people registered or enrolled in their agency's pooling region (all,
        for provincial staff without an agency); API clients are provincial systems; a person
        with a login sees only themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.employer_id is not None:
            employed = Employment.objects.filter(
                person=OuterRef("pk"), employer_id=user.employer_id
            )
            return self.filter(Exists(employed))
        if user.is_api_client:
            return self
        if not user.has_perm("registration.view_insuredperson"):
            return self.filter(user=user)
        if user.agency is not None:
            pooling = user.agency.region.pooling_region_id
            enrolled = Enrolment.objects.filter(
                person=OuterRef("pk"), region__pooling_region_id=pooling
            )
            return self.filter(Q(region__pooling_region_id=pooling) | Exists(enrolled))
        return self


class InsuredPerson(TimeStampedModel):
    """A person registered for social insurance. The citizen ID number is the social security
    number (Art. 6): encrypted at rest, unique through its keyed hash."""

    id_number = EncryptedField(_("citizen ID number"), purpose="id_number")
    id_number_hash = BlindIndexField(source="id_number", purpose="id_number", unique=True)
    name = models.CharField(_("name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))  # derived from the ID number
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)  # derived from the ID number
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    hukou_type = models.CharField(
        _("hukou type"), max_length=8, choices=HukouType, blank=True, default=""
    )
    hukou_address = models.CharField(_("hukou address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("contact address"), max_length=300, blank=True)
    # Special-assistance flags (特殊群体): resident-scheme contribution subsidies depend on them.
    is_minimum_living_allowance = models.BooleanField(
        _("minimum living allowance 低保"), default=False
    )
    is_extremely_poor = models.BooleanField(_("extreme poverty support 特困供养"), default=False)
    is_severely_disabled = models.BooleanField(_("severe disability 重度残疾"), default=False)
    region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="insured_persons", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus, default=PersonStatus.ACTIVE
    )
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    channel = models.CharField(_("registered through"), max_length=16, choices=RegistrationChannel)
    # A login for the person's own records (Art. 32); none for most people.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="insured_person",
    )

    objects = InsuredPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")
        permissions = [
            ("view_unmasked_identifiers", "Can see full ID and bank-account numbers"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex"),
            models.CheckConstraint(
                condition=Q(status__in=PersonStatus.values), name="person_status"
            ),
            models.CheckConstraint(
                condition=Q(hukou_type__in=HukouType.values), name="person_hukou_type"
            ),
        ]
        indexes = [
            models.Index(fields=["name"]),
            # The name search (name__icontains is UPPER(name) LIKE UPPER('%…%')): a trigram
            # index on that expression serves any part of a name of three characters or more.
            # fastupdate off: rows registered in bulk go into the index at once, not into a
            # pending list that every search would scan whole until a vacuum.
            GinIndex(
                OpClass(Upper("name"), name="gin_trgm_ops"),
                name="person_name_trgm",
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class EmploymentEndReason(models.TextChoices):
    """Why an employment ended. The unemployment-benefit claim asks whether the end was against
    the person's will (失业保险条例 Art. 14; 失业保险金申领发放办法 Art. 4): see INVOLUNTARY."""

    CONTRACT_EXPIRED = "contract_expired", _("Contract expired 劳动合同期满终止")
    DISMISSED = "dismissed", _("Dismissed by the employer 用人单位解除")
    EMPLOYER_CLOSED = "employer_closed", _("Employer closed, bankrupt or dissolved 单位关闭破产")
    MUTUAL_EMPLOYER = "mutual_employer", _("Mutual agreement at the employer's proposal 协商解除")
    FORCED_RESIGNATION = (
        "forced_resignation",
        _("Resigned because of the employer's fault 被迫解除（劳动合同法第38条）"),
    )
    RESIGNED = "resigned", _("Resigned 本人辞职")
    RETIRED = "retired", _("Retired 退休")
    DECEASED = "deceased", _("Died 死亡")
    TRANSFERRED = "transferred", _("Transferred to another employer 调出")
    OTHER = "other", _("Other 其他")


# Ends that were not the person's own wish: these keep an unemployment claim open.
INVOLUNTARY_END_REASONS = frozenset(
    {
        EmploymentEndReason.CONTRACT_EXPIRED,
        EmploymentEndReason.DISMISSED,
        EmploymentEndReason.EMPLOYER_CLOSED,
        EmploymentEndReason.MUTUAL_EMPLOYER,
        EmploymentEndReason.FORCED_RESIGNATION,
    }
)


class Employment(TimeStampedModel):
    """A person working for an employer (增员 starts it, 减员 ends it)."""

    person = models.ForeignKey(InsuredPerson, models.PROTECT, related_name="employments")
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, related_name="employments"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=24, choices=EmploymentEndReason, blank=True
    )
    contribution_base = models.DecimalField(_("contribution base"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "employer"],
                condition=Q(end_date__isnull=True),
                name="employment_one_open_per_employer",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | Q(end_date__isnull=False, end_reason__in=EmploymentEndReason.values),
                name="employment_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(contribution_base__gt=0), name="employment_base_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.employer_id} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def ended_involuntarily(self) -> bool:
        return self.end_reason in INVOLUNTARY_END_REASONS


class EmploymentBaseChange(models.Model):
    """A change of the contribution base from a month on; history kept, never overwritten."""

    employment = models.ForeignKey(Employment, models.PROTECT, related_name="base_changes")
    effective_month = models.DateField(_("from month"))  # the first day of the month
    previous_base = models.DecimalField(max_digits=12, decimal_places=2)
    contribution_base = models.DecimalField(_("new base"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-effective_month", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution_base__gt=0), name="base_change_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employment_id} {self.effective_month}: {self.contribution_base}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active 参保缴费")
    SUSPENDED = "suspended", _("Suspended 暂停缴费")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out 转出")
    ENDED = "ended", _("Ended 终止")


class Enrolment(TimeStampedModel):
    """参保关系: a person in one insurance type, in one region, through one employer (or none,
    for the resident schemes and flexible workers)."""

    person = models.ForeignKey(InsuredPerson, models.PROTECT, related_name="enrolments")
    insurance_type = models.CharField(_("insurance type"), max_length=20, choices=InsuranceType)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        "registration.Employer", models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    employment = models.ForeignKey(
        Employment, models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus, default=EnrolmentStatus.ACTIVE
    )

    class Meta:
        ordering = ["insurance_type", "-start_date"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # One active enrolment per person and type, whatever the race (Art. 11).
            models.UniqueConstraint(
                fields=["person", "insurance_type"],
                condition=Q(status="active"),
                name="enrolment_one_active_per_type",
            ),
            models.CheckConstraint(
                condition=Q(insurance_type__in=InsuranceType.values), name="enrolment_type"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="enrolment_status"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.insurance_type} ({self.status})"
