"""Registration API. Employers and persons arrive with the registration issue; the read endpoint
here is the base every other app's scoping test uses."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from core.types import AuthenticatedRequest
from registration.models import Employer


class EmployerListApi(generics.ListAPIView[Employer]):
    """Employers visible to the caller: an employer user gets only its own."""

    required_scope = "read"

    class OutputSerializer(serializers.ModelSerializer[Employer]):
        region_code = serializers.CharField(source="region.code")

        class Meta:
            model = Employer
            fields = ["id", "credit_code", "name", "type", "region_code", "status"]

    serializer_class = OutputSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> Any:
        return Employer.objects.visible_to(self.request.user).select_related("region")

    @extend_schema(summary="List employers visible to the caller")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
