"""API permissions: every API view declares the scope it needs: `required_scope`, or
`required_scopes` by HTTP method when one URL serves readers and writers."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from oauth2_provider.models import AccessToken
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.scopes import PUBLIC, SCOPES, scope_permission


class HasRequiredScope(BasePermission):
    """A token needs the view's scope; a logged-in person needs the matching role permission."""

    message = "Your credentials do not carry the scope this operation needs."
    code = "insufficient_scope"  # the error code clients see (RFC 6750 §3.1)

    def has_permission(self, request: Request, view: Any) -> bool:
        scope = required_scope(view, request.method or "GET")
        if scope is None:
            raise ImproperlyConfigured(f"{type(view).__name__} declares no required_scope")
        if scope == PUBLIC:
            return True
        if scope not in SCOPES:
            raise ImproperlyConfigured(f"{type(view).__name__}: unknown scope {scope!r}")
        self.message = f"This operation needs the scope '{scope}'."
        if isinstance(request.auth, AccessToken):
            return bool(request.auth.is_valid([scope]))
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(scope_permission(scope)))


def required_scope(view: Any, method: str) -> str | None:
    by_method: dict[str, str] | None = getattr(view, "required_scopes", None)
    if by_method is not None:
        return by_method.get(method) or by_method.get(
            "GET" if method in ("HEAD", "OPTIONS") else ""
        )
    scope: str | None = getattr(view, "required_scope", None)
    return scope
