from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases 案件"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.roles import Role, extend_role_permissions
        from cases.demo import seed_cases
        from cases.services import cases_recompute_for_year
        from core.calendar import register_dependent
        from core.demo import register_seeder
        from core.policy import register_key

        extend_role_permissions(
            Role.CLERK, ["cases.view_case", "cases.handle_case", "cases.view_serviceitem"]
        )
        extend_role_permissions(
            Role.REVIEWER, ["cases.view_case", "cases.review_case", "cases.view_serviceitem"]
        )
        extend_role_permissions(
            Role.SUPERVISOR,
            ["cases.view_case", "cases.supervise_case", "cases.view_serviceitem"],
        )
        extend_role_permissions(Role.AUDITOR, ["cases.view_case", "cases.view_serviceitem"])
        extend_role_permissions(
            Role.SYSTEM_ADMIN, ["cases.view_serviceitem", "cases.view_itemmaterial"]
        )

        register_key(
            "four_eyes_reviewer_threshold",
            "decimal",
            "Art. 37: a decision above this amount (yuan) needs a reviewer who is not the maker",
        )
        register_key(
            "four_eyes_supervisor_threshold",
            "decimal",
            "Art. 37: a decision above this amount (yuan) also needs a supervisor",
        )
        register_dependent("cases", cases_recompute_for_year)
        register_seeder(50, "cases", seed_cases)
        post_migrate.connect(_seed_reference_data, sender=self)


def _seed_reference_data(**kwargs: Any) -> None:
    """A fresh or flushed database gets the catalogue and the four-eyes defaults back."""
    from cases.catalogue_seed import seed_catalogue, seed_policy_defaults
    from cases.models import ItemMaterial, ServiceItem
    from core.models import PolicyParameter

    seed_catalogue(ServiceItem, ItemMaterial)
    seed_policy_defaults(PolicyParameter)
