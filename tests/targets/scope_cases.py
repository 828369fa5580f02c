"""Scope cases for every URL of the targets app (see tests/scope.py). Objects sit in commune A."""

from datetime import date

from django.utils import timezone

from households.models import PovertyClass
from targets.models import AnnualTarget, Outcome, Registration
from tests import factories as f
from tests.scope import ALL_PERSONAS, SEES_A, Case

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
    ),
    Case(
        "targets:import",
        kwargs=lambda w: {"unit_pk": w.A.pk},
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"year": 2021, "file": _table_file()},
    ),
    Case("targets:detail", kwargs=_target_pk, get=SEES_A),
    Case(
        "targets:edit",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"version": 1, "reduce_poor": 2, "reduce_near_poor": 1},
    ),
    Case(
        "targets:allocate",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"version": 1, "action": "save", f"poor_{w.A1.pk}": 1, f"near_{w.A1.pk}": 0},
    ),
    Case(
        "targets:share",
        kwargs=_target_pk,
        get=ALLOCATORS,
        post=ALLOCATORS,
        post_data=lambda w: {"kind": "hlhpn", "percent": "20"},
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
    ),
    Case("targets:registration_detail", kwargs=_registration_pk, get=SEES_A),
    Case(
        "targets:registration_edit",
        kwargs=_registration_pk,
        get=UNION_P,
        post=UNION_P,
        post_data=lambda w: {"version": 1, "circumstances": "Đã sửa", "needs": "Vốn"},
    ),
    Case(
        "targets:help_add",
        kwargs=_registration_pk,
        post=UNION_P,
        post_data=lambda w: {"kind": "loan", "value": "1000000", "date": "01/03/2026"},
    ),
    Case("targets:help_delete", kwargs=_entry_kwargs, post=UNION_P),
    Case(
        "targets:propose",
        kwargs=_registration_pk,
        post=UNION_P,
        post_data=lambda w: {"version": 1, "outcome": Outcome.ESCAPED_POVERTY},
    ),
    Case(
        "targets:confirm",
        kwargs=_proposed_pk,
        post=CONFIRMERS,
        post_data=lambda w: {"version": 1, "outcome": Outcome.ESCAPED_POVERTY, "confirmed_on": "01/06/2026"},
    ),
]
