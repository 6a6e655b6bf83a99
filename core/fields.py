"""Model fields for personal numbers: encrypted at rest, found through a keyed hash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from core import crypto
from core.masking import mask_id_number


class EncryptedField(models.TextField):  # type: ignore[type-arg]
    """Keeps a string encrypted in the database; Python code sees plaintext.

    Pair it with a `BlindIndexField(source=...)` to look rows up or make them unique.
    """

    def __init__(
        self,
        *args: Any,
        purpose: str = "",
        masker: Callable[[str | None], str] = mask_id_number,
        **kwargs: Any,
    ) -> None:
        self.purpose = purpose
        self.masker = masker
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), purpose=self.purpose)

    def mask(self, value: str | None) -> str:
        return self.masker(value)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC of another field's plaintext, computed on save; used for lookup and uniqueness."""

    def __init__(self, *args: Any, source: str = "", purpose: str = "", **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        plaintext = getattr(model_instance, self.source)
        value = crypto.blind_index(plaintext, purpose=self.purpose) if plaintext else None
        setattr(model_instance, self.attname, value)
        return value

    def digest(self, plaintext: str) -> str:
        return crypto.blind_index(plaintext, purpose=self.purpose)
