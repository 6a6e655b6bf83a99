"""The transfers API: inter-agency messages, applications and steps, and progress (Art. 16)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ClientCredentialsAuthentication
from audit.services import access_log_record
from core.api import IDEMPOTENCY_HEADER, idempotent
from core.models import Agency, Region
from core.types import AuthenticatedRequest
from transfers import conf, selectors, signing
from transfers.auth import (
    PartnerOrRequiredScope,
    PartnerSignatureAuthentication,
    ReadScopeOrOwnRecord,
    partner_of,
)
from transfers.models import Transfer, TransferStatus
from transfers.services import messages as message_services
from transfers.services import steps as step_services


class MessageReceiveApi(APIView):
    """Receive one message from a partner agency (contact letter, record and funds, result,
    refusal). Signed requests (X-SI-Signature) or an OAuth2 client with the scope "transfers"
    registered for a partner. Idempotent by (sender, message_id): a duplicate gets the first
    answer again with "duplicate": true and changes nothing. The answer is signed."""

    required_scope = "transfers"
    authentication_classes = [PartnerSignatureAuthentication, ClientCredentialsAuthentication]
    permission_classes = [PartnerOrRequiredScope]

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={200: OpenApiResponse(description="processed (or duplicate)")},
        summary="Inter-agency transfer message (signed)",
    )
    def post(self, request: Request) -> HttpResponse:
        partner = partner_of(request)
        if partner is None:
            raise exceptions.PermissionDenied(
                "This client is not registered as acting for a partner agency."
            )
        try:
            body = json.loads(request._request.body or b"{}")
        except ValueError:
            raise exceptions.ParseError("The body is not JSON.") from None
        if not isinstance(body, dict):
            raise exceptions.ParseError("The body must be a JSON object.")
        signed_id = request.headers.get(signing.H_MESSAGE_ID)
        if signed_id and signed_id != str(body.get("message_id")):
            raise exceptions.ParseError("X-SI-Message-Id differs from the body's message_id.")
        headers = {name: request.headers.get(name, "") for name in signing.SIGNED_HEADERS}
        receipt = message_services.message_receive(partner=partner, body=body, headers=headers)
        raw = json.dumps(receipt.body, ensure_ascii=False).encode()
        response = HttpResponse(raw, status=receipt.status, content_type="application/json")
        if conf.signing_key() and request.headers.get(signing.H_KEY_ID):
            answer_headers = signing.sign(
                sender=partner.our_key_id or conf.key_id(),
                recipient=partner.code,
                method="RESPONSE",
                path=str(receipt.status),
                message_id=str(body.get("message_id")),
                body=raw,
            )
            for name, value in answer_headers.items():
                response[name] = value
        return response


class StepSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    side = serializers.CharField()
    handled_by = serializers.SerializerMethodField()
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    started_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    deadline_provisional = serializers.BooleanField()
    finished_at = serializers.DateTimeField(allow_null=True)
    case_number = serializers.SerializerMethodField()
    awaiting_approval = serializers.SerializerMethodField()

    def get_handled_by(self, step: Any) -> str:
        return "us" if step.side == step.transfer.side else "partner"

    def get_case_number(self, step: Any) -> str | None:
        return step.case.case_number if step.case_id else None

    def get_awaiting_approval(self, step: Any) -> bool:
        if not step.case_id:
            return False
        return any(decision.status == "proposed" for decision in step.case.decisions.all())


class TransferSerializer(serializers.Serializer[Transfer]):
    reference = serializers.CharField()
    side = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    name = serializers.CharField()
    id_number_masked = serializers.CharField(source="masked_id_number")
    from_region = serializers.CharField(source="from_region.code")
    to_region = serializers.CharField(source="to_region.code")
    is_military = serializers.BooleanField()
    applied_on = serializers.DateField()
    current_step = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    refusal_reasons = serializers.CharField()
    reconciliation = serializers.CharField()
    reconciliation_note = serializers.CharField()
    steps = serializers.SerializerMethodField()
    amounts = serializers.SerializerMethodField()

    def get_steps(self, transfer: Transfer) -> list[dict[str, Any]]:
        steps = list(transfer.steps.all())
        for step in steps:
            step.transfer = transfer
        return list(StepSerializer(steps, many=True).data)

    def get_amounts(self, transfer: Transfer) -> dict[str, Any] | None:
        package = selectors.latest_package(transfer)
        if package is None:
            return None
        return {
            "revision": package.revision,
            "rule": package.rule,
            "months": package.months,
            "pooled_base_total": str(package.pooled_base_total),
            "pooled_fund": str(package.pooled_fund),
            "account_balance": str(package.account_balance),
            "total": str(package.total),
            "recomputed_pooled_fund": _text(package.recomputed_pooled_fund),
            "funds_received": _text(package.funds_received),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class TransferListApi(APIView):
    """GET: the clerk's transfers (military first, Art. 17; then the step deadline).
    POST: a person's application (Arts. 12-14), at the counter or from a government system."""

    required_scopes = {"GET": "read", "POST": "transfers"}

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.CharField()
        id_number = serializers.CharField(max_length=18)
        name = serializers.CharField(max_length=100)
        other_region = serializers.CharField(
            max_length=6,
            help_text="The other pooling region: the old one for a pension, the new one for "
            "medical and unemployment insurance.",
        )
        channel = serializers.ChoiceField(
            choices=["counter", "online", "api", "self_service", "home_visit"], default="counter"
        )
        submitted_at = serializers.DateTimeField(required=False)
        is_military = serializers.BooleanField(default=False)
        military_organ = serializers.CharField(required=False, allow_blank=True, default="")
        military_document = serializers.CharField(required=False, allow_blank=True, default="")
        receiving_benefits = serializers.BooleanField(default=False)

    @extend_schema(responses={200: TransferSerializer(many=True)}, summary="Transfers worklist")
    def get(self, request: AuthenticatedRequest) -> Response:
        status = request.query_params.get("status", TransferStatus.OPEN)
        rows = list(selectors.transfer_list_for_clerk(user=request.user, status=status)[:200])
        return Response([TransferSerializer(row).data for row in rows])

    @extend_schema(
        request=InputSerializer,
        responses={201: TransferSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Apply for a transfer",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region = Region.objects.filter(code=values.pop("other_region")).first()
        if region is None:
            raise exceptions.ValidationError({"other_region": ["Unknown region code."]})
        agency = _agency_of(request)
        transfer = step_services.transfer_apply(
            other_region=region, agency=agency, by=request.user, **values
        )
        transfer = selectors.transfer_get(
            user=request.user, reference=transfer.reference, side=transfer.side
        )
        return Response(TransferSerializer(transfer).data, status=201)


def _agency_of(request: AuthenticatedRequest) -> Agency:
    user = request.user
    if user.agency is not None:
        return user.agency
    client_agency = getattr(getattr(request.auth, "application", None), "agency", None)
    if client_agency is not None:
        return client_agency  # type: ignore[no-any-return]
    raise exceptions.PermissionDenied("Your account belongs to no agency.")


class TransferDetailApi(APIView):
    """Progress of a transfer (Art. 16): steps with their deadlines, amounts, reconciliation.
    For agencies and government systems (scope read), and the person or employer concerned."""

    required_scope = "read"
    permission_classes = [ReadScopeOrOwnRecord]

    @extend_schema(responses={200: TransferSerializer}, summary="Transfer progress")
    def get(self, request: AuthenticatedRequest, reference: str) -> Response:
        transfer = selectors.transfer_get(
            user=request.user, reference=reference, side=request.query_params.get("side")
        )
        if transfer.person is not None:
            access_log_record(
                actor=request.user, subject=transfer.person, purpose="transfers: progress"
            )
        return Response(TransferSerializer(transfer).data)


class TransferStepActionApi(APIView):
    """Work a step: `complete` (propose the step's decision: the contact letter, the funds
    sent, or the intake), `approve` (the next four-eyes level, Art. 37), `refuse` (reasons)."""

    required_scope = "transfers"

    class InputSerializer(serializers.Serializer[Any]):
        note = serializers.CharField(required=False, allow_blank=True, default="")
        reasons = serializers.CharField(required=False, allow_blank=True, default="")
        funds_received = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True
        )
        account_amount = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True
        )

    @extend_schema(request=InputSerializer, responses={200: TransferSerializer})
    def post(
        self, request: AuthenticatedRequest, reference: str, number: int, action: str
    ) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        row = step_services.transfer_for_step(reference, number)
        transfer = Transfer.objects.visible_to(request.user).get(pk=row.pk)
        if action == "complete":
            step_services.transfer_step_complete(
                transfer_id=transfer.pk,
                number=number,
                by=request.user,
                funds_received=values.get("funds_received"),
                account_amount=values.get("account_amount"),
                note=values["note"],
            )
        elif action == "approve":
            step_services.transfer_step_approve(
                transfer_id=transfer.pk, number=number, by=request.user, note=values["note"]
            )
        elif action == "refuse":
            step_services.transfer_step_refuse(
                transfer_id=transfer.pk, number=number, reasons=values["reasons"], by=request.user
            )
        else:
            raise exceptions.NotFound("Unknown action.")
        fresh = selectors.transfer_get(user=request.user, reference=reference, side=transfer.side)
        return Response(TransferSerializer(fresh).data)


class TransferReconciliationApi(APIView):
    """Accept a difference in the amounts after checking it with the partner (with a note)."""

    required_scope = "transfers"

    class InputSerializer(serializers.Serializer[Any]):
        side = serializers.ChoiceField(choices=["in", "out"], required=False)
        note = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: TransferSerializer})
    def post(self, request: AuthenticatedRequest, reference: str) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = selectors.transfer_get(
            user=request.user, reference=reference, side=data.validated_data.get("side")
        )
        step_services.reconciliation_accept(
            transfer_id=transfer.pk, note=data.validated_data["note"], by=request.user
        )
        fresh = selectors.transfer_get(user=request.user, reference=reference, side=transfer.side)
        return Response(TransferSerializer(fresh).data)
