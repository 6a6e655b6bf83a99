"""Case engine API: read cases (scope read; each caller sees what visible_to allows) and the
public service catalogue. Filing endpoints come with each duty app (they call case_file)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredScope
from cases import selectors
from cases.clock import sla_dates
from cases.models import (
    ApplicantKind,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Channel,
    ClockStart,
    ItemMaterial,
    MaterialKind,
    OwnerApp,
    PriorityReason,
    ServiceItem,
    SlaStatus,
)
from core.api import PublicRateThrottle
from core.types import AuthenticatedRequest


def _values(choices: Any) -> str:
    return ", ".join(choices.values)


# Choice fields are plain strings with their values listed: drf-spectacular would otherwise name
# one enum per field name ("kind", "status", "channel") across every app and collide.
class ItemMaterialSerializer(serializers.ModelSerializer[ItemMaterial]):
    kind = serializers.CharField(help_text=_values(MaterialKind))

    class Meta:
        model = ItemMaterial
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "legal_basis",
            "is_required",
            "condition",
            "condition_en",
            "fetched_by_agency",
            "fetched_from",
        ]


class ServiceItemSerializer(serializers.ModelSerializer[ServiceItem]):
    materials = ItemMaterialSerializer(many=True, read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), help_text=_values(Channel))
    owner_app = serializers.CharField(help_text=_values(OwnerApp))
    clock_starts = serializers.CharField(help_text=_values(ClockStart))

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "name_en",
            "owner_app",
            "legal_basis",
            "time_limit_working_days",
            "time_limit_is_statutory",
            "time_limit_source",
            "clock_starts",
            "clock_pauses_for_supplement",
            "channels",
            "is_high_risk",
            "procedure",
            "step",
            "conditions",
            "conditions_en",
            "valid_from",
            "materials",
        ]


class ServiceItemListApi(generics.ListAPIView[ServiceItem]):
    """The service catalogue (服务事项): public, no login."""

    required_scope = "public"
    authentication_classes: list[type] = []
    throttle_classes = [PublicRateThrottle]
    serializer_class = ServiceItemSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.service_items_public()

    @extend_schema(summary="Service catalogue (服务事项) with materials and time limits")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ServiceItemDetailApi(generics.RetrieveAPIView[ServiceItem]):
    required_scope = "public"
    authentication_classes: list[type] = []
    throttle_classes = [PublicRateThrottle]
    serializer_class = ServiceItemSerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return selectors.service_items_public()

    @extend_schema(summary="One service item: materials with their legal basis, time limit")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseSerializer(serializers.ModelSerializer[Case]):
    item = serializers.CharField(source="item.code")
    received_by = serializers.CharField(source="received_by.code")
    employer_credit_code = serializers.CharField(
        source="employer.credit_code", default=None, allow_null=True
    )
    applicant_id_number = serializers.CharField(
        source="applicant_id_masked", help_text="Masked (Art. 49)."
    )
    status = serializers.CharField(help_text=_values(CaseStatus))
    applicant_kind = serializers.CharField(help_text=_values(ApplicantKind))
    channel = serializers.CharField(help_text=_values(Channel))
    sla = serializers.CharField(help_text=_values(SlaStatus))
    has_proxy = serializers.SerializerMethodField()
    is_priority = serializers.BooleanField(
        help_text="Served first, before the deadline order (Art. 17 ¶2: military transfers)."
    )
    priority_reason = serializers.CharField(
        help_text="Empty, or why the case is served first: " + _values(PriorityReason)
    )

    class Meta:
        model = Case
        fields = [
            "case_number",
            "reference",
            "item",
            "status",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "employer_credit_code",
            "channel",
            "received_by",
            "submitted_at",
            "received_on",
            "time_limit_working_days",
            "deadline",
            "deadline_provisional",
            "sla",
            "clock_pauses_for_supplement",
            "completed_on",
            "has_proxy",
            "is_priority",
            "priority_reason",
        ]

    def get_has_proxy(self, case: Case) -> bool:
        return case.proxy_id is not None


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    by = serializers.CharField(source="actor_label")
    kind = serializers.CharField(help_text=_values(CaseEventKind))
    from_status = serializers.CharField(help_text=_values(CaseStatus))
    to_status = serializers.CharField(help_text=_values(CaseStatus))

    class Meta:
        model = CaseEvent
        fields = ["occurred_at", "kind", "by", "from_status", "to_status", "note"]


class CaseDetailSerializer(CaseSerializer):
    timeline = CaseEventSerializer(source="events", many=True, read_only=True)
    decision = serializers.SerializerMethodField()
    proxy = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "proxy", "decision", "timeline"]

    def get_decision(self, case: Case) -> dict[str, Any] | None:
        effective = [d for d in case.decisions.all() if d.status == "effective"]
        if not effective:
            return None
        decision = effective[-1]
        return {
            "outcome": decision.outcome,
            "reasons": decision.reasons,
            "legal_basis": decision.legal_basis,
            "amount": str(decision.amount) if decision.amount is not None else None,
            "remedies": decision.remedy_notice,
            "effective_at": decision.effective_at,
        }

    def get_proxy(self, case: Case) -> dict[str, Any] | None:
        proxy = case.proxy
        if proxy is None:
            return None
        return {
            "agent_name": proxy.agent_name,
            "agent_id_number": proxy.agent_id_masked,
            "relationship": proxy.relationship,
            "valid_from": proxy.valid_from,
            "valid_until": proxy.valid_until,
            "scope_item_codes": proxy.scope_item_codes,
        }


class ReadScopeOrOwnApplicant(HasRequiredScope):
    """The read scope (a token, or staff with the scope permission); or, with a session, an
    employer user or a person reading their own cases. Employer users hold no general read
    scope (accounts.roles); Case.objects.visible_to limits them to their own employer."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        own_session = (
            request.method in ("GET", "HEAD", "OPTIONS")
            and request.auth is None
            and user is not None
            and user.is_authenticated
            and not user.is_staff
        )
        return own_session or super().has_permission(request, view)


class CaseListApi(generics.ListAPIView[Case]):
    """Cases the caller may see: an API client its agency's pooling region (or all), an
    employer user its own employer's cases. Cursor-paginated, newest first."""

    required_scope = "read"
    permission_classes = [ReadScopeOrOwnApplicant]
    serializer_class = CaseSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> Any:
        dates = sla_dates()
        cases = (
            Case.objects.visible_to(self.request.user)
            .with_sla(today=dates.today, horizon=dates.horizon)
            .select_related("item", "received_by", "employer")
            .defer("payload")
        )
        params = self.request.query_params
        if params.get("status") in CaseStatus.values:
            cases = cases.filter(status=params["status"])
        if params.get("item"):
            cases = cases.filter(item__code=params["item"])
        if params.get("sla"):
            cases = cases.sla_in([params["sla"]], today=dates.today, horizon=dates.horizon)
        return cases

    @extend_schema(
        summary="List cases visible to the caller",
        parameters=[
            OpenApiParameter("status", str, description=_values(CaseStatus)),
            OpenApiParameter("item", str, description="Service item code"),
            OpenApiParameter("sla", str, description=_values(SlaStatus)),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailApi(APIView):
    required_scope = "read"
    permission_classes = [ReadScopeOrOwnApplicant]

    @extend_schema(
        responses={200: CaseDetailSerializer},
        summary="A case: status, deadline (provisional or not), SLA, decision and timeline",
    )
    def get(self, request: AuthenticatedRequest, case_number: str) -> Response:
        dates = sla_dates()
        case = (
            Case.objects.visible_to(request.user)
            .with_sla(today=dates.today, horizon=dates.horizon)
            .select_related("item", "received_by", "employer", "proxy")
            .prefetch_related("events", "decisions")
            .get(case_number=case_number)
        )
        return Response(CaseDetailSerializer(case).data)
