"""Domain errors: callers may catch them; the API renders them as {"code", "message", "fields"}."""

from typing import Any, ClassVar


class DomainError(Exception):
    """A business rule refused the action. `code` is stable; `message` is for people."""

    code: ClassVar[str] = "domain_error"
    status_code: ClassVar[int] = 409

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status_code = 403


class NotFoundError(DomainError):
    code = "not_found"
    status_code = 404


class InvalidInputError(DomainError):
    """Bad input that a serializer could not catch; `fields` names what is wrong."""

    code = "invalid"
    status_code = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}
