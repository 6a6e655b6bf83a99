from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "Transfers 关系转移"

    def ready(self) -> None:
        from accounts.roles import Role, extend_role_permissions
        from cases import handlers
        from core.calendar import register_dependent
        from core.demo import register_seeder
        from transfers import schema  # noqa: F401 - registers the OpenAPI extension
        from transfers.demo import seed_transfers
        from transfers.procedures import STEPS
        from transfers.services.steps import (
            on_step_decided,
            on_step_finished,
            steps_recompute_for_year,
        )

        extend_role_permissions(
            Role.CLERK,
            [
                "transfers.view_transfer",
                "transfers.handle_transfer",
                "transfers.resolve_reconciliation",
                "accounts.scope_transfers",
            ],
        )
        for role in (Role.REVIEWER, Role.SUPERVISOR):
            extend_role_permissions(role, ["transfers.view_transfer", "accounts.scope_transfers"])
        extend_role_permissions(Role.AUDITOR, ["transfers.view_transfer"])
        extend_role_permissions(Role.SYSTEM_ADMIN, ["transfers.view_partneragency"])
        codes = {spec.item_code for steps in STEPS.values() for spec in steps if spec.item_code}
        for code in sorted(codes):
            handlers.register(code, on_decided=on_step_decided, on_finished=on_step_finished)
        register_dependent("transfers", steps_recompute_for_year)
        register_seeder(80, "transfers", seed_transfers)
