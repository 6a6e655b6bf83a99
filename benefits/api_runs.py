"""Payment runs over the REST API (thin: the same services as the pages).

POST /api/v1/payment-runs {"period": "YYYY-MM"} starts the run of the caller's pooling region
(201); a second start of the same month gets 409 {"code": "payment_run_exists"}. GET lists the
region's runs; GET /api/v1/payment-runs/{id} shows one with its totals and progress; POST
/api/v1/payment-runs/{id}/approve approves it (403 for the person who started it) and releases
the bank file. Starting and approving need the staff permissions the services check
(benefits.start_paymentrun, benefits.approve_paymentrun): a government system's token may read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits import selectors
from benefits.models import PaymentRun
from benefits.services import bankfile, runs
from core.api import IDEMPOTENCY_HEADER, idempotent
from core.errors import InvalidInputError
from core.types import AuthenticatedRequest


class PaymentRunOutputSerializer(serializers.Serializer[PaymentRun]):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    period = serializers.DateField(format="%Y-%m")
    status = serializers.CharField()
    chunks_total = serializers.IntegerField()
    progress_percent = serializers.SerializerMethodField()
    payments_count = serializers.IntegerField()
    gross_total = serializers.DecimalField(max_digits=18, decimal_places=2)
    deductions_total = serializers.DecimalField(max_digits=18, decimal_places=2)
    net_total = serializers.DecimalField(max_digits=18, decimal_places=2)
    held_count = serializers.IntegerField()
    file_name = serializers.CharField()
    file_sha256 = serializers.CharField()
    file_total = serializers.DecimalField(max_digits=18, decimal_places=2)

    def get_progress_percent(self, run: PaymentRun) -> int:
        return run.job.percent if run.job is not None else 0


class PaymentRunListApi(APIView):
    # Reading needs "read"; starting is checked against the staff permission by the service
    # (no government scope starts a payment run).
    required_scopes = {"GET": "read", "POST": "read"}

    class InputSerializer(serializers.Serializer[Any]):
        period = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")

    @extend_schema(
        responses={200: PaymentRunOutputSerializer(many=True)},
        summary="Payment runs of the caller's pooling region",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        listed = PaymentRun.objects.visible_to(request.user).select_related("region", "job")[:60]
        return Response(PaymentRunOutputSerializer(listed, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=InputSerializer,
        responses={201: PaymentRunOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Start a month's payment run (one per region and month; 409 if started)",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        year, month = (int(part) for part in payload.validated_data["period"].split("-"))
        region = selectors.user_region(request.user)
        if region is None:
            raise InvalidInputError(
                "只有统筹区经办机构的人员可以启动 / only an agency's staff start a run",
                fields={"period": ["no pooling region"]},
            )
        run = runs.payment_run_start(region=region, period=date(year, month, 1), by=request.user)
        run = PaymentRun.objects.select_related("region", "job").get(pk=run.pk)
        return Response(PaymentRunOutputSerializer(run).data, status=status.HTTP_201_CREATED)


class PaymentRunDetailApi(APIView):
    required_scope = "read"

    @extend_schema(responses={200: PaymentRunOutputSerializer}, summary="A payment run")
    def get(self, request: AuthenticatedRequest, run_id: int) -> Response:
        run = PaymentRun.objects.visible_to(request.user).select_related("region", "job")
        return Response(PaymentRunOutputSerializer(run.get(pk=run_id)).data)


class PaymentRunApproveApi(APIView):
    required_scope = "read"  # the service checks benefits.approve_paymentrun

    @extend_schema(
        request=None,
        responses={200: PaymentRunOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Approve a built run (not one's own) and release its bank file",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, run_id: int) -> Response:
        PaymentRun.objects.visible_to(request.user).get(pk=run_id)  # 404 outside the region
        runs.payment_run_approve(run_id=run_id, by=request.user)
        bankfile.payment_run_release(run_id=run_id, by=request.user)
        run = PaymentRun.objects.select_related("region", "job").get(pk=run_id)
        return Response(PaymentRunOutputSerializer(run).data)
