"""Every URL of the project, through the access ladder: anonymous → login; out of scope → 404/403;
read-only → no change. See tests/scope.py for how cases are declared."""

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.urls import reverse

from tests.scope import ALL_PERSONAS, all_cases, project_url_names

CASES = all_cases()


def test_every_url_pattern_has_a_scope_case():
    missing = sorted(project_url_names() - set(CASES))
    assert not missing, (
        f"URL patterns without a scope case (add them to tests/<app>/scope_cases.py): {missing}"
    )


def test_no_scope_case_for_a_url_that_does_not_exist():
    assert not sorted(set(CASES) - project_url_names())


def _row_counts() -> dict[str, int]:
    own = ("units", "households", "targets", "reports", "core")
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in own
    } | {"auditlog.LogEntry": LogEntry.objects.count()}


def _url(case, world) -> str:
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    return f"{url}?{case.query}" if case.query else url


RUNNABLE = sorted(name for name, case in CASES.items() if not case.skip_reason)


@pytest.mark.parametrize("url_name", RUNNABLE)
def test_anonymous_is_sent_to_login(url_name, world, client):
    case = CASES[url_name]
    response = client.get(_url(case, world))
    if case.public:
        assert response.status_code in (200, 302, 405)
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_name", RUNNABLE)
def test_get_through_the_access_ladder(url_name, world):
    case = CASES[url_name]
    if case.public:
        return
    url = _url(case, world)
    for persona in sorted(ALL_PERSONAS):
        client = world.client_for(getattr(world, persona))
        response = client.get(url)
        if persona in case.get:
            assert response.status_code in case.get_status, f"{persona} should reach {url_name}"
            if response.status_code == 302:
                assert response.url.startswith("/"), f"{url_name} redirected {persona} off-site"
        elif case.post is not None and case.get == frozenset():
            # POST-only endpoints refuse GET for everybody.
            assert response.status_code in (403, 404, 405), f"{persona} GET {url_name}"
        else:
            assert response.status_code in (403, 404), f"{persona} must not reach {url_name}"


@pytest.mark.parametrize("url_name", sorted(n for n in RUNNABLE if CASES[n].post is not None))
def test_post_refused_outside_scope_and_for_read_only_roles(url_name, world):
    case = CASES[url_name]
    url = _url(case, world)
    data = case.post_data(world)
    for persona in sorted(ALL_PERSONAS - case.post):
        before = _row_counts()
        client = world.client_for(getattr(world, persona))
        response = client.post(url, data)
        assert response.status_code in (403, 404, 405), f"{persona} POST {url_name} → {response.status_code}"
        assert _row_counts() == before, f"{persona} POST {url_name} changed data"


@pytest.mark.parametrize("url_name", sorted(n for n in RUNNABLE if CASES[n].post))
def test_post_allowed_for_the_right_people_does_what_it_says(url_name, world):
    case = CASES[url_name]
    assert case.effect is not None, f"{url_name}: say what an allowed POST changes (Case.effect)"
    effect = case.effect
    persona = sorted(case.post)[0]
    kwargs = case.kwargs(world)
    url = reverse(case.url_name, kwargs=kwargs) + (f"?{case.query}" if case.query else "")
    client = world.client_for(getattr(world, persona))
    data = case.post_data(world)
    before = effect.read(world, kwargs) if effect.read else None
    response = client.post(url, data)
    assert response.status_code in (200, 201, 204, 302), f"{persona} POST {url_name} → {response.status_code}"
    if effect.read:
        expected = effect.then(before)
        assert expected != before, f"{url_name}: the effect must describe a change"
        assert effect.read(world, kwargs) == expected, f"{persona} POST {url_name} did not do its work"
    if effect.response:
        assert effect.response(response), f"{persona} POST {url_name}: the response lacks its result"
