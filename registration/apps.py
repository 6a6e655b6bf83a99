from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Registration 登记"

    def ready(self) -> None:
        from core.demo import register_seeder
        from registration.demo import seed_employers

        register_seeder(30, "employers", seed_employers)
