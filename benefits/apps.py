from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "Benefits 待遇"

    def ready(self) -> None:
        from benefits.selectors import register_policy_keys

        register_policy_keys()
