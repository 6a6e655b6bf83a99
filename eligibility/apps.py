from typing import Any

from django.apps import AppConfig

# National defaults so the duty works from day one; each region sets its own figure.
POLICY_DEFAULTS = [
    ("authentication_cycle_months", "12"),
    ("authentication_reminder_days", "30"),
    ("death_record_suspends_at_once", "0"),
]
POLICY_SOURCE = "系统默认值，各统筹区按本地规定设置 / system default; set the local figure"


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = "Eligibility 资格认证"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.roles import Role, extend_role_permissions
        from cases import handlers
        from core.calendar import register_dependent
        from core.demo import register_seeder
        from core.jobs import register_job_kind
        from core.policy import register_key
        from eligibility.demo import seed_eligibility
        from eligibility.services import comparison, investigations
        from eligibility.services.notice import stop_events_recompute_for_year

        register_key(
            "authentication_cycle_months",
            "decimal",
            "Art. 26: months a beneficiary's authentication (proof of life) stays valid, e.g. 12",
        )
        register_key(
            "authentication_reminder_days",
            "decimal",
            "Art. 26: days before the cycle ends that the beneficiary is reminded, e.g. 30",
        )
        register_key(
            "death_record_suspends_at_once",
            "decimal",
            "Art. 26: 1 = a hit on an official death register suspends payment at once "
            "(0 = hold until verified)",
        )
        register_dependent("eligibility", stop_events_recompute_for_year)
        register_seeder(90, "eligibility", seed_eligibility)
        register_job_kind(comparison.JOB_KIND, comparison.comparison_job)
        handlers.register(
            investigations.ITEM_CODE,
            on_decided=investigations.investigation_on_decided,
            on_finished=investigations.investigation_on_finished,
        )
        clerk = [
            "eligibility.view_feedbatch",
            "eligibility.add_feedbatch",
            "eligibility.view_stopevent",
            "eligibility.view_stopeventreport",
            "eligibility.add_stopeventreport",
            "eligibility.view_creditrecord",
            "eligibility.view_authentication",
            "eligibility.add_authentication",
            "eligibility.view_authenticationcycle",
            "eligibility.view_suspicion",
            "eligibility.view_investigation",
            "eligibility.view_verificationcommission",
            "eligibility.view_comparisonrun",
        ]
        extend_role_permissions(Role.CLERK, [*clerk, "eligibility.investigate"])
        extend_role_permissions(Role.REVIEWER, clerk)
        extend_role_permissions(
            Role.SUPERVISOR,
            [p for p in clerk if p.split(".")[1].startswith("view_")],
        )
        extend_role_permissions(
            Role.AUDITOR, ["eligibility.view_creditrecord", "eligibility.view_stopevent"]
        )
        post_migrate.connect(_seed_reference_data, sender=self)


def _seed_reference_data(**kwargs: Any) -> None:
    """A fresh or flushed database gets the national defaults and the investigation item."""
    from datetime import date

    from core.models import PolicyParameter
    from eligibility.services.investigations import investigation_item_ensure

    investigation_item_ensure()

    for key, value in POLICY_DEFAULTS:
        PolicyParameter.objects.get_or_create(
            key=key,
            region=None,
            valid_from=date(2023, 12, 1),
            defaults={"value": value, "source": POLICY_SOURCE},
        )
