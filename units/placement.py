"""Every unit and every located record (household, assessment) has a place in the 2025 tree:
`new_province` and `new_commune`. This module computes it, in one rule.

- A 2025 unit is its own place (AdministrativeUnit.fill_ancestors).
- A pre-2025 province became one 2025 province (provinces merged whole): its one lineage link.
- A pre-2025 commune with one lineage link became part of that 2025 commune. This counts the 9.451
  communes merged whole and the 132 the conversion lists with one partial link only (the rest of
  their territory has no row in the table): their villages can still be assigned elsewhere. A
  commune with several links (split among new communes) or none has no 2025 commune: its
  households take their village's, and stay "chưa xác định đơn vị mới" until the village is
  assigned (units admin, per split commune).
- A pre-2025 district and village take their province's / commune's place; a village of a split
  commune keeps the 2025 commune an administrator assigned to it.
- A record takes its village's 2025 commune, else its commune's, and its commune's 2025 province.

Functions take the model classes as arguments so that migrations can run them on historical models.
"""

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

PRE2025 = "pre2025"
PROVINCE, DISTRICT, COMMUNE, VILLAGE = 1, 2, 3, 4


def place_2025_units(Unit) -> None:
    """A 2025 unit is its own place: three UPDATEs (units created in bulk had no id to copy yet)."""
    from django.db.models import F

    units = Unit.objects.exclude(admin_version=PRE2025)
    units.filter(level=PROVINCE).update(new_province_id=F("pk"), new_commune_id=None)
    units.filter(level=COMMUNE).update(new_province_id=F("province_id"), new_commune_id=F("pk"))
    units.filter(level=VILLAGE).update(new_province_id=F("province_id"), new_commune_id=F("commune_id"))


def place_everything(Unit, Lineage, records) -> int:
    """Place every unit, then the records of each queryset in `records`; returns units changed."""
    place_2025_units(Unit)
    changed = place_units(Unit, Lineage)
    for queryset in records:
        place_records(Unit, queryset)
    return changed


def place_units(Unit, Lineage) -> int:
    """Set new_province/new_commune on every pre-2025 unit from the conversion; returns how many
    units changed. Idempotent; villages' manual assignments are kept where their commune was split."""
    links: dict[int, list[int]] = defaultdict(list)
    for old_id, new_id in Lineage.objects.filter(old__admin_version=PRE2025).values_list("old_id", "new_id"):
        links[old_id].append(new_id)
    new_province_of = dict(Unit.objects.exclude(admin_version=PRE2025).values_list("pk", "province_id"))
    old = list(Unit.objects.filter(admin_version=PRE2025).order_by("level", "pk"))
    by_id = {unit.pk: unit for unit in old}
    changed = []
    for unit in old:
        before = (unit.new_province_id, unit.new_commune_id)
        if unit.level == PROVINCE:
            targets = links.get(unit.pk, [])
            unit.new_province_id = targets[0] if len(targets) == 1 else None
            unit.new_commune_id = None
        elif unit.level == DISTRICT:
            province = by_id.get(unit.province_id)
            unit.new_province_id = province.new_province_id if province else None
            unit.new_commune_id = None
        elif unit.level == COMMUNE:
            targets = links.get(unit.pk, [])
            province = by_id.get(unit.province_id)
            unit.new_commune_id = targets[0] if len(targets) == 1 else None
            unit.new_province_id = (
                new_province_of.get(unit.new_commune_id)
                if unit.new_commune_id
                else (province.new_province_id if province else None)
            )
        else:
            commune = by_id.get(unit.commune_id)
            if commune is not None:
                unit.new_province_id = commune.new_province_id
                if commune.new_commune_id is not None:
                    unit.new_commune_id = commune.new_commune_id
                elif unit.new_commune_id is not None:
                    unit.new_province_id = new_province_of.get(unit.new_commune_id, unit.new_province_id)
        if (unit.new_province_id, unit.new_commune_id) != before:
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["new_province", "new_commune"], batch_size=2000)
    return len(changed)


def place_records(Unit, queryset) -> int:
    """Set new_province/new_commune on the located records of `queryset` (households or
    assessments) from their commune and village, in one UPDATE."""
    commune = Unit.objects.filter(pk=OuterRef("commune_id"))
    village = Unit.objects.filter(pk=OuterRef("village_id"))
    return queryset.update(
        new_province_id=Subquery(commune.values("new_province_id")[:1]),
        new_commune_id=Coalesce(
            Subquery(village.values("new_commune_id")[:1]), Subquery(commune.values("new_commune_id")[:1])
        ),
    )


def place_objects(Unit, objects) -> None:
    """Set new_province/new_commune on unsaved or changed records in memory (one query)."""
    objects = list(objects)
    ids = {obj.commune_id for obj in objects} | {obj.village_id for obj in objects if obj.village_id}
    places = {
        pk: (province, commune)
        for pk, province, commune in Unit.objects.filter(pk__in=ids).values_list(
            "pk", "new_province_id", "new_commune_id"
        )
    }
    for obj in objects:
        province, commune = places.get(obj.commune_id, (None, None))
        village = places.get(obj.village_id, (None, None))[1] if obj.village_id else None
        obj.new_province_id = province
        obj.new_commune_id = village or commune


def located_records() -> list:
    """Querysets of every located record (households, assessments), to re-place after the units
    changed; looked up by name so that units does not import the apps built on it."""
    from django.apps import apps

    return [apps.get_model("households", name).objects.all() for name in ("Household", "Assessment")]
