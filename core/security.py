"""Who is on the other end of a request, for login throttling (axes and the limits below) and the
audit log; the limits on logins and password-reset mails."""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver


def client_ip(request) -> str:
    """The client's address. With TRUSTED_PROXY_COUNT reverse proxies in front, each of which
    appends the address it saw to X-Forwarded-For, that is the entry TRUSTED_PROXY_COUNT places
    from the right; anything further left was written by the client and is not trusted."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # the request did not come through every proxy
    return forwarded[-count]


# --- Login and password-reset limits --------------------------------------------------------------
# axes locks a (username, address) pair after a few failures. These add what it does not see:
# guesses at one account spread over many addresses, and one address guessing at many accounts.
# Both slow down (a delay that doubles with each further failure, up to a cap), they never lock:
# and a browser the account has logged in from before (a signed device cookie) is not slowed on
# that account, so a stranger's guesses cannot keep its owner out. Counts live in the cache.

DEVICE_COOKIE = "pp_device"
_DEVICE_SALT = "core.security.device"
_DEVICE_ACCOUNTS = 5  # accounts remembered per browser (an office computer is shared)


def login_delay(failures: int, *, free: int, base: timedelta, cap: timedelta) -> timedelta:
    """How long after the last failure the next attempt must wait: nothing for the first `free`
    failures, then `base`, doubling with each further failure, never more than `cap`."""
    if failures < free:
        return timedelta(0)
    return min(cap, base * 2 ** min(failures - free, 30))


def _key(kind: str, value: str) -> str:
    return f"login-throttle:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _account(username: str) -> str:
    return (username or "").strip().casefold()


def _known_accounts(request) -> set[str]:
    value = request.COOKIES.get(DEVICE_COOKIE, "") if request is not None else ""
    if not value:
        return set()
    try:
        accounts = signing.loads(
            value, salt=_DEVICE_SALT, max_age=settings.LOGIN_THROTTLE["DEVICE_COOKIE_AGE"].total_seconds()
        )
    except signing.BadSignature:
        return set()
    return set(accounts) if isinstance(accounts, list) else set()


def remember_device(request, response, username: str) -> None:
    """Mark this browser as one the account logs in from (after a successful login)."""
    accounts = [_hash(_account(username))]
    accounts += [a for a in _known_accounts(request) if a not in accounts][: _DEVICE_ACCOUNTS - 1]
    age = settings.LOGIN_THROTTLE["DEVICE_COOKIE_AGE"]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(accounts, salt=_DEVICE_SALT),
        max_age=int(age.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _hash(account: str) -> str:
    return hashlib.sha256(account.encode()).hexdigest()[:32]


def _counters(request, username: str) -> list[tuple[str, int]]:
    """The counters an attempt counts against, with their free failures: the account's (unless
    this browser is known to it) and the address's."""
    limits = settings.LOGIN_THROTTLE
    account = _account(username)
    counters = []
    known = _hash(account) in _known_accounts(request)
    if account and not known:
        counters.append((_key("account", account), limits["ACCOUNT_FREE_FAILURES"]))
    address = client_ip(request) if request is not None else ""
    if address and not known:
        counters.append((_key("address", address), limits["ADDRESS_FREE_FAILURES"]))
    return counters


def login_wait(request, username: str) -> timedelta:
    """How long this attempt must still wait (0: it may go ahead)."""
    limits = settings.LOGIN_THROTTLE
    now = time.time()
    wait = 0.0
    for key, free in _counters(request, username):
        failures, last = cache.get(key, (0, 0.0))
        delay = login_delay(failures, free=free, base=limits["BASE_DELAY"], cap=limits["MAX_DELAY"])
        wait = max(wait, last + delay.total_seconds() - now)
    return timedelta(seconds=max(0.0, wait))


def login_failed(request, username: str) -> None:
    """Count a failed attempt against the account and the address."""
    window = int(settings.LOGIN_THROTTLE["WINDOW"].total_seconds())
    for key, _free in _counters(request, username):
        failures, _last = cache.get(key, (0, 0.0))
        cache.set(key, (failures + 1, time.time()), window)


class LoginThrottled(PermissionDenied):
    def __init__(self, wait: timedelta):
        super().__init__()
        self.wait = wait


class ThrottleBackend:
    """First of AUTHENTICATION_BACKENDS: refuses an attempt that must still wait, on every login
    path (the site's login page, the admin's). Django then stops and reports a failed login. No
    get_user: it never logs anyone in (and the test client's force_login must not pick it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        wait = login_wait(request, username)
        if wait:
            if request is not None:
                request.login_throttled = wait
            raise LoginThrottled(wait)
        return None


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "login_throttled", None):
        return  # refused unheard: not another guess
    login_failed(request, credentials.get("username", ""))


def reset_allowed(request, email: str) -> tuple[bool, bool]:
    """(address allowed, account allowed) for one more password-reset mail, counting this one."""
    limits = settings.PASSWORD_RESET_LIMITS
    window = int(limits["WINDOW"].total_seconds())
    results = []
    for kind, value, limit in (
        ("reset-address", client_ip(request), limits["PER_ADDRESS"]),
        ("reset-account", _account(email), limits["PER_ACCOUNT"]),
    ):
        key = _key(kind, value)
        sent = cache.get(key, 0)
        results.append(sent < limit)
        if sent < limit:
            cache.set(key, sent + 1, window)
    return results[0], results[1]
