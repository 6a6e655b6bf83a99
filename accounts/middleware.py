"""Staff sessions: two-factor authentication when required, and periodic password change."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/accounts/logout/", "/accounts/otp/")


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff and not request.path.startswith(_ALWAYS_ALLOWED):
            if settings.OTP_REQUIRED and not user.is_verified():  # type: ignore[attr-defined]
                return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
            if self._password_expired(user.password_changed_at) and request.path != reverse(
                "accounts:password_change"
            ):
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _password_expired(changed_at: object) -> bool:
        if not settings.PASSWORD_MAX_AGE_DAYS:
            return False
        if changed_at is None:
            return True
        max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return bool(changed_at < timezone.now() - max_age)  # type: ignore[operator]
