from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "Benefits 待遇"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.roles import Role, extend_role_permissions
        from benefits.catalogue import catalogue_ensure
        from benefits.demo import seed_benefits
        from benefits.selectors import register_policy_keys
        from benefits.services.claims import handlers_register
        from core.demo import register_seeder
        from core.policy import register_key

        register_policy_keys()
        handlers_register()
        post_migrate.connect(catalogue_ensure, sender=self)
        register_seeder(70, "benefits", seed_benefits)
        register_key(
            "offset_cap_ratio",
            "decimal",
            "Art. 46: the most of one benefit payment an overpayment offset may take, as a share "
            "(e.g. 0.5); the payment run deducts the smaller of this and offset_cap_amount",
        )
        register_key(
            "offset_cap_amount",
            "decimal",
            "Art. 46: the most, in yuan, an overpayment offset may take from one benefit payment",
        )
        register_key(
            "debt_repay_days",
            "decimal",
            "Art. 46: calendar days a repayment order gives for repayment (30 when not set)",
        )
        register_key(
            "pension_start_rule",
            "choice",
            "When a granted pension starts: MONTH_AFTER_RETIREMENT or RETIREMENT_MONTH "
            "(benefit-rules.md (b): local practice)",
        )
        register_key(
            "training_subsidy_amount",
            "decimal",
            "Art. 24 ¶3: vocational training subsidy, yuan (training_subsidy_amount_<level> "
            "for a certificate level, where set)",
        )
        reader = [
            "benefits.view_claim",
            "benefits.view_claim_calculation",
            "benefits.view_award",
            "benefits.view_payment",
            "benefits.view_paymentrun",
            "benefits.view_debt",
            "benefits.view_fraudreferral",
        ]
        extend_role_permissions(
            Role.CLERK,
            [*reader, "benefits.start_paymentrun", "benefits.hold_award", "benefits.manage_debt"],
        )
        extend_role_permissions(Role.REVIEWER, reader)
        extend_role_permissions(
            Role.SUPERVISOR,
            [
                *reader,
                "benefits.approve_paymentrun",
                "benefits.start_paymentrun",
                "benefits.hold_award",
                "benefits.manage_debt",
                "benefits.write_off_debt",
            ],
        )
        extend_role_permissions(Role.AUDITOR, reader)
