"""Account actions: roles, deactivation, sessions, API clients. Each one audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction

from accounts.errors import AdminRolesConflictError, RoleAssignmentNotAllowedError
from accounts.models import ApiClient, User, UserSession
from accounts.roles import ADMIN_ROLES, Role
from accounts.scopes import SCOPES
from audit.services import audit_event_record


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
) -> ApiClient:
    """Register another authority's system with its scopes and a service account to act as."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    with transaction.atomic():
        service_user = User.objects.create(username=f"api:{client_id}", full_name=name)
        service_user.set_unusable_password()
        service_user.save(update_fields=["password", "password_changed_at"])
        service_user.groups.add(Group.objects.get(name=Role.API_CLIENT))
        client: ApiClient = ApiClient.objects.create(
            name=name,
            client_id=client_id,
            client_secret=client_secret,
            client_type=ApiClient.CLIENT_CONFIDENTIAL,
            authorization_grant_type=ApiClient.GRANT_CLIENT_CREDENTIALS,
            allowed_scopes=" ".join(sorted(set(scopes))),
            agency_id=agency_id,
            user=service_user,
        )
        audit_event_record(
            actor=by,
            action="accounts.api_client.create",
            target=client,
            changes={"allowed_scopes": [None, client.allowed_scopes]},
        )
    return client
