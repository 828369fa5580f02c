"""Selecting households by a sensitive attribute (ethnic origin, NĐ 356/2025) goes through the one
rule of units/access.py. The filter forms are introspected: every choice of every choice field that
names a sensitive group must be one this file proves hidden from, and refused to, the roles without
the right (a Women's Union officer like `hoiphunu.camlo`), and allowed to those with it."""

from datetime import date
from importlib import import_module

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from core.forms import AuditFilterForm
from core.jobs import Progress
from core.models import Job
from households.forms import HouseholdFilterForm
from households.jobs import household_export_start, run_household_export
from households.models import PolicyGroup, PovertyClass
from targets.forms import EligibleFilterForm, PerspectiveForm, RegistrationFilterForm
from tests import factories as f
from tests.targets.factories import household
from units import access
from units.forms import UnitSearchForm
from units.models import Role

pytestmark = pytest.mark.django_db

ETHNIC = "dan-toc-thieu-so"
MERIT = "nguoi-co-cong"
YEAR = timezone.localdate().year
FORM_MODULES = ["core.forms", "units.forms", "households.forms", "targets.forms", "reports.forms"]

# How to build each filter form for a user (the choices it offers depend on the user's rights).
BUILD = {
    HouseholdFilterForm: lambda world, user: HouseholdFilterForm(
        villages=None, policy_groups=access.selectable_policy_groups(user, world.A)
    ),
    EligibleFilterForm: lambda world, user: EligibleFilterForm(
        policy_groups=access.selectable_policy_groups(user)
    ),
    RegistrationFilterForm: lambda world, user: RegistrationFilterForm(),
    AuditFilterForm: lambda world, user: AuditFilterForm(),
    UnitSearchForm: lambda world, user: UnitSearchForm(),
    PerspectiveForm: lambda world, user: PerspectiveForm(),
}

# The pages that read each sensitive field from the query string (list, export, job).
PAGES = {
    (HouseholdFilterForm, "policy_group"): [
        lambda world: reverse("households:unit_list", args=[world.A.pk]),
        lambda world: reverse("households:export", args=[world.A.pk]),
    ],
    (EligibleFilterForm, "group"): [lambda world: reverse("targets:eligible") + f"?year={YEAR}"],
}


def _filter_forms() -> set[type]:
    found = set()
    for name in FORM_MODULES:
        for value in vars(import_module(name)).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.Form)
                and value.__module__ == name
                and value.__name__.endswith(("FilterForm", "SearchForm"))
            ):
                found.add(value)
    return found


def _sensitive_choices(form) -> set[tuple[str, str]]:
    return {
        (name, str(value))
        for name, field in form.fields.items()
        if isinstance(field, forms.ChoiceField)
        for value, _label in field.choices
        if access.is_sensitive_value(value)
    }


@pytest.fixture
def ethnic_households(world):
    """A poor ethnic-minority household in commune A and one in commune B, both registrable."""
    made = {}
    for commune in (world.A, world.B):
        item = household(commune, PovertyClass.POOR, on=date(YEAR - 1, 12, 15), ethnic_minority=True)
        item.policy_groups.add(PolicyGroup.objects.get(code=ETHNIC))
        made[commune.code] = item
    household(world.A, PovertyClass.POOR, on=date(YEAR - 1, 12, 15))  # not in the group
    return made


@pytest.fixture
def union_officer_with_right(world):
    """A Women's Union officer of province P who is also the commune leader of A: may select by
    ethnicity in A only."""
    user = f.UserFactory(username="union_and_leader")
    f.member_of(user, world.P, Role.ORG_OFFICER, world.union_p)
    f.member_of(user, world.A, Role.COMMUNE_LEADER)
    return user


def test_every_filter_form_is_examined():
    assert _filter_forms() <= set(BUILD), "a new filter form: add it to BUILD (and PAGES if sensitive)"


def test_the_sensitive_choices_are_exactly_those_whose_pages_are_tested(world, union_officer_with_right):
    found = set()
    for form_class, build in BUILD.items():
        for rights in (world.national_admin, world.officer_a, union_officer_with_right):
            found |= {(form_class, name) for name, _value in _sensitive_choices(build(world, rights))}
    assert found == set(PAGES)


@pytest.mark.parametrize("persona", ["union_officer", "union_officer_p", "province_officer"])
@pytest.mark.parametrize("form_class", list(BUILD))
def test_roles_without_the_right_are_not_offered_a_sensitive_choice(world, persona, form_class):
    assert _sensitive_choices(BUILD[form_class](world, getattr(world, persona))) == set()


@pytest.mark.parametrize(("form_class", "field"), list(PAGES))
def test_a_crafted_sensitive_parameter_is_refused_without_the_right(
    world, ethnic_households, form_class, field
):
    tried = 0
    for persona in ("union_officer", "union_officer_p", "province_officer"):
        client = world.client_for(getattr(world, persona))
        for url in PAGES[form_class, field]:
            if client.get(url(world), {field: MERIT}).status_code != 200:
                continue  # a page this persona may not open at all
            assert client.get(url(world), {field: ETHNIC}).status_code == 403, (persona, url(world))
            tried += 1
    assert tried >= len(PAGES[form_class, field])


def test_the_households_list_selects_by_ethnicity_for_the_commune_officer(world, ethnic_households):
    client = world.client_for(world.officer_a)
    response = client.get(reverse("households:unit_list", args=[world.A.pk]), {"policy_group": ETHNIC})
    assert [h.pk for h in response.context["page"]] == [ethnic_households["90001"].pk]
    assert (
        client.get(reverse("households:export", args=[world.A.pk]), {"policy_group": ETHNIC}).status_code
        == 200
    )


def test_the_eligible_page_selects_by_ethnicity_only_where_the_right_is_held(
    world, ethnic_households, union_officer_with_right
):
    client = world.client_for(union_officer_with_right)
    eligible = reverse("targets:eligible")
    assert client.get(eligible, {"year": YEAR}).context["page"].paginator.count == 3  # A and B, all
    response = client.get(eligible, {"year": YEAR, "group": ETHNIC})
    assert [h.pk for h in response.context["page"]] == [ethnic_households["90001"].pk]  # not B's
    offered = [g.code for g in response.context["form"].fields["group"].queryset]
    assert ETHNIC in offered


def test_the_union_officer_of_the_report_gets_no_ethnic_minority_households(world, ethnic_households):
    """The attack of issue 15: `?group=dan-toc-thieu-so` on the eligible page."""
    client = world.client_for(world.union_officer_p)
    response = client.get(reverse("targets:eligible"), {"group": ETHNIC})
    assert response.status_code == 403
    page = client.get(reverse("targets:eligible"), {"year": YEAR})
    assert ETHNIC not in page.content.decode()


def test_a_background_export_refuses_a_sensitive_selection_when_run(world, ethnic_households):
    """The right may be gone by the time the worker runs the job: it fails and says why."""
    job = household_export_start(
        user=world.officer_a, unit=world.A, query=QueryDict(f"policy_group={ETHNIC}")
    )
    Job.objects.filter(pk=job.pk).update(owner=world.union_officer_p)
    job.refresh_from_db()
    with pytest.raises(PermissionError, match="dân tộc"):
        run_household_export(job, Progress(job.pk))


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ({}, False),
        ({"policy_group": MERIT}, False),
        ({"policy_group": ETHNIC}, True),
        ({"group": ETHNIC}, True),
        ({"anything": ETHNIC}, True),
        ({"policy_group": ETHNIC.upper()}, False),  # not a code: the form rejects it as invalid
    ],
)
def test_refuse_sensitive_query(world, query, refused):
    q = QueryDict(mutable=True)
    q.update(query)
    access.refuse_sensitive_query(world.officer_a, world.A, q)  # holds the right: never refused
    if refused:
        with pytest.raises(access.SensitiveSelectionRefused):
            access.refuse_sensitive_query(world.union_officer_p, world.A, q)
    else:
        access.refuse_sensitive_query(world.union_officer_p, world.A, q)
