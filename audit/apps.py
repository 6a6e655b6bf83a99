from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit 审计"

    def ready(self) -> None:
        from audit.jobs import verify_chain_job
        from core.jobs import register_job_kind

        register_job_kind("audit.verify_chain", verify_chain_job)
