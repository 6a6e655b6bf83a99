"""OpenAPI description of the partner signature (transfers.signing)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerSignatureScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "transfers.auth.PartnerSignatureAuthentication"
    name = "partnerSignature"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-SI-Signature",
            "description": (
                "Partner agencies sign each request with their Ed25519 key: base64 signature "
                "over 'SI-TRANSFER-1', sender key id, recipient key id, method, path, Unix "
                "timestamp, message id and the body's SHA-256, one per line; with the headers "
                "X-SI-Key-Id, X-SI-Recipient, X-SI-Timestamp (at most 300 s off), "
                "X-SI-Message-Id and X-SI-Content-SHA256. Answers are signed the same way."
            ),
        }
