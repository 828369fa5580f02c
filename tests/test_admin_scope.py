"""The Django admin, scoped like every other page. For EVERY ModelAdmin registered on admin.site
(admins added later included):

- a ScopedAdmin shows a province administrator the rows of their province P and not those of
  province Q, does not open a Q row, and shows a national administrator both. Each scoped model
  needs a maker below (or in tests/<app>/admin_cases.py as MAKERS) that builds one row located in
  a given commune;
- any other admin is justified in NOT_SCOPED: national reference data (every administrator reads,
  only a national one changes) or a superuser's tool (no administrator reaches it);
- people without the administrator role get no admin at all."""

import contextlib
from importlib import import_module

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse

from tests import factories as f
from tests.scope import ALL_PERSONAS
from units.admin_scoping import ScopedAdmin
from units.models import Membership, Organisation


def _log_entry(world, commune):
    household = f.HouseholdFactory(commune=commune)
    with set_actor(world.national_admin):
        household.note = "sửa"
        household.save()
    return LogEntry.objects.get_for_object(household).latest("timestamp")


# Model label → maker(world, commune) → a row located in that commune (A is in P, C is in Q).
MAKERS = {
    "units.AdministrativeUnit": lambda world, commune: commune,
    "units.Organisation": lambda world, commune: f.OrganisationFactory(
        unit=commune, kind=Organisation.Kind.VETERANS
    ),
    "units.Membership": lambda world, commune: Membership.objects.get(
        user=world.officer_a if commune == world.A else world.outsider
    ),
    "auth.User": lambda world, commune: world.officer_a if commune == world.A else world.outsider,
    "auditlog.LogEntry": _log_entry,
    "households.Household": lambda world, commune: f.HouseholdFactory(commune=commune),
    "households.Assessment": lambda world, commune: f.AssessmentFactory(
        household=f.HouseholdFactory(commune=commune)
    ),
}
for _app in ("households", "targets", "reports"):
    with contextlib.suppress(ModuleNotFoundError):
        MAKERS |= import_module(f"tests.{_app}.admin_cases").MAKERS

REFERENCE = "national reference data: every administrator reads it, only a national administrator changes it"
SUPERUSER = "a superuser's tool: no role holds its permissions"
READ_ONLY = "the official conversion table: read-only for everyone, shown on the unit pages"
NOT_SCOPED = {
    "households.PovertyStandard": REFERENCE,
    "households.PolicyGroup": REFERENCE,
    "households.PovertyCause": REFERENCE,
    "targets.SupportMeasure": REFERENCE,
    "units.UnitLineage": READ_ONLY,
    "auth.Group": SUPERUSER,
    "axes.AccessAttempt": SUPERUSER,
    "axes.AccessLog": SUPERUSER,
    "axes.AccessFailureLog": SUPERUSER,
    "django_tasks_database.DBTaskResult": SUPERUSER,
}

REGISTRY = {model._meta.label: (model, model_admin) for model, model_admin in admin.site._registry.items()}
SCOPED = sorted(
    label for label, (_m, model_admin) in REGISTRY.items() if isinstance(model_admin, ScopedAdmin)
)
OTHERS = sorted(label for label in REGISTRY if label not in SCOPED)
STAFF = {"admin_p", "national_admin"}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _changelist_pks(client, model) -> set:
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def test_every_admin_is_scoped_or_justified():
    unjustified = [label for label in OTHERS if label not in NOT_SCOPED]
    assert not unjustified, f"admins that are neither ScopedAdmin nor justified in NOT_SCOPED: {unjustified}"


def test_every_scoped_admin_has_a_maker():
    assert not [label for label in SCOPED if label not in MAKERS], "add a maker for each scoped model"


@pytest.mark.parametrize("label", SCOPED)
def test_province_administrator_sees_their_province_only(label, world):
    model, _admin = REGISTRY[label]
    inside, outside = MAKERS[label](world, world.A), MAKERS[label](world, world.C)
    client = world.client_for(world.admin_p)
    pks = _changelist_pks(client, model)
    assert inside.pk in pks, f"{label}: admin_p does not see a row of their province"
    assert outside.pk not in pks, f"{label}: admin_p sees a row of another province"

    assert client.get(_url(model, "change", inside.pk)).status_code == 200
    response = client.get(_url(model, "change", outside.pk))
    assert response.status_code in (302, 403, 404), f"{label}: admin_p opened a row of another province"
    if response.status_code == 302:
        assert response.url == reverse("admin:index")  # Django's "does not exist" redirect


@pytest.mark.parametrize("label", SCOPED)
def test_province_administrator_cannot_change_or_delete_a_row_elsewhere(label, world):
    model, _admin = REGISTRY[label]
    outside = MAKERS[label](world, world.C)
    before = model._default_manager.filter(pk=outside.pk).values().first()
    client = world.client_for(world.admin_p)
    for view in ("change", "delete"):
        response = client.post(_url(model, view, outside.pk), {"post": "yes"})
        assert response.status_code in (302, 403, 404)
    assert model._default_manager.filter(pk=outside.pk).values().first() == before


@pytest.mark.parametrize("label", SCOPED)
def test_national_administrator_sees_every_province(label, world):
    model, _admin = REGISTRY[label]
    inside, outside = MAKERS[label](world, world.A), MAKERS[label](world, world.C)
    assert {inside.pk, outside.pk} <= _changelist_pks(world.client_for(world.national_admin), model)


@pytest.mark.parametrize("persona", sorted(ALL_PERSONAS - STAFF))
def test_people_without_the_administrator_role_get_no_admin(persona, world):
    client = world.client_for(getattr(world, persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    for label in SCOPED + OTHERS:
        model, _admin = REGISTRY[label]
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), label


@pytest.mark.parametrize("label", [label for label in OTHERS if NOT_SCOPED.get(label) == SUPERUSER])
@pytest.mark.parametrize("persona", sorted(STAFF))
def test_superuser_tools_are_out_of_reach_of_administrators(label, persona, world):
    model, _admin = REGISTRY[label]
    assert world.client_for(getattr(world, persona)).get(_url(model, "changelist")).status_code == 403


@pytest.mark.parametrize("label", [label for label in OTHERS if NOT_SCOPED.get(label) == REFERENCE])
def test_reference_data_is_read_only_for_a_province_administrator(label, world, rf):
    model, model_admin = REGISTRY[label]
    for persona, may_change in (("admin_p", False), ("national_admin", True)):
        request = rf.get("/")
        request.user = getattr(world, persona)
        assert model_admin.has_view_permission(request), f"{persona} cannot read {label}"
        assert model_admin.has_change_permission(request) is may_change, f"{persona} change {label}"
        assert model_admin.has_add_permission(request) is may_change, f"{persona} add {label}"


def test_the_unit_lineage_is_read_only_for_everyone(world, rf):
    model, model_admin = REGISTRY["units.UnitLineage"]
    request = rf.get("/")
    request.user = world.national_admin
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)
