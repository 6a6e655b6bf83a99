from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts 账户"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import roles, schema, signals  # noqa: F401 - signals and schema register

        post_migrate.connect(roles.sync_roles_after_migrate)
