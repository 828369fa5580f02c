"""Scope cases for every URL of the targets app (see tests/scope.py). Objects sit in commune A."""

from datetime import date

from django.utils import timezone

from households.models import PovertyClass
from targets.models import AnnualTarget, Outcome, Registration
from tests import factories as f
from tests.scope import ALL_PERSONAS, SEES_A, Case, becomes, grows, shows

ALLOCATORS = frozenset({"province_officer", "admin_p", "national_admin"})
UNION_P = frozenset({"union_officer_p"})
CONFIRMERS = frozenset({"leader_a", "admin_p", "national_admin"})


def _target(world) -> AnnualTarget:
    return AnnualTarget.objects.create(
        unit=world.A, year=2026, reduce_poor=1, reduce_near_poor=0, baseline_poor=3
    )


def _household(world):
    household = f.HouseholdFactory(commune=world.A, village=world.A1, status_class=PovertyClass.POOR)
    f.AssessmentFactory(household=household, review_year=2025, effective_date=date(2025, 12, 15))
    return household


def _registration(world, **fields) -> Registration:
    return Registration.objects.create(
        organisation=world.union_p,
        household=_household(world),
        year=timezone.localdate().year,
        class_at_registration=PovertyClass.POOR,
        registered_on=date(2026, 1, 5),
        **fields,
    )


def _target_pk(world):
    return {"pk": _target(world).pk}


def _registration_pk(world):
    return {"pk": _registration(world).pk}


def _proposed_pk(world):
    return {"pk": _registration(world, proposed_outcome=Outcome.ESCAPED_POVERTY).pk}


def _entry_kwargs(world):
    entry = f.HelpEntryFactory(registration=_registration(world), date=date(2026, 3, 1))
    return {"pk": entry.registration_id, "entry_pk": entry.pk}


def _table_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "A\tB\t1\t2\t8\n1\tThôn Một\t10\t2\t1\n"
    return SimpleUploadedFile("bang.tsv", text.encode(), content_type="text/tab-separated-values")


def _targets_of_a(world, kwargs):
    return AnnualTarget.objects.filter(unit=world.A).count()


def _target_field(*names):
    return lambda world, kwargs: AnnualTarget.objects.values_list(*names).get(pk=kwargs["pk"])


def _village_share(world, kwargs):
    target = AnnualTarget.objects.get(pk=kwargs["pk"])
    return (
        AnnualTarget.objects.filter(unit=world.A1, year=target.year, organisation=None)
        .values_list("reduce_poor", flat=True)
        .first()
    )


def _organisation_targets(world, kwargs):
    target = AnnualTarget.objects.get(pk=kwargs["pk"])
    return AnnualTarget.objects.filter(year=target.year).exclude(organisation=None).count()


def _registrations_of(world, kwargs):
    return Registration.objects.filter(household_id=kwargs["household_pk"]).count()


def _registration_field(name):
    return lambda world, kwargs: Registration.objects.values_list(name, flat=True).get(pk=kwargs["pk"])


def _help_entries(world, kwargs):
    from targets.models import HelpEntry

    return HelpEntry.objects.filter(registration_id=kwargs["pk"]).count()


def _entry_exists(world, kwargs):
    from targets.models import HelpEntry

    return HelpEntry.objects.filter(pk=kwargs["entry_pk"]).exists()


CASES = [
    Case("targets:list", get=ALL_PERSONAS - {"nobody"}),
    Case(
        "targets:create",
        kwargs=lambda w: {"unit_pk": w.A.pk},
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {
            "year": timezone.localdate().year,
            "org": "",
            "reduce_poor": 1,
            "reduce_near_poor": 0,
        },
        effect=grows(_targets_of_a),
    ),
    Case(
        "targets:import",
        kwargs=lambda w: {"unit_pk": w.A.pk},
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"year": 2021, "file": _table_file()},
        effect=shows('name="payload"'),  # the checked table, for the user to confirm
    ),
    Case("targets:detail", kwargs=_target_pk, get=SEES_A),
    Case(
        "targets:edit",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"version": 1, "reduce_poor": 2, "reduce_near_poor": 1},
        effect=becomes(_target_field("reduce_poor", "reduce_near_poor"), (2, 1)),
    ),
    Case(
        "targets:allocate",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"version": 1, "action": "save", f"poor_{w.A1.pk}": 1, f"near_{w.A1.pk}": 0},
        effect=becomes(_village_share, 1),
    ),
    Case(
        "targets:share",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"kind": "hlhpn", "percent": "20"},
        effect=grows(_organisation_targets),
    ),
    Case("targets:table", kwargs=_target_pk, get=SEES_A),
    Case("targets:union_table", kwargs=_target_pk, get=SEES_A),
    Case("targets:progress", kwargs=lambda w: {"unit_pk": w.A.pk}, get=SEES_A),
    Case("targets:registration_list", get=ALL_PERSONAS - {"nobody"}),
    Case("targets:eligible", get=frozenset({"union_officer", "union_officer_p"})),
    Case(
        "targets:registration_create",
        kwargs=lambda w: {"household_pk": _household(w).pk},
        get=UNION_P,
        post=UNION_P,
        post_data=lambda w: {
            "organisation": w.union_p.pk,
            "year": timezone.localdate().year,
            "circumstances": "Khó khăn",
        },
        effect=grows(_registrations_of),
    ),
    Case("targets:registration_detail", kwargs=_registration_pk, get=SEES_A),
    Case(
        "targets:registration_edit",
        kwargs=_registration_pk,
        get=UNION_P,
        post=UNION_P,
        post_data=lambda w: {"version": 1, "circumstances": "Đã sửa", "needs": "Vốn"},
        effect=becomes(_registration_field("circumstances"), "Đã sửa"),
    ),
    Case(
        "targets:help_add",
        kwargs=_registration_pk,
        post=UNION_P,
        post_data=lambda w: {"kind": "loan", "value": "1000000", "date": "01/03/2026"},
        effect=grows(_help_entries),
    ),
    Case("targets:help_delete", kwargs=_entry_kwargs, post=UNION_P, effect=becomes(_entry_exists, False)),
    Case(
        "targets:propose",
        kwargs=_registration_pk,
        post=UNION_P,
        post_data=lambda w: {"version": 1, "outcome": Outcome.ESCAPED_POVERTY},
        effect=becomes(_registration_field("proposed_outcome"), Outcome.ESCAPED_POVERTY),
    ),
    Case(
        "targets:confirm",
        kwargs=_proposed_pk,
        post=CONFIRMERS,
        post_data=lambda w: {"version": 1, "outcome": Outcome.ESCAPED_POVERTY, "confirmed_on": "01/06/2026"},
        effect=becomes(_registration_field("confirmed_outcome"), Outcome.ESCAPED_POVERTY),
    ),
]
