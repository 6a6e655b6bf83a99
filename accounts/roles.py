"""Roles as groups with explicit permissions: least privilege, and the three-administrator split
(三员分立) that MLPS level 3 expects: system, security and audit administrators are three people."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import transaction


class Role(StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    SYSTEM_ADMIN = "sysadmin"
    SECURITY_ADMIN = "secadmin"
    EMPLOYER = "employer"
    API_CLIENT = "api_client"


ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
STAFF_ROLES = (
    Role.CLERK,
    Role.REVIEWER,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
)

ROLE_LABELS = {
    Role.CLERK: ("经办员", "Clerk"),
    Role.REVIEWER: ("复核员", "Reviewer"),
    Role.SUPERVISOR: ("主管", "Supervisor"),
    Role.AUDITOR: ("审计管理员", "Auditor"),
    Role.SYSTEM_ADMIN: ("系统管理员", "System administrator"),
    Role.SECURITY_ADMIN: ("安全管理员", "Security administrator"),
    Role.EMPLOYER: ("用人单位经办人", "Employer user"),
    Role.API_CLIENT: ("接口客户端", "API client"),
}

_CASE_WORK = ["core.view_region", "core.view_agency", "core.view_calendarday", "core.view_job"]

# "app_label.codename" per role. Apps add their permissions here as they arrive; permissions that
# do not exist yet (an app not installed) are skipped by sync_roles.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CLERK: [
        *_CASE_WORK,
        "accounts.scope_read",
        "registration.view_employer",
    ],
    Role.REVIEWER: [
        *_CASE_WORK,
        "accounts.scope_read",
        "registration.view_employer",
    ],
    Role.SUPERVISOR: [
        *_CASE_WORK,
        "accounts.scope_read",
        "registration.view_employer",
        "core.view_policyparameter",
    ],
    Role.AUDITOR: [
        "audit.view_auditevent",
        "audit.view_accesslogentry",
        "audit.verify_audit_chain",
        "core.view_job",
        "core.view_policyparameter",
        "core.view_calendarday",
        "core.view_calendaryear",
    ],
    Role.SYSTEM_ADMIN: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.manage_configuration",
        "accounts.view_apiclient",
        "accounts.add_apiclient",
        "accounts.change_apiclient",
        *[
            f"core.{verb}_{model}"
            for verb in ("view", "add", "change")
            for model in ("region", "agency", "policyparameter", "calendaryear", "calendarday")
        ],
        "core.delete_calendarday",
        "core.view_job",
    ],
    Role.SECURITY_ADMIN: [
        "accounts.view_user",
        "accounts.assign_roles",
        "accounts.unlock_accounts",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
    # An employer's own people and its payroll software (an employer-bound API client).
    Role.EMPLOYER: ["accounts.scope_employer"],
    Role.API_CLIENT: [],
}


def extend_role_permissions(role: Role, permissions: list[str]) -> None:
    """Let an app grant its own permissions to a role (called from its AppConfig.ready())."""
    for permission in permissions:
        if permission not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(permission)


def sync_roles() -> None:
    """Create the role groups and set each one's permissions to exactly the list above."""
    from django.contrib.auth.models import Group, Permission

    with transaction.atomic():
        for role, wanted in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role.value)
            pairs = [name.split(".", 1) for name in wanted]
            permissions = [
                permission
                for permission in Permission.objects.select_related("content_type").filter(
                    codename__in=[codename for _app, codename in pairs]
                )
                if [permission.content_type.app_label, permission.codename] in pairs
            ]
            group.permissions.set(permissions)


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    """After the last app's permissions exist, bring the role groups up to date."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:
        sync_roles()
