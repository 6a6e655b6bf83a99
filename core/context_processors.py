"""Values every page needs: the portal's name and the user's roles for the navigation."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = user.role_names if user is not None and user.is_authenticated else frozenset()
    return {"demo_mode": settings.DEMO_MODE, "user_roles": roles}
