"""The scope matrix: every URL pattern of the project must have a case here, so that pages added
later are covered without anyone remembering. Each app lists its cases in
`tests/<app>/scope_cases.py` as `CASES = [Case(...), ...]`.

A case names a URL, builds the URL's arguments for an object located in commune A of province P
(see tests/conftest.py), and says which personas may GET it (200, or a redirect inside the site)
and which may POST to it. Everyone else must get 404 or 403 and change nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

ALL_PERSONAS = frozenset(
    {
        "officer_a",
        "leader_a",
        "officer_b",
        "union_officer",
        "union_officer_p",
        "province_officer",
        "admin_p",
        "national_admin",
        "outsider",
        "nobody",
    }
)
# Anyone logged in (pages about oneself: password change, own jobs...).
EVERYONE = ALL_PERSONAS
# Everyone whose scope includes commune A of province P (for viewing).
SEES_A = frozenset(
    {"officer_a", "leader_a", "union_officer_p", "province_officer", "admin_p", "national_admin"}
)


@dataclass(frozen=True)
class Effect:
    """What an allowed POST does, so that the matrix fails when a view stops doing it: `read(world,
    kwargs)` is taken before and after the POST and the after value must equal `then(before)`
    (and differ from it); for a POST that changes no row (a preview, a first import step),
    `response(response)` must hold instead."""

    read: Callable | None = None
    then: Callable = lambda before: before
    response: Callable | None = None


def becomes(read: Callable, value) -> Effect:
    return Effect(read=read, then=lambda before: value)


def grows(read: Callable, by: int = 1) -> Effect:
    return Effect(read=read, then=lambda before: before + by)


def shows(*texts: str) -> Effect:
    return Effect(response=lambda response: all(text in response.content.decode() for text in texts))


@dataclass
class Case:
    url_name: str
    kwargs: Callable = lambda world: {}  # world → URL kwargs
    get: frozenset = frozenset()  # personas allowed to GET
    post: frozenset | None = None  # personas allowed to POST; None: the URL takes no POST
    post_data: Callable = lambda world: {}  # world → form data for an allowed POST
    effect: Effect | None = None  # what the allowed POST changes (required for every POST case)
    public: bool = False  # reachable without logging in (login page, health check)
    query: str = ""  # query string appended to the URL
    get_status: frozenset = field(default_factory=lambda: frozenset({200, 302}))
    skip_reason: str = ""  # a pattern that cannot be exercised generically, and why


SCOPE_CASE_MODULES = [
    "tests.core.scope_cases",
    "tests.units.scope_cases",
    "tests.households.scope_cases",
    "tests.targets.scope_cases",
    "tests.reports.scope_cases",
    "tests.census.scope_cases",
]


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for name in SCOPE_CASE_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError:
            continue
        for case in module.CASES:
            assert case.url_name not in cases, f"two scope cases for {case.url_name}"
            cases[case.url_name] = case
    return cases


def project_url_names() -> set[str]:
    """Every named URL of the project's own apps (the Django admin is covered by test_admin_scope)."""
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                ns = pattern.namespace
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    raise AssertionError(f"URL pattern {pattern.pattern} has no name")
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names
