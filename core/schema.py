"""OpenAPI component names: a view's nested Input/OutputSerializer is named after the view, so
`EmployerCollectionApi.InputSerializer` becomes `EmployerCollectionInput` instead of every
view's serializers merging into one `Input` component."""

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema


class PortalAutoSchema(AutoSchema):
    def get_serializer_name(
        self, serializer: Any, direction: Literal["request", "response"]
    ) -> str:
        name: str = super().get_serializer_name(serializer, direction)
        serializer_class = serializer if isinstance(serializer, type) else type(serializer)
        parts = serializer_class.__qualname__.split(".")
        if len(parts) >= 2 and name == parts[-1]:  # nested in a view: prefix the view's name
            return parts[-2].removesuffix("Api") + name
        return name
