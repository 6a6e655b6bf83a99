"""Migration operations for PostgreSQL extensions that a server may not ship.

pgserver's embedded PostgreSQL (`make run`) has no contrib extensions such as pg_trgm; a
production server normally does. These operations create the extension and its indexes where
the server offers it and skip them, with a notice, where it does not, so the same migrations run
on both. The migration state is the same either way, so `makemigrations --check` stays clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.operations import CreateExtension
from django.db.migrations.operations import AddIndex


def _extension_available(schema_editor: Any, name: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
        return cursor.fetchone() is not None


def _extension_installed(schema_editor: Any, name: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [name])
        return cursor.fetchone() is not None


class CreateExtensionIfAvailable(CreateExtension):
    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if _extension_available(schema_editor, self.name):
            super().database_forwards(app_label, schema_editor, *args)
        else:
            print(f"  (PostgreSQL has no {self.name} extension here: skipped)")

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if _extension_installed(schema_editor, self.name):
            super().database_backwards(app_label, schema_editor, *args)


class AddIndexIfExtension(AddIndex):
    """An index that needs an extension's operator class (e.g. gin_trgm_ops)."""

    def __init__(self, model_name: str, index: Any, extension: str) -> None:
        super().__init__(model_name, index)
        self.extension = extension

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "extension": self.extension}

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if _extension_installed(schema_editor, self.extension):
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{self.index.name}"')
