"""Registration API: employers registered by the market registration authority (Art. 6)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from core.api import IDEMPOTENCY_HEADER, idempotent
from core.errors import PermissionDeniedError
from core.identity import normalize_credit_code
from core.types import AuthenticatedRequest
from registration import services
from registration.models import Employer, EmployerType


class EmployerOutputSerializer(serializers.ModelSerializer[Employer]):
    region_code = serializers.CharField(source="region.code")

    class Meta:
        model = Employer
        fields = ["id", "credit_code", "name", "type", "region_code", "status"]


class EmployerCollectionApi(generics.ListAPIView[Employer]):
    """GET: employers visible to the caller (an employer user gets only its own).
    POST: synchronous registration from the market registration authority (Art. 6)."""

    required_scopes = {"GET": "read", "POST": "registration:write"}
    serializer_class = EmployerOutputSerializer
    request: AuthenticatedRequest

    class InputSerializer(serializers.Serializer[Any]):
        credit_code = serializers.CharField(max_length=30)
        name = serializers.CharField(max_length=200)
        legal_representative = serializers.CharField(max_length=100)
        address = serializers.CharField(max_length=300)
        region_code = serializers.RegexField(r"^\d{6}$", required=False)
        type = serializers.ChoiceField(
            choices=EmployerType.choices, default=EmployerType.ENTERPRISE
        )

        def validate_credit_code(self, value: str) -> str:
            try:
                return normalize_credit_code(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc

    def get_queryset(self) -> Any:
        return Employer.objects.visible_to(self.request.user).select_related("region")

    @extend_schema(summary="List employers visible to the caller")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InputSerializer,
        responses={201: EmployerOutputSerializer, 200: EmployerOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Register an employer at its business registration",
        description=(
            "Creates the employer at once (201). The same credit code again returns the existing "
            "employer (200), never a duplicate. `region_code` defaults to the region of the "
            "calling client's agency."
        ),
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        if request.user.employer_id is not None:
            raise PermissionDeniedError(
                "单位用户不能登记单位 / employer users cannot register employers"
            )
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        employer, created = services.employer_register_from_market(
            credit_code=data["credit_code"],
            name=data["name"],
            legal_representative=data["legal_representative"],
            address=data["address"],
            region_code=data.get("region_code") or _client_region_code(request),
            employer_type=data["type"],
            by=request.user,
        )
        return Response(
            EmployerOutputSerializer(employer).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _client_region_code(request: AuthenticatedRequest) -> str:
    application = getattr(request.auth, "application", None)
    agency = getattr(application, "agency", None) or request.user.agency
    if agency is None:
        raise serializers.ValidationError(
            {"region_code": ["region_code is required for this client"]}
        )
    return str(agency.region.code)
