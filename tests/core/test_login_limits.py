"""Login and password-reset limits beside axes's (username, address) lockout (issue 15.6):
guesses at one account from many addresses and from one address at many accounts are slowed by a
doubling delay; a browser the account logged in from before is not slowed on it, so a stranger's
guesses cannot keep its owner out; password-reset mails are limited per account and per address."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core import security
from core.views import THROTTLED
from tests import factories as f

PASSWORD = "Mat-khau-2026"
LOGIN = reverse("login")
RESET = reverse("password_reset")
S = timedelta(seconds=1)


@pytest.fixture
def hoa(db):
    return f.UserFactory(username="hoa", email="hoa@example.org")


def _login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _wait_over(monkeypatch, seconds):
    now = security.time.time()
    monkeypatch.setattr(security.time, "time", lambda: now + seconds)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (9, 0), (10, 5), (11, 10), (12, 20), (17, 640), (18, 900), (50, 900), (10**6, 900)],
)
def test_the_delay_doubles_after_the_free_failures_up_to_the_cap(failures, delay):
    got = security.login_delay(failures, free=10, base=5 * S, cap=900 * S)
    assert got == delay * S


def test_twenty_guesses_from_five_addresses_then_the_right_password_from_a_sixth_is_refused(client, hoa):
    """The attack of issue 15: under axes's limit per address, over the account's across them."""
    for n in range(20):
        response = _login(client, "hoa", "sai-mat-khau", f"10.0.1.{n % 5}")
        assert response.status_code in (200, 429)
    response = _login(client, "hoa", PASSWORD, "10.0.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert str(THROTTLED).split("%")[0] in response.content.decode()


def test_the_account_is_slowed_not_locked(client, hoa, monkeypatch):
    free = settings.LOGIN_THROTTLE["ACCOUNT_FREE_FAILURES"]
    for n in range(free):
        assert _login(client, "hoa", "sai-mat-khau", f"10.0.2.{n}").status_code == 200
    assert _login(client, "hoa", PASSWORD, "10.0.2.200").status_code == 429
    _wait_over(monkeypatch, settings.LOGIN_THROTTLE["BASE_DELAY"].total_seconds() + 1)
    assert _login(client, "hoa", PASSWORD, "10.0.2.200").status_code == 302


def test_a_known_browser_is_not_slowed_by_a_strangers_guesses(client, hoa):
    assert _login(client, "hoa", PASSWORD, "10.0.0.7").status_code == 302
    assert security.DEVICE_COOKIE in client.cookies
    client.post(reverse("logout"))
    stranger = client.__class__()
    for n in range(30):
        _login(stranger, "hoa", "sai-mat-khau", f"10.0.3.{n % 6}")
    assert _login(stranger, "hoa", PASSWORD, "10.0.3.99").status_code == 429
    assert _login(client, "hoa", PASSWORD, "10.0.0.7").status_code == 302  # her office browser


def test_a_forged_device_cookie_counts_for_nothing(client, hoa):
    client.cookies[security.DEVICE_COOKIE] = "hoa"
    for n in range(20):
        _login(client, "hoa", "sai-mat-khau", f"10.0.4.{n % 5}")
    assert _login(client, "hoa", PASSWORD, "10.0.4.99").status_code == 429


def test_forty_failures_over_ten_accounts_from_one_address_are_slowed(client, db):
    users = [f.UserFactory(username=f"can-bo-{n}") for n in range(11)]
    statuses = [
        _login(client, user.username, "sai-mat-khau", "10.0.5.5").status_code
        for user in users[:10]
        for _ in range(4)
    ]
    free = settings.LOGIN_THROTTLE["ADDRESS_FREE_FAILURES"]
    assert statuses[:free] == [200] * free
    assert 429 in statuses[free:]
    # An eleventh account, never guessed at, with its right password: slowed too from that address.
    assert _login(client, users[10].username, PASSWORD, "10.0.5.5").status_code == 429
    assert _login(client, users[10].username, PASSWORD, "10.0.5.6").status_code == 302


def test_the_admin_login_is_slowed_too(client, hoa):
    hoa.is_staff = True
    hoa.save()
    for n in range(20):
        client.post(
            reverse("admin:login"), {"username": "hoa", "password": "sai"}, REMOTE_ADDR=f"10.0.6.{n % 5}"
        )
    client.post(reverse("admin:login"), {"username": "hoa", "password": PASSWORD}, REMOTE_ADDR="10.0.6.99")
    assert "_auth_user_id" not in client.session


# --- password-reset mails ---------------------------------------------------------------------------


def _reset(client, email, address="10.0.0.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@override_settings(PASSWORD_RESET_LIMITS={"WINDOW": timedelta(hours=1), "PER_ACCOUNT": 3, "PER_ADDRESS": 10})
def test_reset_mails_per_account_are_limited_whatever_the_address(client, hoa):
    for n in range(5):
        response = _reset(client, hoa.email, f"10.0.7.{n}")
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 3  # the page says the same; no fourth mail


@override_settings(PASSWORD_RESET_LIMITS={"WINDOW": timedelta(hours=1), "PER_ACCOUNT": 3, "PER_ADDRESS": 10})
def test_reset_requests_per_address_are_limited_whatever_the_account(client, db):
    users = [f.UserFactory(username=f"u{n}", email=f"u{n}@example.org") for n in range(11)]
    statuses = [_reset(client, user.email, "10.0.8.8").status_code for user in users]
    assert statuses == [302] * 10 + [429]
    assert len(mail.outbox) == 10
    assert _reset(client, users[10].email, "10.0.8.9").status_code == 302
