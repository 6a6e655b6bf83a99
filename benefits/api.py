"""Public estimators (no login): retirement age, pension, unemployment, work injury, maternity.

People plan their lives with these and other systems rely on them: bad input gets 400 naming the
field ({"code", "message", "fields"}), amounts are decimal strings in yuan with two places.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits import estimates
from benefits.calculators.common import CalculationInputError
from benefits.calculators.maternity import MaternityCase, maternity_allowance
from benefits.calculators.pension import DEFAULT_DIVISOR_STRATEGY, DivisorStrategy, pension_estimate
from benefits.calculators.retirement import RetirementCategory, statutory_retirement
from benefits.calculators.unemployment import unemployment_entitlement
from benefits.calculators.work_injury import work_injury_disability
from core.api import PublicRateThrottle


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class _BirthDateField(serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not estimates.EARLIEST_BIRTH_DATE <= day <= estimates.latest_birth_date():
            raise serializers.ValidationError(
                gettext("Must be between %(earliest)s and today.")
                % {"earliest": estimates.EARLIEST_BIRTH_DATE.isoformat()}
            )
        return day


def _field_error(error: CalculationInputError) -> serializers.ValidationError:
    return serializers.ValidationError({error.field: [estimates.error_message(error)]})


class PublicEstimatorApi(APIView):
    # The nested Input/OutputSerializer names repeat across views; each gets its own component
    # name below so the OpenAPI document does not merge them.
    required_scope = "public"
    authentication_classes: list[type] = []
    throttle_classes = [PublicRateThrottle]


@extend_schema_serializer(component_name="StatutoryAge")
class _AgeSerializer(serializers.Serializer[Any]):
    years = serializers.IntegerField()
    months = serializers.IntegerField()


_CATEGORY_HELP = (
    "male: men (original age 60); female_55: women whose original age was 55 (management and "
    "technical posts); female_50: women whose original age was 50 (women workers)."
)


class RetirementApi(PublicEstimatorApi):
    """Statutory retirement age and month under the gradual reform in force since 2025-01-01."""

    @extend_schema_serializer(component_name="RetirementInput")
    class InputSerializer(serializers.Serializer[Any]):
        birth_date = _BirthDateField(help_text="YYYY-MM-DD; only the month matters.")
        category = serializers.ChoiceField(
            choices=[c.value for c in RetirementCategory], help_text=_CATEGORY_HELP
        )

    @extend_schema_serializer(component_name="RetirementOutput")
    class OutputSerializer(serializers.Serializer[Any]):
        statutory_age = _AgeSerializer()
        retirement_month = serializers.CharField(help_text="YYYY-MM")
        min_contribution_months = serializers.IntegerField(
            help_text="Minimum contribution months for a monthly pension in the retirement year."
        )
        earliest_month = serializers.CharField(help_text="Earliest flexible early retirement.")
        latest_month = serializers.CharField(help_text="Latest flexible delayed retirement.")

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OutputSerializer},
        summary="Statutory retirement age (法定退休年龄) under the 2025 reform",
        description=(
            "国务院关于渐进式延迟法定退休年龄的办法 Art. 1: from 2025-01-01 men and women of "
            "original age 55 are delayed one month every four months, up to 63 and 58; women of "
            "original age 50 one month every two months, up to 55. Art. 2: the minimum "
            "contribution period for a monthly pension rises from 15 years by six months a year "
            "from 2030, to 20 years in 2039. Art. 3: flexible early retirement up to 36 months "
            "(never before the original age) and delayed retirement up to 36 months by agreement; "
            "for people whose statutory month came before 2025-01 both equal the statutory "
            "month. The law counts in months: the day of birth does not matter. No login needed."
        ),
        examples=[
            OpenApiExample(
                "Man born 1970-05-20",
                value={
                    "statutory_age": {"years": 61, "months": 5},
                    "retirement_month": "2031-10",
                    "min_contribution_months": 192,
                    "earliest_month": "2030-05",
                    "latest_month": "2034-10",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = statutory_retirement(
            params.validated_data["birth_date"],
            RetirementCategory(params.validated_data["category"]),
        )
        return Response(
            self.OutputSerializer(
                {
                    "statutory_age": {
                        "years": result.statutory_age.years,
                        "months": result.statutory_age.months,
                    },
                    "retirement_month": str(result.retirement_month),
                    "min_contribution_months": result.min_contribution_months,
                    "earliest_month": str(result.earliest_month),
                    "latest_month": str(result.latest_month),
                }
            ).data
        )


class PensionEstimateApi(PublicEstimatorApi):
    """Monthly basic pension of a person who retires at the statutory month."""

    @extend_schema_serializer(component_name="PensionEstimateInput")
    class InputSerializer(serializers.Serializer[Any]):
        birth_date = _BirthDateField()
        category = serializers.ChoiceField(
            choices=[c.value for c in RetirementCategory], help_text=_CATEGORY_HELP
        )
        contribution_months = serializers.IntegerField(
            min_value=0,
            max_value=estimates.MAX_CONTRIBUTION_MONTHS,
            help_text="Contribution months at retirement, actual plus deemed (视同缴费).",
        )
        average_contribution_index = serializers.DecimalField(
            max_digits=6,
            decimal_places=4,
            min_value=estimates.MIN_CONTRIBUTION_INDEX,
            max_value=estimates.MAX_CONTRIBUTION_INDEX,
            help_text="平均缴费指数: own contribution base / average wage, averaged; 0.6-3.",
        )
        local_average_monthly_wage = _money(
            min_value=Decimal("0.01"),
            max_value=estimates.MAX_WAGE,
            help_text="计发基数: the local prior-year average monthly wage at retirement, yuan.",
        )
        personal_account_balance = _money(
            min_value=Decimal("0"),
            max_value=estimates.MAX_MONEY,
            help_text="Personal account balance at retirement, yuan.",
        )
        divisor_strategy = serializers.ChoiceField(
            choices=[s.value for s in DivisorStrategy],
            default=DEFAULT_DIVISOR_STRATEGY.value,
            help_text="How the months-divisor table is read for an age with months.",
        )

    @extend_schema_serializer(component_name="PensionEstimateOutput")
    class OutputSerializer(serializers.Serializer[Any]):
        eligible = serializers.BooleanField()
        shortfall_months = serializers.IntegerField(
            help_text="Months short of the minimum period; 0 when eligible."
        )
        retirement_month = serializers.CharField(help_text="YYYY-MM")
        months_divisor = serializers.DecimalField(max_digits=5, decimal_places=1)
        base_pension = _money(allow_null=True, help_text="Null when not eligible.")
        account_pension = _money(allow_null=True, help_text="Null when not eligible.")
        total = _money(allow_null=True, help_text="Null when not eligible.")

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        summary="Basic pension estimate (养老金测算)",
        description=(
            "Enterprise employee basic pension at the statutory retirement month (SIL Arts. "
            "15-16; 国发〔2005〕38号 §6). Base pension = (wage + wage × index) / 2 × contribution "
            "years (to the month) × 1%. Account pension = balance / months divisor (计发月数, the "
            "annex table of 国发〔2005〕38号). For an age with months the divisor is read by "
            "`divisor_strategy`: INTERPOLATE_MONTHLY_1DP (default, national default of this "
            "estimator: linear between whole years, one decimal, as Jinan and Sichuan do since "
            "2025; 60y3m -> 137.3) or FLOOR_WHOLE_YEAR (the completed age; 60y3m -> 139). Below "
            "the minimum contribution period (15 years to 2029, rising to 20 by 2039) there is no "
            "monthly pension: `eligible` is false, `shortfall_months` says how many months are "
            "missing and the amounts are null. Transitional pensions (过渡性养老金) are "
            "provincial and not included. Amounts are yuan, rounded half-up to the fen. No login "
            "needed."
        ),
        examples=[
            OpenApiExample(
                "Worked example 1: man born 1964-12, 30 years, index 1.2",
                value={
                    "birth_date": "1964-12-01",
                    "category": "male",
                    "contribution_months": 360,
                    "average_contribution_index": "1.2",
                    "local_average_monthly_wage": "8000.00",
                    "personal_account_balance": "150000.00",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Worked example 1: result",
                value={
                    "eligible": True,
                    "shortfall_months": 0,
                    "retirement_month": "2024-12",
                    "months_divisor": "139.0",
                    "base_pension": "2640.00",
                    "account_pension": "1079.14",
                    "total": "3719.14",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            estimate = pension_estimate(
                birth_date=data["birth_date"],
                category=RetirementCategory(data["category"]),
                contribution_months=data["contribution_months"],
                average_contribution_index=data["average_contribution_index"],
                local_average_monthly_wage=data["local_average_monthly_wage"],
                personal_account_balance=data["personal_account_balance"],
                divisor_strategy=DivisorStrategy(data["divisor_strategy"]),
            )
        except CalculationInputError as error:
            raise _field_error(error) from error
        pension = estimate.pension
        return Response(
            self.OutputSerializer(
                {
                    "eligible": pension.is_eligible,
                    "shortfall_months": pension.shortfall_months,
                    "retirement_month": str(estimate.retirement.retirement_month),
                    "months_divisor": pension.months_divisor,
                    "base_pension": pension.base_pension,
                    "account_pension": pension.account_pension,
                    "total": pension.total,
                }
            ).data
        )


class UnemploymentEstimateApi(PublicEstimatorApi):
    """Whether unemployment benefit can be drawn and for how many months at most."""

    @extend_schema_serializer(component_name="UnemploymentEstimateInput")
    class InputSerializer(serializers.Serializer[Any]):
        contribution_months = serializers.IntegerField(
            min_value=0,
            max_value=estimates.MAX_CONTRIBUTION_MONTHS,
            help_text="Cumulative UI contribution months before this unemployment.",
        )
        carried_over_months = serializers.IntegerField(
            min_value=0,
            max_value=estimates.MAX_CARRIED_OVER_MONTHS,
            default=0,
            help_text="Optional: months left unused from the last spell of benefit.",
        )

    @extend_schema_serializer(component_name="UnemploymentEstimateOutput")
    class OutputSerializer(serializers.Serializer[Any]):
        eligible = serializers.BooleanField()
        max_months = serializers.IntegerField()

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OutputSerializer},
        summary="Unemployment benefit duration (失业保险金领取期限)",
        description=(
            "SIL Art. 45 / 失业保险条例 Art. 14: at least one year of contributions (the person "
            "must also have lost the job against their will and registered as unemployed; this "
            "estimate assumes both). SIL Art. 46 / UIR Art. 17: 1 to under 5 years -> 12 months; "
            "5 to under 10 -> 18; 10 or more -> 24. Unused months of the last spell "
            "(`carried_over_months`) add to the new entitlement, capped at 24; they can be drawn "
            "even after less than a year of new contributions (失业保险金申领发放办法 Art. 15). "
            "The monthly amount is set by each province. No login needed."
        ),
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = unemployment_entitlement(
            contribution_months=params.validated_data["contribution_months"],
            carried_over_months=params.validated_data["carried_over_months"],
        )
        return Response(
            self.OutputSerializer(
                {"eligible": result.is_eligible, "max_months": result.max_months}
            ).data
        )


class WorkInjuryEstimateApi(PublicEstimatorApi):
    """One-off disability grant and monthly allowance for a disability level."""

    @extend_schema_serializer(component_name="WorkInjuryEstimateInput")
    class InputSerializer(serializers.Serializer[Any]):
        level = serializers.IntegerField(
            min_value=1, max_value=10, help_text="Disability level 1 (most severe) to 10."
        )
        own_monthly_wage = _money(
            min_value=Decimal("0"),
            max_value=estimates.MAX_WAGE,
            help_text="Average monthly contribution wage over the 12 months before the injury.",
        )
        local_average_monthly_wage = _money(
            min_value=Decimal("0.01"),
            max_value=estimates.MAX_WAGE,
            help_text="Pooling-area average monthly wage, yuan.",
        )

    @extend_schema_serializer(component_name="WorkInjuryEstimateOutput")
    class OutputSerializer(serializers.Serializer[Any]):
        wage_used = _money(help_text="Own wage held between 60% and 300% of the average.")
        one_off_grant = _money()
        monthly_allowance = _money(allow_null=True, help_text="Null for levels 7-10.")
        allowance_payer = serializers.ChoiceField(
            choices=["fund", "employer"],
            allow_null=True,
            help_text="fund (levels 1-4), employer (levels 5-6), null (levels 7-10).",
        )

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        summary="Work-injury disability benefits (工伤伤残待遇测算)",
        description=(
            "工伤保险条例 Art. 64: the own wage is held between 60% and 300% of the pooling-area "
            "average wage. Arts. 35-37: one-off grant of 27/25/23/21/18/16/13/11/9/7 months of "
            "own wage for levels 1-10; monthly allowance of 90/85/80/75% for levels 1-4, paid by "
            "the work-injury fund, and 70/60% for levels 5-6, paid by the employer when it "
            "cannot arrange work; none for levels 7-10. Top-ups to the local minimum wage are not "
            "included. Amounts are yuan, rounded half-up to the fen. No login needed."
        ),
        examples=[
            OpenApiExample(
                "Level 3, own wage 8,000, average 7,000",
                value={
                    "wage_used": "8000.00",
                    "one_off_grant": "184000.00",
                    "monthly_allowance": "6400.00",
                    "allowance_payer": "fund",
                },
                response_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = work_injury_disability(**payload.validated_data)
        return Response(
            self.OutputSerializer(
                {
                    "wage_used": result.wage_used,
                    "one_off_grant": result.one_off_grant,
                    "monthly_allowance": result.monthly_allowance,
                    "allowance_payer": result.allowance_payer,
                }
            ).data
        )


class MaternityEstimateApi(PublicEstimatorApi):
    """Maternity allowance: the leave days for the case × the employer's average daily wage."""

    @extend_schema_serializer(component_name="MaternityEstimateInput")
    class InputSerializer(serializers.Serializer[Any]):
        employer_average_monthly_wage = _money(
            min_value=Decimal("0.01"),
            max_value=estimates.MAX_WAGE,
            help_text="The employer's prior-year average monthly wage of its employees, yuan.",
        )
        case = serializers.ChoiceField(
            choices=[c.value for c in MaternityCase],
            help_text="normal, difficult birth, miscarriage before / at or after 4 months.",
        )
        extra_infants = serializers.IntegerField(
            min_value=0,
            max_value=estimates.MAX_EXTRA_INFANTS,
            default=0,
            help_text="Infants beyond the first (twins: 1); must be 0 for a miscarriage.",
        )

    @extend_schema_serializer(component_name="MaternityEstimateOutput")
    class OutputSerializer(serializers.Serializer[Any]):
        days = serializers.IntegerField()
        amount = _money()

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        summary="Maternity allowance (生育津贴测算)",
        description=(
            "女职工劳动保护特别规定 Art. 7: 98 days; +15 for a difficult birth; +15 for each "
            "extra infant; miscarriage before 4 months 15 days, at 4 months or later 42 days. "
            "SIL Art. 56 / Art. 8: the allowance follows the employer's prior-year average "
            "monthly wage; daily rate = wage / 30 (the common local formula), rounded to the fen, "
            "× days. Provincial extra leave is not included. No login needed."
        ),
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            result = maternity_allowance(
                employer_average_monthly_wage=data["employer_average_monthly_wage"],
                case=MaternityCase(data["case"]),
                extra_infants=data["extra_infants"],
            )
        except CalculationInputError as error:
            raise _field_error(error) from error
        return Response(self.OutputSerializer({"days": result.days, "amount": result.amount}).data)
