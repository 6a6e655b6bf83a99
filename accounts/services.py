"""Account actions: roles, deactivation, sessions, API clients. Each one audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import (
    AdminRolesConflictError,
    RoleAssignmentNotAllowedError,
    UsernameTakenError,
)
from accounts.models import ApiClient, User, UserSession
from accounts.roles import ADMIN_ROLES, Role
from accounts.scopes import EMPLOYER_SCOPE, SCOPES
from audit.services import audit_event_record
from core.errors import InvalidInputError


def user_login_record(*, user: User, session_key: str) -> None:
    with transaction.atomic():
        if session_key:
            UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
        audit_event_record(actor=user, action="accounts.user.login", target=user)


def user_logout_record(*, user: User, session_key: str) -> None:
    with transaction.atomic():
        UserSession.objects.filter(session_key=session_key).delete()
        audit_event_record(actor=user, action="accounts.user.logout", target=user)


def user_sessions_end(*, user: User) -> int:
    """End every session the user holds (used when an account is disabled)."""
    with transaction.atomic():
        keys = list(user.web_sessions.values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
    return len(keys)


def user_deactivate(*, user_id: int, by: User, reason: str) -> User:
    """Disable an account: it can no longer log in, and its open sessions end now."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit_event_record(
                actor=by,
                action="accounts.user.deactivate",
                target=user,
                changes={"is_active": [True, False]},
                note=reason,
            )
        user_sessions_end(user=user)
    return user


def check_admin_roles(roles: Iterable[str]) -> None:
    """三员分立: raise if the set holds two of the system, security and audit roles."""
    admin = sorted(set(roles) & {role.value for role in ADMIN_ROLES})
    if len(admin) > 1:
        raise AdminRolesConflictError(
            "系统管理员、安全管理员、审计管理员不能由同一账户兼任 / "
            "One account cannot hold more than one of the system, security and audit roles: "
            + ", ".join(admin),
            roles=admin,
        )


def user_roles_set(*, user_id: int, roles: Iterable[Role], by: User) -> User:
    """Give an account exactly these roles. Only a security administrator may (三员分立)."""
    if not by.has_perm("accounts.assign_roles"):
        raise RoleAssignmentNotAllowedError("Only the security administrator assigns roles.")
    wanted = sorted({Role(role).value for role in roles})
    check_admin_roles(wanted)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        before = sorted(user.groups.values_list("name", flat=True))
        try:
            with transaction.atomic():
                user.groups.set(Group.objects.filter(name__in=wanted))
        except IntegrityError as exc:  # the database trigger is the last line of defence
            raise AdminRolesConflictError(str(exc)) from exc
        audit_event_record(
            actor=by,
            action="accounts.user.roles_set",
            target=user,
            changes={"roles": [before, wanted]},
        )
    return user


def api_client_create(
    *,
    name: str,
    client_id: str,
    client_secret: str,
    scopes: Iterable[str],
    agency_id: int | None,
    by: User | None,
    employer_id: int | None = None,
) -> ApiClient:
    """Register another authority's system with its scopes and a service account to act as.
    With `employer_id`, an employer's payroll software: its service account is an employer user
    of that employer (role employer, not api_client), so every visible_to(user) limits it to
    the employer's own records, and it holds the "employer" scope only."""
    wanted = set(scopes)
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    if employer_id is not None and (wanted != {EMPLOYER_SCOPE} or agency_id is not None):
        raise ValueError("an employer's client holds the 'employer' scope only, and no agency")
    if employer_id is None and EMPLOYER_SCOPE in wanted:
        raise ValueError("the 'employer' scope is only for a client bound to an employer")
    with transaction.atomic():
        service_user = User.objects.create(
            username=f"api:{client_id}", full_name=name, employer_id=employer_id
        )
        service_user.set_unusable_password()
        service_user.save(update_fields=["password", "password_changed_at"])
        role = Role.EMPLOYER if employer_id is not None else Role.API_CLIENT
        service_user.groups.add(Group.objects.get(name=role))
        client: ApiClient = ApiClient.objects.create(
            name=name,
            client_id=client_id,
            client_secret=client_secret,
            client_type=ApiClient.CLIENT_CONFIDENTIAL,
            authorization_grant_type=ApiClient.GRANT_CLIENT_CREDENTIALS,
            allowed_scopes=" ".join(sorted(wanted)),
            agency_id=agency_id,
            employer_id=employer_id,
            user=service_user,
        )
        changes: dict[str, list[object]] = {"allowed_scopes": [None, client.allowed_scopes]}
        if employer_id is not None:
            changes["employer"] = [None, employer_id]
        audit_event_record(
            actor=by, action="accounts.api_client.create", target=client, changes=changes
        )
    return client


def password_validate(*, password: str, username: str = "", full_name: str = "") -> None:
    """The password rules (AUTH_PASSWORD_VALIDATORS: length, common, similarity, and the MLPS
    level 3 complexity); InvalidInputError names the field."""
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        raise InvalidInputError(
            _("The password does not meet the rules."), fields={"password": exc.messages}
        ) from exc


def employer_user_create(
    *,
    employer_id: int,
    username: str,
    full_name: str,
    by: User | None,
    password: str = "",
    password_hash: str = "",
) -> User:
    """An employer's own account: role employer, bound to the employer, never staff. Give the
    `password` (checked against the password rules), or the `password_hash` of one checked
    when it was chosen (an online registration keeps only the hash until it is approved)."""
    if bool(password) == bool(password_hash):
        raise ValueError("give either the password or the hash of a checked one")
    if password:
        password_validate(password=password, username=username, full_name=full_name)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise UsernameTakenError(
                _("The username %(username)s is taken; choose another.") % {"username": username},
                fields={"username": [_("This username is taken.")]},
            )
        user = User(username=username, full_name=full_name, employer_id=employer_id)
        if password:
            user.set_password(password)
        else:
            user.password = password_hash
            user.password_changed_at = timezone.now()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same username created at the same moment
            raise UsernameTakenError(
                _("The username %(username)s is taken; choose another.") % {"username": username},
                fields={"username": [_("This username is taken.")]},
            ) from exc
        user.groups.add(Group.objects.get(name=Role.EMPLOYER))
        audit_event_record(
            actor=by,
            action="accounts.user.employer_create",
            target=user,
            changes={"employer": [None, employer_id], "roles": [None, [Role.EMPLOYER.value]]},
        )
    return user
