"""Who is acting and from where, for the audit trail: set per request, read by services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    client_id: str = ""  # the OAuth2 client, when an API client is acting


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "request_context",
    default=RequestContext(),  # noqa: B039 - frozen, never mutated
)


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(context)


def reset(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)


def with_client(client_id: str) -> None:
    """Record that the request is made by an OAuth2 client (known only after DRF authenticates)."""
    context = _current.get()
    _current.set(RequestContext(request_id=context.request_id, ip=context.ip, client_id=client_id))
