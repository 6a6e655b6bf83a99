"""Registration API for persons, employments (payroll software), contribution batches (the
collection authority), arrears and shared records. Thin views: every rule is in services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import access_log_record
from core.api import IDEMPOTENCY_HEADER, idempotent
from core.errors import PermissionDeniedError
from core.models import Region
from core.types import AuthenticatedRequest
from registration import selectors
from registration.errors import RegionUnknownError
from registration.models import (
    ArrearsKind,
    ContributionBatch,
    Employer,
    EmploymentEndReason,
    HukouType,
    InsuredPerson,
    RegistrationChannel,
    Sex,
    SharedRecordKind,
)
from registration.services import comparison as comparing
from registration.services import contributions, employers, employments, persons


def _refuse_employer_users(request: AuthenticatedRequest) -> None:
    if request.user.employer_id is not None:
        raise PermissionDeniedError("单位用户不能执行此操作 / employer users cannot do this")


def _client_region(request: AuthenticatedRequest, code: str | None) -> Region:
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise RegionUnknownError(f"区划代码{code}未知 / unknown region code {code}")
        return region
    application = getattr(request.auth, "application", None)
    agency = getattr(application, "agency", None) or request.user.agency
    if agency is None:
        raise serializers.ValidationError({"region_code": ["region_code is required"]})
    return agency.region


class PersonOutputSerializer(serializers.ModelSerializer[InsuredPerson]):
    id_number = serializers.CharField(source="masked_id_number")
    region_code = serializers.CharField(source="region.code")

    class Meta:
        model = InsuredPerson
        fields = ["id", "id_number", "name", "birth_date", "sex", "status", "region_code"]


class PersonCollectionApi(APIView):
    """GET ?id_number=: find one person (the answer masks the number). POST: register a person
    from another authority's data (Art. 8), idempotent by ID number."""

    required_scopes = {"GET": "read", "POST": "registration:write"}

    class InputSerializer(serializers.Serializer[Any]):
        id_number = serializers.CharField(max_length=18)
        name = serializers.CharField(max_length=100)
        birth_date = serializers.DateField(required=False)
        sex = serializers.ChoiceField(choices=Sex.choices, required=False)
        ethnicity = serializers.CharField(max_length=20, required=False, default="")
        hukou_type = serializers.ChoiceField(choices=HukouType.choices, required=False, default="")
        hukou_address = serializers.CharField(max_length=300, required=False, default="")
        phone = serializers.CharField(max_length=30, required=False, default="")
        address = serializers.CharField(max_length=300, required=False, default="")
        region_code = serializers.RegexField(r"^\d{6}$", required=False)

        def validate_id_number(self, value: str) -> str:
            try:
                return persons.citizen_id_parse(value).number
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict["id_number"]) from exc

    @extend_schema(
        parameters=[OpenApiParameter("id_number", str, required=True)],
        responses={200: PersonOutputSerializer},
        summary="Find a person by citizen ID number",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        number = request.query_params.get("id_number", "")
        person = selectors.person_get_by_id_number(number, user=request.user)
        if person is None:
            return Response(
                {"code": "not_found", "message": "Not found.", "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        access_log_record(
            actor=request.user, subject=person, purpose="API lookup by ID number", fields=["name"]
        )
        return Response(PersonOutputSerializer(person).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: PersonOutputSerializer, 200: PersonOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Register a person from another authority's data",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        _refuse_employer_users(request)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        region = _client_region(request, data.pop("region_code", None))
        person, created = persons.person_register(
            region=region, channel=RegistrationChannel.SHARED_DATA, by=request.user, **data
        )
        return Response(
            PersonOutputSerializer(person).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _employer_for(request: AuthenticatedRequest, employer_id: int) -> Employer:
    """The employer, if the caller may act for it; 404 otherwise (never reveal another's)."""
    return get_object_or_404(Employer.objects.visible_to(request.user), pk=employer_id)


def _own_employer(request: AuthenticatedRequest, employer_id: int) -> Employer:
    """The employer of an employer user (a person or its payroll software), and only that: the
    "employer" scope is never an agency's, so nobody else acts here. 404 for any other id."""
    if request.user.employer_id != employer_id:
        raise Http404
    return _employer_for(request, employer_id)


class EmploymentOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    id_number = serializers.CharField(source="person.masked_id_number")
    name = serializers.CharField(source="person.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    end_reason = serializers.CharField()
    contribution_base = serializers.DecimalField(max_digits=12, decimal_places=2)


class EmployeeStartSerializer(serializers.Serializer[Any]):
    id_number = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100, allow_blank=True)
    start_date = serializers.DateField()
    contribution_base = serializers.DecimalField(max_digits=12, decimal_places=2)
    phone = serializers.CharField(max_length=30, required=False, default="")
    ethnicity = serializers.CharField(max_length=20, required=False, default="")


class EmployeeEndSerializer(serializers.Serializer[Any]):
    id_number = serializers.CharField(max_length=30)
    end_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=EmploymentEndReason.choices)


class EmployeeBaseSerializer(serializers.Serializer[Any]):
    id_number = serializers.CharField(max_length=30)
    effective_month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$")
    contribution_base = serializers.DecimalField(max_digits=12, decimal_places=2)


def _rows_payload(serializer: type[serializers.Serializer[Any]], data: Any) -> list[Any]:
    class Payload(serializers.Serializer[Any]):
        employees = serializer(many=True, allow_empty=False, max_length=10_000)  # type: ignore[call-arg]

    payload = Payload(data=data)
    payload.is_valid(raise_exception=True)
    return list(payload.validated_data["employees"])


def inline_list(serializer: type[serializers.Serializer[Any]]) -> Any:
    return inline_serializer(
        name=f"{serializer.__name__.removesuffix('Serializer')}List",
        fields={"employees": serializer(many=True)},
    )


class EmployeeCollectionApi(APIView):
    """GET: the employer's current employees. POST: 增员, one or many; all or nothing, with the
    row-by-row report in `extra.errors` (row = position in `employees`, from 1). For the
    employer's own people and its payroll software (scope "employer")."""

    required_scope = "employer"

    @extend_schema(responses={200: EmploymentOutputSerializer(many=True)})
    def get(self, request: AuthenticatedRequest, employer_id: int) -> Response:
        employer = _own_employer(request, employer_id)
        rows = selectors.employees_of(employer=employer)[:10_000]
        access_log_record(
            actor=request.user,
            subject=employer,
            purpose="API: employee list",
            fields=["employees: name, id_number(masked), base"],
        )
        return Response({"results": EmploymentOutputSerializer(rows, many=True).data})

    @extend_schema(
        request=inline_list(EmployeeStartSerializer),
        responses={201: EmploymentOutputSerializer(many=True)},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Add employees (增员)",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, employer_id: int) -> Response:
        employer = _own_employer(request, employer_id)
        rows = [
            employments.StartRow(row=number, **item)
            for number, item in enumerate(_rows_payload(EmployeeStartSerializer, request.data), 1)
        ]
        started = employments.employments_start(employer_id=employer.pk, rows=rows, by=request.user)
        return Response(
            {"results": EmploymentOutputSerializer(started, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class EmployeeEndApi(APIView):
    """减员: end employments with their reasons (the reason feeds unemployment eligibility)."""

    required_scope = "employer"

    @extend_schema(
        request=inline_list(EmployeeEndSerializer),
        responses={200: EmploymentOutputSerializer(many=True)},
        parameters=[IDEMPOTENCY_HEADER],
        summary="End employments (减员)",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, employer_id: int) -> Response:
        employer = _own_employer(request, employer_id)
        rows = [
            employments.EndRow(row=number, **item)
            for number, item in enumerate(_rows_payload(EmployeeEndSerializer, request.data), 1)
        ]
        ended = employments.employments_end(employer_id=employer.pk, rows=rows, by=request.user)
        return Response({"results": EmploymentOutputSerializer(ended, many=True).data})


class EmployeeBaseApi(APIView):
    """Change contribution bases from a month on."""

    required_scope = "employer"

    @extend_schema(
        request=inline_list(EmployeeBaseSerializer),
        responses={
            200: inline_serializer("BaseChangeOutput", {"changed": serializers.IntegerField()})
        },
        parameters=[IDEMPOTENCY_HEADER],
        summary="Change contribution bases",
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, employer_id: int) -> Response:
        from datetime import date

        employer = _own_employer(request, employer_id)
        rows = [
            employments.BaseRow(
                row=number,
                id_number=item["id_number"],
                effective_month=date.fromisoformat(item["effective_month"] + "-01"),
                contribution_base=item["contribution_base"],
            )
            for number, item in enumerate(_rows_payload(EmployeeBaseSerializer, request.data), 1)
        ]
        changes = employments.employments_base_change(
            employer_id=employer.pk, rows=rows, by=request.user
        )
        return Response({"changed": len(changes)})


class BatchOutputSerializer(serializers.ModelSerializer[ContributionBatch]):
    batch_id = serializers.CharField(source="external_id")

    class Meta:
        model = ContributionBatch
        fields = [
            "batch_id",
            "status",
            "records_received",
            "records_loaded",
            "records_rejected",
        ]

    def to_representation(self, instance: ContributionBatch) -> dict[str, Any]:
        # "errors" is added here: a serializer field of that name would hide Serializer.errors.
        body = dict(super().to_representation(instance))
        body["errors"] = [
            dict(row) for row in instance.errors.values("line", "field", "message")[:1000]
        ]
        return body


class ContributionBatchApi(APIView):
    """POST: a batch of contribution records from the tax / collection authority (Art. 11).
    Idempotent by `batch_id`: the same id again answers 200 with the first result. Good records
    load; bad ones come back in `errors` (line, field, message) to correct and resend."""

    required_scope = "contributions:write"

    class InputSerializer(serializers.Serializer[Any]):
        batch_id = serializers.CharField(max_length=64)
        region_code = serializers.RegexField(r"^\d{6}$", required=False)
        records = serializers.ListField(
            child=serializers.DictField(), allow_empty=False, max_length=1_000_000
        )

    @extend_schema(
        request=InputSerializer,
        responses={201: BatchOutputSerializer, 200: BatchOutputSerializer},
        summary="Send contribution records",
        description=(
            "Each record: `line`, `id_number`, `insurance_type`, `month` (YYYY-MM), `base`, "
            "`employer_amount`, `personal_amount`, `source` (collection, back_payment, "
            "transfer_in), optional `credit_code` and `region_code`."
        ),
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        batch, created = contributions.contribution_batch_receive(
            external_id=data["batch_id"],
            records=data["records"],
            region=_client_region(request, data.get("region_code")),
            by=request.user,
        )
        return Response(
            BatchOutputSerializer(batch).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ContributionBatchDetailApi(APIView):
    required_scope = "contributions:write"

    @extend_schema(responses={200: BatchOutputSerializer}, summary="A batch and its errors")
    def get(self, request: AuthenticatedRequest, batch_id: str) -> Response:
        batch = get_object_or_404(ContributionBatch, external_id=batch_id)
        return Response(BatchOutputSerializer(batch).data)


class ArrearsApi(APIView):
    """The collection authority reports what an employer owes of one kind (Art. 10)."""

    required_scope = "contributions:write"

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=ArrearsKind.choices)
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
        as_of = serializers.DateField()
        reference = serializers.CharField(max_length=100, required=False, default="")

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "ArrearsOutput",
                {"employer_id": serializers.IntegerField(), "outstanding": serializers.CharField()},
            )
        },
        summary="Report an employer's outstanding balance",
    )
    def post(self, request: AuthenticatedRequest, employer_id: int) -> Response:
        employer = _employer_for(request, employer_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        employers.employer_arrears_report(
            employer_id=employer.pk, by=request.user, **payload.validated_data
        )
        total = selectors.employer_arrears_total(employer_id=employer.pk)
        return Response({"employer_id": employer.pk, "outstanding": str(total)})


class SharedRecordApi(APIView):
    """Records other authorities share (Art. 8): business changes and deregistrations, deaths,
    hukou changes. Each is compared with what was declared at once (Art. 9)."""

    required_scope = "feeds:write"

    class InputSerializer(serializers.Serializer[Any]):
        reference = serializers.CharField(max_length=100)
        kind = serializers.ChoiceField(choices=SharedRecordKind.choices)
        event_date = serializers.DateField()
        credit_code = serializers.CharField(max_length=18, required=False, default="")
        id_number = serializers.CharField(max_length=18, required=False, default="")

        def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
            fields = super().get_fields()
            # "data" is added here: a class attribute of that name would hide Serializer.data.
            fields["data"] = serializers.DictField(required=False, default=dict)
            return fields

    @extend_schema(
        request=InputSerializer,
        responses={
            (201, "application/json"): inline_serializer(
                "SharedRecordOutput",
                {"reference": serializers.CharField(), "discrepancies": serializers.IntegerField()},
            )
        },
        summary="Share a record from another authority",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record, created = comparing.shared_record_receive(by=request.user, **payload.validated_data)
        return Response(
            {
                "reference": record.reference,
                "discrepancies": record.discrepancies.count(),
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
