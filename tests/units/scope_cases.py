from tests.scope import ALL_PERSONAS, SEES_A, Case
from units.models import UnitLineage

ADMINISTRATORS = frozenset({"admin_p", "national_admin"})


def _split_commune(world):
    """OB, split between B and A (a second, partial link): a commune whose villages are assigned."""
    UnitLineage.objects.update_or_create(old=world.OB, new=world.A, defaults={"partial": True})
    UnitLineage.objects.filter(old=world.OB, new=world.B).update(partial=True)
    return world.OB


CASES = [
    # The unit browser redirects a one-unit user to their unit; a user with no unit gets 403.
    Case("units:browse", get=ALL_PERSONAS - {"nobody"}),
    Case("units:search", get=ALL_PERSONAS, query="q=an"),
    Case("units:detail", kwargs=lambda w: {"pk": w.A.pk}, get=SEES_A),
    Case(
        "units:village_create",
        kwargs=lambda w: {"pk": w.A.pk},
        post=frozenset({"officer_a", "admin_p", "national_admin"}),
        post_data=lambda w: {"name": "Thôn Mới", "kind": "thon"},
    ),
    Case("units:split_list", get=ADMINISTRATORS),
    Case(
        "units:split_detail",
        kwargs=lambda w: {"pk": _split_commune(w).pk},
        get=ADMINISTRATORS,
        post=ADMINISTRATORS,
    ),
]
