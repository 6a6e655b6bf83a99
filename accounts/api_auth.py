"""OAuth2 authentication for API clients: a token acts as its client's service account."""

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.request import Request

from core import context


class ClientCredentialsAuthentication(OAuth2Authentication):  # type: ignore[misc]
    """Client-credentials tokens carry no user; the client's service account acts for it, so the
    audit trail and permissions always have a real account (role api_client) to name."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None:
            user = token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("This API client is disabled.")
        context.with_client(token.application.client_id)
        return user, token
