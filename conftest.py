"""Fixtures shared by every app's tests: accounts per role, a region and agency, API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from core.models import Agency, Region, RegionLevel

PASSWORD = "Test-Pass-2026!"


@pytest.fixture(autouse=True)
def _clear_cache(settings: Any) -> None:
    """Forget rate-limit counters between tests, only this worker's (others share the Redis db)."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _restore_registries() -> Any:
    """Tests may register their own case call-backs or calendar dependents; the apps' real ones
    (registered once, in AppConfig.ready) come back afterwards for the next test."""
    from cases import handlers
    from core import calendar

    saved_handlers = dict(handlers._handlers)
    saved_dependents = dict(calendar._dependents)
    yield
    handlers._handlers.clear()
    handlers._handlers.update(saved_handlers)
    calendar._dependents.clear()
    calendar._dependents.update(saved_dependents)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def region(db: Any) -> Region:
    beijing = Region.objects.create(
        code="110000", name="北京市", name_en="Beijing", level=RegionLevel.PROVINCE
    )
    beijing.pooling_region = beijing
    beijing.save(update_fields=["pooling_region"])
    return beijing


@pytest.fixture
def other_region(db: Any) -> Region:
    guangzhou = Region.objects.create(
        code="440100", name="广州市", name_en="Guangzhou", level=RegionLevel.PREFECTURE
    )
    guangzhou.pooling_region = guangzhou
    guangzhou.save(update_fields=["pooling_region"])
    return guangzhou


@pytest.fixture
def agency(region: Region) -> Agency:
    return Agency.objects.create(code="BJ", name="北京市社会保险经办机构", region=region)


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: Any, agency: Agency) -> MakeUser:
    counter = iter(range(1, 10_000))

    def make(*roles: Role, username: str | None = None, **fields: Any) -> User:
        is_employer = Role.EMPLOYER in roles
        defaults: dict[str, Any] = {"is_staff": not is_employer and Role.API_CLIENT not in roles}
        if not is_employer:
            defaults["agency"] = agency
        defaults.update(fields)
        name = username or f"{(roles[0].value if roles else 'user')}{next(counter)}"
        user = User(username=name, **defaults)
        user.set_password(PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        return user

    return make


@pytest.fixture
def gov_client(db: Any, agency: Agency) -> dict[str, Any]:
    """An OAuth2 client with every agency scope, like the demo's government system."""
    from accounts.scopes import AGENCY_SCOPES
    from accounts.services import api_client_create

    client = api_client_create(
        name="Test government system",
        client_id="test-gov",
        client_secret="test-gov-secret",
        scopes=AGENCY_SCOPES,
        agency_id=agency.pk,
        by=None,
    )
    return {"client": client, "client_id": "test-gov", "secret": "test-gov-secret"}


def obtain_token(client_id: str, secret: str, scope: str | None = None) -> Any:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return APIClient().post("/o/token/", data, HTTP_AUTHORIZATION=_basic(client_id, secret))


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def gov_api(gov_client: dict[str, Any]) -> APIClient:
    """An APIClient carrying a bearer token with every scope."""
    response = obtain_token(gov_client["client_id"], gov_client["secret"])
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


@pytest.fixture(scope="session")
def _browser() -> Any:
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser: Any) -> Any:
    """A fresh browser page (own cookies) for one test; use with live_server."""
    context = _browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
