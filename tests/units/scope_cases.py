from tests.scope import ALL_PERSONAS, SEES_A, Case, becomes, grows
from units.models import UnitLineage

ADMINISTRATORS = frozenset({"admin_p", "national_admin"})


def _split_commune(world):
    """OB, split between B and A (a second, partial link): a commune whose villages are assigned."""
    UnitLineage.objects.update_or_create(old=world.OB, new=world.A, defaults={"partial": True})
    UnitLineage.objects.filter(old=world.OB, new=world.B).update(partial=True)
    return world.OB


def _villages_of(world, kwargs):
    from units.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(parent_id=kwargs["pk"]).count()


def _village_of_ob(world):
    from units.models import AdministrativeUnit

    village = AdministrativeUnit.objects.filter(parent=world.OB).order_by("code").first()
    if village is None:
        from tests import factories as f

        village = f.village(world.OB, name="Khối Một")
    return village


def _ob_village_commune(world, kwargs):
    from units.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(pk=_village_of_ob(world).pk).new_commune_id == world.A.pk


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
        effect=grows(_villages_of),
    ),
    Case("units:split_list", get=ADMINISTRATORS),
    Case(
        "units:split_detail",
        kwargs=lambda w: {"pk": _split_commune(w).pk},
        get=ADMINISTRATORS,
        post=ADMINISTRATORS,
        post_data=lambda w: {f"village-{_village_of_ob(w).pk}": str(w.A.pk)},
        effect=becomes(_ob_village_commune, True),
    ),
]
