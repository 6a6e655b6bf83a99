"""Password complexity for MLPS level 3 (GB/T 22239-2019 8.1.4.1 a): mixed character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ComplexityValidator:
    """At least three of: lower-case, upper-case, digits, symbols."""

    classes_required = 3

    def validate(self, password: str, user: object = None) -> None:
        present = [
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(ch in string.punctuation or ch == " " for ch in password),
        ]
        if sum(present) < self.classes_required:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )
