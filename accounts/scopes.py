"""OAuth2 scopes for government systems. Each client gets only the scopes it was granted."""

from typing import Any

from oauth2_provider.scopes import BaseScopes

PUBLIC = "public"  # marks a view that needs no login at all

SCOPES: dict[str, str] = {
    "read": "Read registrations, cases and records 查询",
    "registration:write": "Register employers and persons 登记 (market registration authority)",
    "contributions:write": "Send contribution records 缴费记录 (tax / collection authority)",
    "feeds:write": "Send death and status feeds 数据比对 (civil affairs, public security, courts)",
    "transfers": "Exchange relationship transfers 关系转移 (other agencies)",
    "employer": "Payroll operations on one's own employees 增减员",
}
# The employer scope belongs to clients bound to one employer (its payroll software), and only
# to them; every other system may hold the rest.
EMPLOYER_SCOPE = "employer"
AGENCY_SCOPES = tuple(scope for scope in SCOPES if scope != EMPLOYER_SCOPE)


def scope_permission(scope: str) -> str:
    """The Django permission that lets a logged-in person use an API view of this scope."""
    return "accounts.scope_" + scope.replace(":", "_")


class ClientScopes(BaseScopes):  # type: ignore[misc]
    def get_all_scopes(self) -> dict[str, str]:
        return SCOPES

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return list(SCOPES)
        return [scope for scope in application.allowed_scopes.split() if scope in SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
