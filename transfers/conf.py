"""This app's settings, read from the environment (the lead owns config/settings.py).

TRANSFERS_SIGNING_KEY   this deployment's Ed25519 private key: base64 of the 32-byte seed
                        (`manage.py transfers_keygen` makes one). Empty: this deployment only
                        serves its own regions in process and cannot talk to partners.
TRANSFERS_KEY_ID        the id partners know this deployment by (default: empty, then each
                        partner row's `our_key_id` must be set).
TRANSFERS_MAX_SKEW_SECONDS   how old (or how far in the future) a signed request may be: 300.
TRANSFERS_HTTP_TIMEOUT_SECONDS   per delivery attempt: 10.
TRANSFERS_RETRY_BASE_SECONDS / TRANSFERS_RETRY_MAX_SECONDS   the backoff: base × 2^(attempt-1),
                        at most max (10 s, then 20, 40 … up to 1 hour).
TRANSFERS_CELERY_RETRY_MAX_SECONDS   delays up to this are Celery retries (countdown); longer ones
                        wait for the beat sweep (DESIGN.md: no countdown near the broker's
                        visibility timeout). Default 900.

Django settings of the same names win over the environment (tests use the `settings` fixture).
"""

from __future__ import annotations

from typing import Any

import environ
from django.conf import settings

_env = environ.Env()

_DEFAULTS: dict[str, tuple[type, Any]] = {
    "TRANSFERS_SIGNING_KEY": (str, ""),
    "TRANSFERS_KEY_ID": (str, ""),
    "TRANSFERS_MAX_SKEW_SECONDS": (int, 300),
    "TRANSFERS_HTTP_TIMEOUT_SECONDS": (int, 10),
    "TRANSFERS_RETRY_BASE_SECONDS": (int, 10),
    "TRANSFERS_RETRY_MAX_SECONDS": (int, 3600),
    "TRANSFERS_CELERY_RETRY_MAX_SECONDS": (int, 900),
}


def _read(name: str) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    kind, default = _DEFAULTS[name]
    if kind is int:
        return _env.int(name, default=default)
    return _env.str(name, default=default)


def signing_key() -> str:
    return str(_read("TRANSFERS_SIGNING_KEY"))


def key_id() -> str:
    return str(_read("TRANSFERS_KEY_ID"))


def max_skew_seconds() -> int:
    return int(_read("TRANSFERS_MAX_SKEW_SECONDS"))


def http_timeout_seconds() -> int:
    return int(_read("TRANSFERS_HTTP_TIMEOUT_SECONDS"))


def retry_base_seconds() -> int:
    return int(_read("TRANSFERS_RETRY_BASE_SECONDS"))


def retry_max_seconds() -> int:
    return int(_read("TRANSFERS_RETRY_MAX_SECONDS"))


def celery_retry_max_seconds() -> int:
    return int(_read("TRANSFERS_CELERY_RETRY_MAX_SECONDS"))
