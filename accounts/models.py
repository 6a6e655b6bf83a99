"""Users, roles and API clients.

Roles are groups with explicit permissions (accounts/roles.py). The three administrator roles
(system, security, audit) are kept apart by a database trigger as well as the forms (三员分立).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

from accounts.roles import ADMIN_ROLES, Role


class User(AbstractUser):  # type: ignore[django-manager-missing]
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    agency = models.ForeignKey(
        "core.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("agency"),
    )
    # An employer user acts for exactly this employer and sees nothing else.
    employer = models.ForeignKey(
        "registration.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("employer"),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("assign_roles", "Can assign roles to accounts (security administrator)"),
            ("unlock_accounts", "Can lift login lockouts (security administrator)"),
            ("manage_configuration", "Can change configuration (system administrator)"),
            ("scope_read", "API scope read"),
            ("scope_registration_write", "API scope registration:write"),
            ("scope_contributions_write", "API scope contributions:write"),
            ("scope_feeds_write", "API scope feeds:write"),
            ("scope_transfers", "API scope transfers"),
            ("scope_employer", "API scope employer"),
        ]
        constraints = [
            # An employer user is bound to one employer; staff are bound to none.
            models.CheckConstraint(
                condition=Q(employer__isnull=True) | Q(is_staff=False),
                name="user_employer_not_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_is_expired(self) -> bool:
        """MLPS level 3: a staff password older than PASSWORD_MAX_AGE_DAYS must be changed."""
        if not settings.PASSWORD_MAX_AGE_DAYS:
            return False
        max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return (
            self.password_changed_at is None or self.password_changed_at < timezone.now() - max_age
        )

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def role_names(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = (
                frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            )
            self._role_names = cached
        return cached

    @property
    def is_api_client(self) -> bool:
        return self.has_role(Role.API_CLIENT)

    @property
    def is_employer_user(self) -> bool:
        return self.employer_id is not None and self.has_role(Role.EMPLOYER)

    @property
    def admin_roles(self) -> frozenset[str]:
        return self.role_names & {role.value for role in ADMIN_ROLES}


class ApiClient(AbstractApplication):  # type: ignore[misc]
    """An OAuth2 client of another government system, limited to the scopes it was granted."""

    allowed_scopes = models.CharField(
        _("allowed scopes"),
        max_length=300,
        help_text=_("Space-separated, e.g. 'registration:write read'."),
    )
    agency = models.ForeignKey(
        "core.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("agency"),
        help_text=_("Requests default to this agency's region."),
    )
    # An employer's payroll software: its service account is an employer user of this employer
    # (role employer), so every visible_to(user) limits it to the employer's own records.
    employer = models.ForeignKey(
        "registration.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("employer"),
        help_text=_("Payroll software of this employer: it acts on its own employees only."),
    )

    class Meta(AbstractApplication.Meta):  # type: ignore[misc]
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            # The employer scope is an employer-bound client's, and its only one.
            models.CheckConstraint(
                condition=(
                    Q(employer__isnull=True) & ~Q(allowed_scopes__regex=r"(^|\s)employer(\s|$)")
                )
                | Q(employer__isnull=False, agency__isnull=True, allowed_scopes="employer"),
                name="api_client_employer_scope_only_bound",
            ),
        ]

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.allowed_scopes.split())


class UserSession(models.Model):
    """The sessions a user holds, so disabling an account can end them at once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} session"
