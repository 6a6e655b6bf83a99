"""Conventions every API view shares: a declared scope, the error format, offline docs."""

import pytest
from django.urls import get_resolver
from rest_framework.views import APIView

from accounts.permissions import required_scope
from accounts.scopes import PUBLIC, SCOPES


def _api_views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                view = getattr(pattern.callback, "view_class", None) or getattr(
                    pattern.callback, "cls", None
                )
                if view is not None and issubclass(view, APIView):
                    yield prefix + str(pattern.pattern), view

    return [
        (path, view)
        for path, view in walk(get_resolver().url_patterns)
        if path.startswith("api/v1/")
    ]


def test_every_api_view_declares_its_scope():
    views = _api_views()
    assert views, "no API views found"
    for path, view in views:
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                scope = required_scope(view, method.upper())
                assert scope in {*SCOPES, PUBLIC}, f"{path} {method} declares no valid scope"


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/calendar/deadline" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_unauthenticated_api_call_gets_the_error_format(api_client):
    response = api_client.get("/api/v1/employers")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    """Integrators generate clients from it: no errors, no warnings (clashing names, guesses)."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "CalendarDeadlineOutput" in (tmp_path / "s.yml").read_text()
