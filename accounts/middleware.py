"""Staff sessions: two-factor authentication when required, and periodic password change."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/accounts/logout/", "/accounts/otp/")


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff and not request.path.startswith(_ALWAYS_ALLOWED):
            if settings.OTP_REQUIRED and not user.is_verified():  # type: ignore[attr-defined]
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:otp_verify')}?{query}")
            password_page = reverse("accounts:password_change")
            if user.password_is_expired and request.path != password_page:
                return redirect(password_page)
        return self.get_response(request)
