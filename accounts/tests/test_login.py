"""Log-in: lockout, two factors, idle sessions, disabling, password age."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.services import user_deactivate
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_in_chinese_and_english(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_successful_login_rotates_the_session(client, make_user):
    user = make_user(Role.CLERK)
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-fixed-session-id"
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-fixed-session-id"
    assert client.get("/").status_code == 200


def test_lockout_after_five_failures_same_answer_for_unknown_user(client, make_user):
    user = make_user(Role.CLERK)
    wrong = [_login(client, user.username, "wrong-password") for _ in range(5)]
    unknown = [_login(client, "nobody-here", "wrong-password") for _ in range(5)]
    # The first four failures look the same for a real and an unknown user...
    assert [r.status_code for r in wrong[:4]] == [r.status_code for r in unknown[:4]] == [200] * 4
    assert wrong[0].content.decode().count("error-summary") == 1
    assert unknown[0].content.decode().count("error-summary") == 1
    # ...and the fifth locks both out.
    assert wrong[4].status_code == unknown[4].status_code == 429
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == 429  # even the right password, for 15 minutes


def test_lockout_ends_after_fifteen_minutes(client, make_user, time_machine):
    user = make_user(Role.CLERK)
    time_machine.move_to(timezone.now())
    for _ in range(5):
        _login(client, user.username, "wrong-password")
    assert _login(client, user.username, PASSWORD).status_code == 429
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_two_factor_is_required_for_staff_when_the_setting_says_so(client, make_user, settings):
    settings.OTP_REQUIRED = True
    user = make_user(Role.CLERK)
    _login(client, user.username, PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/otp/")
    enrol = client.get(response.url)
    assert "data:image/svg+xml" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post("/accounts/otp/", {"token": code}).status_code == 302
    assert client.get("/").status_code == 200
    # The same code cannot be used again (a second session replaying it is refused).
    from django.test import Client

    other = Client()
    _login(other, user.username, PASSWORD)
    replay = other.post("/accounts/otp/", {"token": code})
    assert replay.status_code == 200
    assert other.get("/").status_code == 302


def test_employer_users_are_not_asked_for_a_second_factor(client, make_user, settings, region):
    from registration.models import Employer

    settings.OTP_REQUIRED = True
    employer = Employer.objects.create(
        credit_code="91110000600037341L",
        name="甲",
        region=region,
        legal_representative="x",
        address="x",
    )
    user = make_user(Role.EMPLOYER, employer=employer)
    _login(client, user.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_sessions_expire_after_thirty_idle_minutes(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    user = make_user(Role.CLERK)
    _login(client, user.username, PASSWORD)
    from django.contrib.sessions.models import Session

    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert timezone.now() + timedelta(minutes=29) < session.expire_date
    assert session.expire_date <= timezone.now() + timedelta(minutes=31)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302


def test_disabling_an_account_ends_its_sessions(client, make_user):
    user = make_user(Role.CLERK)
    admin = make_user(Role.SYSTEM_ADMIN)
    _login(client, user.username, PASSWORD)
    assert client.get("/").status_code == 200
    user_deactivate(user_id=user.pk, by=admin, reason="left the agency")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    assert client.get("/").status_code == 302


def test_expired_staff_password_must_be_changed(client, make_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = make_user(Role.CLERK)
    type(user).objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    _login(client, user.username, PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/password/"
    simple = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "abcdefghijkl",
            "new_password2": "abcdefghijkl",
        },
    )
    assert simple.status_code == 200  # refused: one character class
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "New-Pass-2027!",
            "new_password2": "New-Pass-2027!",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
