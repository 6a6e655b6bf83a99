"""How partner agencies authenticate: a signed request (transfers.signing) names the partner;
or an OAuth2 client with the scope "transfers" that is registered as acting for a partner."""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.permissions import HasRequiredScope
from core import context
from transfers import conf, signing
from transfers.models import PartnerAgency, PartnerStatus


class PartnerSignatureAuthentication(BaseAuthentication):
    """Verifies X-SI-Signature over method, path, timestamp, message id and body hash, refuses
    stale timestamps, and resolves the partner; the request then acts as the partner's service
    account. Requests without the headers are left to the other authentication classes."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key_id = request.headers.get(signing.H_KEY_ID)
        if not key_id:
            return None
        partner = (
            PartnerAgency.objects.filter(code=key_id, status=PartnerStatus.ACTIVE)
            .select_related("service_user")
            .first()
        )
        if partner is None:
            raise exceptions.AuthenticationFailed(
                f"No active partner agency has the key id {key_id!r}.", code="partner_unknown"
            )
        headers = {name: request.headers.get(name, "") for name in signing.SIGNED_HEADERS}
        try:
            signing.verify(
                headers=headers,
                public_key=partner.public_key,
                recipient=partner.our_key_id or conf.key_id(),
                method=request.method or "POST",
                path=request._request.get_full_path(),
                body=request._request.body,
            )
        except signing.SignatureError as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from None
        context.with_client(f"partner:{partner.code}")
        return partner.service_user, partner

    def authenticate_header(self, request: Request) -> str:
        return 'SI-Transfer-Signature realm="api"'


def partner_of(request: Request) -> PartnerAgency | None:
    """The partner a request acts for: its signature, or its OAuth2 client's registration."""
    if isinstance(request.auth, PartnerAgency):
        return request.auth
    if isinstance(request.auth, AccessToken):
        return PartnerAgency.objects.filter(
            api_client_id=request.auth.application_id,
            status__in=[PartnerStatus.ACTIVE],
        ).first()
    return None


class PartnerOrRequiredScope(BasePermission):
    """A verified partner signature passes; otherwise the view's required_scope applies."""

    message = HasRequiredScope.message

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, PartnerAgency):
            return True
        check = HasRequiredScope()
        allowed = check.has_permission(request, view)
        self.message = check.message
        return allowed


class ReadScopeOrOwnRecord(BasePermission):
    """Progress (Art. 16): the read scope, or a logged-in person or employer user, whom the
    selector limits to their own transfers."""

    message = HasRequiredScope.message

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.auth is not None:  # a token: its scopes decide
            return HasRequiredScope().has_permission(request, view)
        return bool(request.user and request.user.is_authenticated)
