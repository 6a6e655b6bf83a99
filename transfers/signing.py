"""Signed, time-stamped inter-agency requests (DESIGN.md "Inter-agency calls").

Why Ed25519 signatures and not HMAC with shared secrets: each deployment holds only its own
private key (TRANSFERS_SIGNING_KEY) and publishes its public key, so
- nothing secret is exchanged or stored per partner: a copy of our partner registry (URLs and
  public keys) lets nobody forge a message;
- a signature proves which agency sent it (non-repudiation), which matters when two agencies
  disagree about the funds a message announced; with a shared secret either side could have
  made it;
- rotating a key means publishing a new public key, not coordinating a secret with every partner.
Ed25519 (RFC 8032, `cryptography`) is deterministic, fast, with 32-byte keys that fit a form.

What is signed, one field per line (UTF-8), so nothing can be moved between fields:

    SI-TRANSFER-1
    <sender key id>
    <recipient key id>
    <HTTP method>
    <path, with query string>
    <timestamp: Unix seconds>
    <message id>
    <SHA-256 of the body, hex>

Headers: X-SI-Key-Id, X-SI-Recipient, X-SI-Timestamp, X-SI-Message-Id, X-SI-Content-SHA256,
X-SI-Signature (base64). The receiver refuses a timestamp more than TRANSFERS_MAX_SKEW_SECONDS
away from its clock and any signature that does not verify; the message id makes a replay inside
the window a duplicate, which the inbox ignores. Responses are signed the same way (method
"RESPONSE" and the status code in the path field), so the sender keeps a provable answer.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ImproperlyConfigured

from transfers import conf

SCHEME = "SI-TRANSFER-1"
H_KEY_ID = "X-SI-Key-Id"
H_RECIPIENT = "X-SI-Recipient"
H_TIMESTAMP = "X-SI-Timestamp"
H_MESSAGE_ID = "X-SI-Message-Id"
H_DIGEST = "X-SI-Content-SHA256"
H_SIGNATURE = "X-SI-Signature"
SIGNED_HEADERS = (H_KEY_ID, H_RECIPIENT, H_TIMESTAMP, H_MESSAGE_ID, H_DIGEST, H_SIGNATURE)


class SignatureError(Exception):
    """A request or response failed verification; `code` says why (for the error body)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def signing_string(
    *,
    sender: str,
    recipient: str,
    method: str,
    path: str,
    timestamp: str,
    message_id: str,
    digest: str,
) -> bytes:
    fields = (SCHEME, sender, recipient, method.upper(), path, timestamp, message_id, digest)
    if any("\n" in field for field in fields):
        raise SignatureError("signature_invalid", "A signed field contains a line break.")
    return "\n".join(fields).encode()


def private_key_from(encoded: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(encoded, validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TRANSFERS_SIGNING_KEY must be base64 of a 32-byte Ed25519 seed"
        ) from exc


def our_private_key() -> Ed25519PrivateKey:
    encoded = conf.signing_key()
    if not encoded:
        raise ImproperlyConfigured(
            "TRANSFERS_SIGNING_KEY is not set: this deployment cannot sign messages to partners"
        )
    return private_key_from(encoded)


def public_key_of(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def our_public_key() -> str:
    return public_key_of(our_private_key())


def new_private_key() -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return base64.b64encode(raw).decode()


def public_key_valid(encoded: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded, validate=True))
    except ValueError:
        return False
    return True


def sign(
    *,
    sender: str,
    recipient: str,
    method: str,
    path: str,
    message_id: str,
    body: bytes,
    private_key: Ed25519PrivateKey | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The headers that sign this request (or response) as `sender`."""
    key = private_key or our_private_key()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = body_digest(body)
    signature = key.sign(
        signing_string(
            sender=sender,
            recipient=recipient,
            method=method,
            path=path,
            timestamp=stamp,
            message_id=message_id,
            digest=digest,
        )
    )
    return {
        H_KEY_ID: sender,
        H_RECIPIENT: recipient,
        H_TIMESTAMP: stamp,
        H_MESSAGE_ID: message_id,
        H_DIGEST: digest,
        H_SIGNATURE: base64.b64encode(signature).decode(),
    }


def verify(
    *,
    headers: Mapping[str, str],
    public_key: str,
    recipient: str,
    method: str,
    path: str,
    body: bytes,
    now: float | None = None,
) -> str:
    """Check a signed request (or response); returns its message id or raises SignatureError."""
    missing = [name for name in SIGNED_HEADERS if not headers.get(name)]
    if missing:
        raise SignatureError("signature_missing", f"Missing signature headers: {missing}")
    stamp = headers[H_TIMESTAMP]
    if not stamp.isdigit():
        raise SignatureError("timestamp_invalid", "X-SI-Timestamp must be Unix seconds.")
    skew = abs((time.time() if now is None else now) - int(stamp))
    if skew > conf.max_skew_seconds():
        raise SignatureError(
            "timestamp_stale",
            f"The request is {int(skew)} s away from our clock; at most "
            f"{conf.max_skew_seconds()} s is accepted.",
        )
    if headers[H_RECIPIENT] != recipient:
        raise SignatureError("recipient_mismatch", "The request was signed for another agency.")
    digest = body_digest(body)
    if headers[H_DIGEST] != digest:
        raise SignatureError("digest_mismatch", "The body does not match X-SI-Content-SHA256.")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(
            base64.b64decode(headers[H_SIGNATURE], validate=True),
            signing_string(
                sender=headers[H_KEY_ID],
                recipient=recipient,
                method=method,
                path=path,
                timestamp=stamp,
                message_id=headers[H_MESSAGE_ID],
                digest=digest,
            ),
        )
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError("signature_invalid", "The signature does not verify.") from exc
    return headers[H_MESSAGE_ID]
