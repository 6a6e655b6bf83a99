"""Eligibility API: feeds from other authorities (Art. 8), authentications from the external
authentication platform (Art. 26), stop-event reports (Art. 25). Thin views over the services."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IDEMPOTENCY_HEADER, idempotent
from core.types import AuthenticatedRequest
from eligibility import selectors
from eligibility.models import (
    AuthenticationChannel,
    FeedBatch,
    FeedChannel,
    FeedKind,
    ReportChannel,
    ReporterKind,
    StopEventKind,
    StopEventReport,
)
from eligibility.services import authentication, feeds, notice
from eligibility.services.feeds import FeedBatchResult, RecordError

KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=FeedKind.values, description="The kind of record."
)


def _errors(errors: list[RecordError]) -> list[dict[str, Any]]:
    return [
        {
            "index": error.index,
            "source_reference": error.source_reference,
            "field": error.field,
            "message": error.message,
        }
        for error in errors
    ]


class FeedRecordErrorSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField(help_text="Position in `records`, from 0.")
    source_reference = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class FeedBatchOutputSerializer(serializers.Serializer[Any]):
    batch_id = serializers.IntegerField()
    kind = serializers.CharField()
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    already_received = FeedRecordErrorSerializer(many=True)
    rejected = FeedRecordErrorSerializer(many=True)


def batch_body(result: FeedBatchResult) -> dict[str, Any]:
    batch = result.batch
    return {
        "batch_id": batch.pk,
        "kind": batch.kind,
        "received": batch.records_received,
        "accepted": batch.records_accepted,
        "already_received": _errors(result.duplicates),
        "rejected": _errors(result.rejected),
    }


class FeedBatchCollectionApi(APIView):
    """POST: a batch of records of one kind from another authority (Art. 8).

    Each record: `source` (civil_affairs, public_security, health, justice, tax,
    medical_security, other_agency, other), `source_reference` (the sender's own id of the
    record), `id_number` (citizen ID number), `event_date` (YYYY-MM-DD), optional `name` and
    `data`. Valid records are kept even when others are rejected; each rejected record comes
    back with its index, field and message. A record received before (same kind, source and
    source reference) is listed under `already_received` and changes nothing."""

    required_scope = "feeds:write"

    class InputSerializer(serializers.Serializer[Any]):
        records = serializers.ListField(
            child=serializers.JSONField(), allow_empty=False, max_length=feeds.MAX_RECORDS
        )

    @extend_schema(
        parameters=[KIND_PARAMETER, IDEMPOTENCY_HEADER],
        request=InputSerializer,
        responses={201: FeedBatchOutputSerializer},
        summary="Send a batch of death, imprisonment, emigration, re-employment records",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, kind: str) -> Response:
        if kind not in FeedKind.values:
            return Response(
                {
                    "code": "not_found",
                    "message": f"unknown feed kind {kind}; use one of {', '.join(FeedKind.values)}",
                    "fields": {},
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = feeds.feed_batch_receive(
            kind=kind,
            records=payload.validated_data["records"],
            channel=FeedChannel.API,
            by=request.user,
        )
        return Response(batch_body(result), status=status.HTTP_201_CREATED)


class FeedBatchDetailApi(APIView):
    """GET: what a batch kept and what it rejected."""

    required_scope = "feeds:write"

    @extend_schema(
        parameters=[KIND_PARAMETER],
        responses={200: FeedBatchOutputSerializer},
        summary="A feed batch and its rejected records",
    )
    def get(self, request: AuthenticatedRequest, kind: str, batch_id: int) -> Response:
        batch = get_object_or_404(FeedBatch, pk=batch_id, kind=kind)
        rejected = [
            RecordError(e.index, e.field, e.message, e.source_reference)
            for e in batch.errors.all()[:10_000]
        ]
        body = batch_body(FeedBatchResult(batch, [], rejected))
        body.pop("already_received")
        body["already_received_count"] = batch.records_duplicate
        return Response(body)


class AuthenticationApi(APIView):
    """POST: the external authentication platform (face recognition, the mobile app) reports a
    successful self-authentication (Art. 26). Idempotent by `reference`: the same reference
    again answers 200 with the first record. It renews the person's cycle; a payment suspended
    because the cycle ran out resumes, with the months missed paid as arrears."""

    required_scope = "feeds:write"

    class InputSerializer(serializers.Serializer[Any]):
        reference = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        verified_at = serializers.DateTimeField()
        method = serializers.CharField(max_length=40, required=False, default="face")

        def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
            fields = super().get_fields()
            # "source" is added here: a class attribute of that name would hide Field.source.
            fields["source"] = serializers.CharField(max_length=100, required=False, default="")
            return fields

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        reference = serializers.CharField()
        verified_on = serializers.DateField()
        next_due_on = serializers.DateField(allow_null=True)
        resumed_awards = serializers.IntegerField()

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=InputSerializer,
        responses={201: OutputSerializer, 200: OutputSerializer},
        summary="Report a successful self-authentication (自助认证)",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = authentication.authentication_receive(
            id_number=data["id_number"],
            channel=AuthenticationChannel.SELF_SERVICE,
            verified_at=data["verified_at"],
            method=data["method"],
            source=data["source"],
            reference=data["reference"],
            by=request.user,
        )
        body = {
            "id": result.authentication.pk,
            "reference": result.authentication.reference,
            "verified_on": result.authentication.verified_on,
            "next_due_on": result.due_on,
            "resumed_awards": result.resumed,
        }
        return Response(
            self.OutputSerializer(body).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class StopEventReportOutputSerializer(serializers.ModelSerializer[StopEventReport]):
    event = serializers.CharField(source="kind")
    deadline_provisional = serializers.BooleanField()
    on_time = serializers.BooleanField(source="is_on_time")
    person_found = serializers.SerializerMethodField()
    suspicions = serializers.SerializerMethodField()

    class Meta:
        model = StopEventReport
        fields = [
            "id",
            "reference",
            "event",
            "event_date",
            "reporter_kind",
            "channel",
            "received_on",
            "deadline",
            "deadline_provisional",
            "on_time",
            "person_found",
            "suspicions",
        ]

    def get_person_found(self, report: StopEventReport) -> bool:
        return report.person_id is not None

    def get_suspicions(self, report: StopEventReport) -> list[dict[str, Any]]:
        return selectors.suspicion_states_for_report(report)


class StopEventReportCollectionApi(APIView):
    """POST: report an event that stops benefits (Art. 25): a death, imprisonment, emigration,
    re-employment… within 20 working days of the event. The answer says the deadline and whether
    the report was on time. A report never stops a payment by itself: it opens a suspicion that a
    clerk verifies. Idempotent by `reference`."""

    required_scopes = {"POST": "feeds:write"}

    class InputSerializer(serializers.Serializer[Any]):
        reference = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        name = serializers.CharField(max_length=100)
        event = serializers.ChoiceField(
            choices=StopEventKind.choices,
            help_text="What happened: death, imprisonment, emigration, reemployment, …",
        )
        event_date = serializers.DateField()
        reporter_kind = serializers.ChoiceField(choices=ReporterKind.choices)
        reporter_name = serializers.CharField(max_length=100)
        reporter_phone = serializers.CharField(max_length=30, required=False, default="")
        relationship = serializers.CharField(max_length=60, required=False, default="")
        note = serializers.CharField(max_length=2000, required=False, default="")

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=InputSerializer,
        responses={201: StopEventReportOutputSerializer, 200: StopEventReportOutputSerializer},
        summary="Report an event that stops benefits (Art. 25)",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        report, created = notice.stop_event_report(
            id_number=data["id_number"],
            subject_name=data["name"],
            kind=data["event"],
            event_date=data["event_date"],
            reporter_kind=data["reporter_kind"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            relationship=data["relationship"],
            note=data["note"],
            channel=ReportChannel.API,
            reference=data["reference"],
            by=request.user,
        )
        return Response(
            StopEventReportOutputSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class StopEventReportDetailApi(APIView):
    """GET: a report's status: deadline, on time, and where its verification stands."""

    required_scope = "read"

    @extend_schema(
        responses={200: StopEventReportOutputSerializer}, summary="A stop-event report's status"
    )
    def get(self, request: AuthenticatedRequest, reference: str) -> Response:
        reports = StopEventReport.objects.filter(channel=ReportChannel.API, reference=reference)
        if not request.user.has_perm("eligibility.view_stopeventreport"):
            reports = reports.filter(recorded_by=request.user)  # a sender sees its own reports
        report = get_object_or_404(reports)
        return Response(StopEventReportOutputSerializer(report).data)
