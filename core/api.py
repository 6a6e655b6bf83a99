"""API conventions every app shares: one error format, cursor pagination, Idempotency-Key."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core import calendar, crypto
from core.errors import DomainError, InvalidInputError
from core.models import IdempotencyRecord, IdempotencyState


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every error as {"code", "message", "fields"} (DomainError, validation, 404, DRF)."""
    if isinstance(exc, InvalidInputError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, DomainError):
        body = error_body(exc.code, exc.message)
        if exc.extra:
            body["extra"] = exc.extra
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        return Response(
            error_body("invalid", "; ".join(exc.messages), fields),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return Response(error_body("not_found", "Not found."), status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            "invalid", "The request has invalid fields.", _flatten(exc.detail)
        )
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(code, str(exc.detail))
    return response


class PublicRateThrottle(AnonRateThrottle):
    scope = "public"


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique key per operation (e.g. a UUID). Resending the same key with the same body "
        "returns the first response and has one effect; the same key with a different body gets "
        "422; while the first request is still running, 409. Keys are kept 48 hours per client."
    ),
)
# An in-progress key whose request died (killed process) may be taken over after this long.
_STALE_IN_PROGRESS = timedelta(minutes=10)


def _client_of(request: Request) -> str:
    if request.auth is not None and hasattr(request.auth, "application"):
        return f"client:{request.auth.application.client_id}"
    return f"user:{request.user.pk}"


def _fingerprint(request: Request) -> str:
    """A keyed hash of the request: bodies carry ID numbers, and a plain SHA-256 of an 18-digit
    number with a known structure could be reversed by trying them all (Art. 49)."""
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return crypto.keyed_hash(f"{request.method} {request.path}\n{body}", purpose="idempotency")


PostHandler = Callable[..., Response]


def idempotent(post: PostHandler) -> PostHandler:
    """Honour the Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header).

    The view and the storing of its response commit in one transaction, so a retry after a crash
    either sees the stored response or runs the operation for the first time: one effect.
    """

    @wraps(post)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return post(view, request, *args, **kwargs)
        if len(key) > 255:
            raise InvalidInputError("Idempotency-Key is longer than 255 characters.")
        client, fingerprint = _client_of(request), _fingerprint(request)
        record = _claim(client, key, fingerprint)
        if record is not None:
            return record
        try:
            with transaction.atomic():
                before_view = transaction.savepoint_create()
                try:
                    response = post(view, request, *args, **kwargs)
                except Exception as exc:  # rendered here so the answer can be stored
                    response = view.handle_exception(exc)
                if response.status_code >= 500:
                    raise _ServerError(response)
                if response.status_code >= 400:  # a refusal changes nothing, but is remembered
                    transaction.savepoint_rollback(before_view)
                IdempotencyRecord.objects.filter(client=client, key=key).update(
                    state=IdempotencyState.COMPLETED,
                    response_status=response.status_code,
                    response_body=response.data,
                    completed_at=timezone.now(),
                )
        except _ServerError as failed:
            IdempotencyRecord.objects.filter(client=client, key=key).delete()
            return failed.response
        except BaseException:
            IdempotencyRecord.objects.filter(client=client, key=key).delete()
            raise
        return response

    return wrapper


class _ServerError(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _claim(client: str, key: str, fingerprint: str) -> Response | None:
    """Claim the key for this request (None), or answer from an earlier one."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                client=client, key=key, fingerprint=fingerprint, state=IdempotencyState.IN_PROGRESS
            )
        return None
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(client=client, key=key)
    if record.fingerprint != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused",
                "This Idempotency-Key was already used with a different request body.",
            ),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if record.state == IdempotencyState.IN_PROGRESS:
        stale = timezone.now() - _STALE_IN_PROGRESS
        taken_over = IdempotencyRecord.objects.filter(
            pk=record.pk, state=IdempotencyState.IN_PROGRESS, created_at__lt=stale
        ).update(created_at=timezone.now())
        if taken_over:
            return None
        return Response(
            error_body(
                "idempotency_conflict",
                "A request with this Idempotency-Key is still being processed; retry later.",
            ),
            status=status.HTTP_409_CONFLICT,
        )
    replay = Response(record.response_body, status=record.response_status)
    replay["Idempotent-Replayed"] = "true"
    return replay


class CalendarDeadlineApi(APIView):
    """The date by which something started on `start` must be done, in Chinese working days."""

    required_scope = "public"
    authentication_classes: list[type] = []
    throttle_classes = [PublicRateThrottle]

    class InputSerializer(serializers.Serializer[Any]):
        start = serializers.DateField(input_formats=["%Y-%m-%d"])
        working_days = serializers.IntegerField(min_value=0, max_value=1000)

    class OutputSerializer(serializers.Serializer[Any]):
        start = serializers.DateField()
        working_days = serializers.IntegerField()
        deadline = serializers.DateField(source="date")
        provisional = serializers.BooleanField(
            help_text="True when a year on the way has no official holiday notice yet."
        )

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OutputSerializer},
        summary="Statutory deadline in working days (工作日)",
        description=(
            "The start day is not counted: the first working day after `start` is day 1 and the "
            "Nth is the deadline (民法典 Art. 201). Weekends and public holidays are off; make-up "
            "working days (调休) are on. No login needed."
        ),
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        deadline = calendar.add_working_days(
            params.validated_data["start"], params.validated_data["working_days"]
        )
        return Response(self.OutputSerializer(deadline).data)
