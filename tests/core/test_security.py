"""Security basics: login throttling keyed on username and address, password change and reset,
logout by POST, Content Security Policy with nonces, secure headers, the production deploy check,
and language switching."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.security import client_ip
from tests import factories as f

PASSWORD = "Mat-khau-2026"
LOGIN = reverse("login")
OFFICE = "10.0.0.7"  # officers of one commune share the office's address
HOME = "10.0.0.99"


@pytest.fixture
def hoa(db):
    return f.UserFactory(username="hoa", first_name="Hoa", last_name="Lê Thị")


@pytest.fixture
def lan(db):
    return f.UserFactory(username="lan")


def _login(client, username, password, address=OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail_until_locked(client, username, address=OFFICE):
    responses = [
        _login(client, username, "sai-mat-khau", address) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert all(r.status_code == 200 for r in responses[:-1]), "locked out before the limit"
    return responses[-1]


# --- throttling ----------------------------------------------------------------------------------


def test_wrong_password_shows_the_vietnamese_message(client, hoa):
    response = _login(client, "hoa", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_account_is_locked_after_the_failure_limit_even_with_the_right_password(client, hoa):
    locked = _fail_until_locked(client, "hoa")
    assert locked.status_code == 429
    response = _login(client, "hoa", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_says_in_vietnamese_how_long_to_wait(client, hoa):
    response = _fail_until_locked(client, "hoa")
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert f"đã nhập sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần" in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Hãy thử lại sau {minutes} phút" in page
    assert reverse("password_reset") in page


def test_a_colleague_at_the_same_office_address_is_not_locked(client, hoa, lan):
    _fail_until_locked(client, "hoa", OFFICE)
    response = _login(client, "lan", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lan.pk)


def test_the_same_user_from_another_address_is_not_locked(client, hoa):
    _fail_until_locked(client, "hoa", OFFICE)
    response = _login(client, "hoa", PASSWORD, HOME)
    assert response.status_code == 302


def test_lockout_lifts_after_the_cool_off_time(client, hoa):
    _fail_until_locked(client, "hoa")
    assert _login(client, "hoa", PASSWORD).status_code == 429
    # Let the cool-off time pass.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _login(client, "hoa", PASSWORD).status_code == 302


def test_lockout_does_not_lift_before_the_cool_off_time(client, hoa):
    _fail_until_locked(client, "hoa")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )
    assert _login(client, "hoa", PASSWORD).status_code == 429


def test_a_successful_login_forgets_earlier_failures(client, hoa):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "hoa", "sai-mat-khau")
    assert _login(client, "hoa", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "hoa", "sai-mat-khau").status_code == 200


def test_resetting_the_password_by_email_lifts_the_lockout(client, hoa):
    _fail_until_locked(client, "hoa")
    confirm_url = _request_reset_link(client, hoa.email)
    response = client.get(confirm_url)
    client.post(response.url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert _login(client, "hoa", "Mat-khau-moi-2026").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.7", "", "10.0.0.7"),
        (0, "10.0.0.7", "1.2.3.4", "10.0.0.7"),  # no proxy: the header is the client's invention
        (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged left-most entry is ignored
        (2, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
        (1, "127.0.0.1", "", "127.0.0.1"),  # not through the proxy
    ],
)
def test_client_address_behind_trusted_proxies(rf, proxies, remote, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_throttling_behind_a_proxy_keys_on_the_real_client(client, hoa):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": "hoa", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE
        )
    blocked = client.post(
        LOGIN, {"username": "hoa", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE
    )
    assert blocked.status_code == 429
    elsewhere = client.post(
        LOGIN, {"username": "hoa", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME
    )
    assert elsewhere.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


# --- password change and reset ----------------------------------------------------------------------


def test_password_change(client, hoa):
    client.force_login(hoa)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    hoa.refresh_from_db()
    assert hoa.check_password("Mat-khau-moi-2026")
    assert client.get(reverse("home")).status_code == 200, "the session survives the change"


def test_password_change_with_a_wrong_old_password_changes_nothing(client, hoa):
    client.force_login(hoa)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert response.status_code == 200
    hoa.refresh_from_db()
    assert hoa.check_password(PASSWORD)


def _request_reset_link(client, email) -> str:
    mail.outbox.clear()
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_by_email(client, hoa):
    confirm_url = _request_reset_link(client, hoa.email)
    message = mail.outbox[0]
    assert message.to == [hoa.email]
    assert message.subject == "Đặt lại mật khẩu hệ thống quản lý giảm nghèo"
    assert "hoa" in message.body

    response = client.get(confirm_url)  # Django swaps the token for a session and redirects
    assert response.status_code == 302
    set_password_url = response.url
    page = client.get(set_password_url)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    response = client.post(
        set_password_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    hoa.refresh_from_db()
    assert hoa.check_password("Mat-khau-moi-2026")
    # The link works once.
    assert "không còn hiệu lực" in client.get(confirm_url, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, hoa):
    response = client.post(reverse("password_reset"), {"email": "khong-co@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_an_invalid_reset_link_says_so_in_vietnamese(client, db):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "sai-token"}))
    assert response.status_code == 200
    assert "Liên kết đặt lại mật khẩu không còn hiệu lực" in response.content.decode()


# --- logout -------------------------------------------------------------------------------------


def test_logout_by_post(client, hoa):
    client.force_login(hoa)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_logout_by_get_is_refused_and_keeps_the_session(client, hoa):
    client.force_login(hoa)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_logout_needs_the_csrf_token(hoa):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hoa)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("home")).status_code == 200


def test_anonymous_logout_just_goes_to_the_login_page(client, db):
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")


# --- headers ------------------------------------------------------------------------------------


def _nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", policy)
    assert match, policy
    return match.group(1)


@pytest.mark.parametrize("logged_in", [False, True])
def test_pages_carry_a_content_security_policy_with_a_fresh_nonce(client, hoa, logged_in):
    if logged_in:
        client.force_login(hoa)
    url = reverse("home") if logged_in else LOGIN
    first, second = client.get(url), client.get(url)
    policy = first["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-eval" not in policy
    assert _nonce(first) != _nonce(second)

    page = first.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "the page loads its scripts"
    for tag in scripts:
        assert f'nonce="{_nonce(first)}"' in tag, tag
        assert "src=" in tag and "/static/" in tag, f"inline or off-site script: {tag}"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler attributes break the policy"


def test_security_headers(client, db):
    response = client.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_cookie_is_http_only(client, hoa):
    response = _login(client, "hoa", PASSWORD)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"


def _prod_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECRET_KEY"))}
    return (
        env
        | {
            "DJANGO_SETTINGS_MODULE": "povertyplan.settings.prod",
            "ALLOWED_HOSTS": "giamngheo.example.gov.vn",
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        | extra
    )


def test_production_settings_pass_the_deploy_check(db):
    secret = "test-only-" + "k3y-" * 12
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_prod_env(SECRET_KEY=secret),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(db):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_values():
    """What the deploy check does not cover: cookies of the language switch, the mail backend, the
    proxy count, compressed static files."""
    code = (
        "from django.conf import settings as s; import json;"
        "print(json.dumps([s.LANGUAGE_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE,"
        " s.MAILERS['default']['BACKEND'], s.TRUSTED_PROXY_COUNT, s.STORAGES['staticfiles']['BACKEND'], s.DEBUG]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=_prod_env(SECRET_KEY="test-only-" + "k3y-" * 12),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        True,
        True,
        True,
        "django.core.mail.backends.smtp.EmailBackend",
        1,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
    ]


# --- language -----------------------------------------------------------------------------------


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_vietnamese_is_the_default(client, db):
    assert _lang(client.get(LOGIN)) == "vi"


def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(client, db):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _lang(page) == "vi"
    assert "Tên đăng nhập" in page.content.decode()


def test_a_language_cookie_of_an_unknown_language_falls_back_to_vietnamese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert _lang(client.get(LOGIN)) == "vi"


@pytest.mark.parametrize("logged_in", [False, True])
def test_switching_to_english_and_back(client, hoa, logged_in):
    if logged_in:
        client.force_login(hoa)
    page = reverse("home") if logged_in else LOGIN
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302 and response.url == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(page)
    assert _lang(english) == "en"
    if not logged_in:
        # Django's own strings follow the language (the product's own catalogue is built later
        # from the Vietnamese msgids): the username label comes from Django.
        assert "Username" in english.content.decode()

    response = client.post(reverse("set_language"), {"language": "vi", "next": page})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    vietnamese = client.get(page)
    assert _lang(vietnamese) == "vi"
    if not logged_in:
        assert "Tên đăng nhập" in vietnamese.content.decode()


def test_language_switch_does_not_redirect_off_site(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"


def test_language_switch_refuses_get(client, db):
    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_unknown_language_changes_nothing(client, db):
    response = client.post(reverse("set_language"), {"language": "xx", "next": LOGIN})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert _lang(client.get(LOGIN)) == "vi"
