"""docker-compose.yml stays correct for people with Docker (tests never need Docker itself)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_every_service_wired_to_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://si:")
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert (ROOT / "Dockerfile").exists()


def test_env_example_lists_every_required_setting():
    example = (ROOT / ".env.example").read_text()
    for name in (
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "FIELD_ENCRYPTION_KEYS",
        "LOOKUP_HASH_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "OTP_REQUIRED",
    ):
        assert f"{name}=" in example
