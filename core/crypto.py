"""Encryption at rest for ID and bank-account numbers (Art. 49; MLPS level 3 wants important
personal data encrypted), plus a keyed hash (blind index) for lookup and uniqueness.

Ciphertext form: "v<version>:<base64(nonce || AES-256-GCM ciphertext+tag)>". Keys come from
FIELD_ENCRYPTION_KEYS ("version:base64key", newest first); old versions stay readable, so keys can
rotate (`manage.py rotate_encryption_key` re-encrypts rows under the newest key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NONCE_BYTES = 12


@lru_cache(maxsize=8)
def _keyring(spec: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    for entry in spec:
        version, _sep, encoded = entry.partition(":")
        raw = base64.b64decode(encoded)
        if not version or len(raw) != 32:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS entries are 'version:base64(32 bytes)'"
            )
        keys[version] = AESGCM(raw)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return spec[0].partition(":")[0], keys


def _keys() -> tuple[str, dict[str, AESGCM]]:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_key_version() -> str:
    return _keys()[0]


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Encrypt under the newest key; `purpose` is bound in as associated data."""
    version, keys = _keys()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = keys[version].encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"v{version}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, purpose: str) -> str:
    version, _sep, encoded = token.partition(":")
    _current, keys = _keys()
    key = keys.get(version.removeprefix("v"))
    if key is None:
        raise ImproperlyConfigured(f"no key for encryption version {version!r}")
    raw = base64.b64decode(encoded)
    return key.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode()).decode()


def key_version_of(token: str) -> str:
    return token.partition(":")[0].removeprefix("v")


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of the normalised value, separated by purpose (ID numbers vs bank accounts)."""
    return keyed_hash(value.strip().upper(), purpose=purpose)


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of the value as given, under LOOKUP_HASH_KEY, separated by purpose."""
    key = (
        base64.b64decode(settings.LOOKUP_HASH_KEY)
        if _is_base64(settings.LOOKUP_HASH_KEY)
        else (settings.LOOKUP_HASH_KEY.encode())
    )
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def _is_base64(value: str) -> bool:
    try:
        return len(base64.b64decode(value, validate=True)) >= 16
    except ValueError:
        return False
