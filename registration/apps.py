from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Registration 登记"

    def ready(self) -> None:
        from accounts.roles import Role, extend_role_permissions
        from core.demo import register_seeder
        from core.jobs import register_job_kind
        from registration.demo import seed_account_interest, seed_employers, seed_people
        from registration.services.uploads import JOB_KIND, upload_run

        register_seeder(30, "employers", seed_employers)
        register_seeder(60, "people and contributions", seed_people)
        register_seeder(100, "account interest", seed_account_interest)
        register_job_kind(JOB_KIND, upload_run)
        self._connect_cases()
        staff_reads = [
            "registration.view_insuredperson",
            "registration.view_contributionrecord",
            "registration.view_employment",
            "registration.view_enrolment",
            "registration.view_personalaccount",
        ]
        handling = [
            "registration.view_discrepancy",
            "registration.change_discrepancy",
            "registration.view_unmasked_identifiers",
        ]
        extend_role_permissions(Role.CLERK, [*staff_reads, *handling])
        extend_role_permissions(Role.REVIEWER, [*staff_reads, *handling])
        extend_role_permissions(Role.SUPERVISOR, [*staff_reads, "registration.view_discrepancy"])

    def _connect_cases(self) -> None:
        """Applications that need handling go through the case engine (Arts. 6, 10)."""
        from django.db.models.signals import post_migrate

        try:
            from cases import handlers
        except ImportError:  # the case engine is not installed (yet): nothing to connect to
            return
        from registration.services import applications

        for item_code in (
            applications.PERSON_ITEM,
            applications.CHANGE_ITEM,
            applications.EMPLOYER_ITEM,
        ):
            handlers.register(
                item_code,
                on_decided=applications.application_decided,
                on_finished=applications.application_finished,
            )
        post_migrate.connect(applications.catalogue_ensure, sender=self)
