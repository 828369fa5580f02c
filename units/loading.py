"""Load the real administrative units of Vietnam from the `vietnam-provinces` package: the pre-2025
three-tier tree, the 2025 two-tier tree and the official old → new conversion. Idempotent: units
are matched on (version, code), changed ones updated, missing ones created, links added once."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from .models import REFORM_DATE, AdministrativeUnit, AdminVersion, Area, Kind, Level, UnitLineage
from .placement import located_records, place_everything

PRE2025_VALID_TO = date(2025, 6, 30)

_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Quận ",
    "Huyện ",
    "Thị xã ",
    "Thị trấn ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
)

# Division types of the package → our kinds.
_KINDS = {
    "tỉnh": Kind.TINH,
    "thành phố trung ương": Kind.THANH_PHO_TW,
    "quận": Kind.QUAN,
    "huyện": Kind.HUYEN,
    "thị xã": Kind.THI_XA,
    "thành phố": Kind.THANH_PHO,
    "xã": Kind.XA,
    "phường": Kind.PHUONG,
    "thị trấn": Kind.THI_TRAN,
    "đặc khu": Kind.DAC_KHU,
}
_COMMUNE_AREA = {
    Kind.PHUONG: Area.URBAN,
    Kind.THI_TRAN: Area.URBAN,
    Kind.XA: Area.RURAL,
    Kind.DAC_KHU: Area.RURAL,
}
_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


def short_name(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class UnitRow:
    version: str
    level: int
    code: str
    name: str
    kind: str
    parent_code: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.version, self.code)


@dataclass
class LoadResult:
    counts: dict = field(default_factory=dict)
    lineage_links: int = 0
    skipped_links: int = 0
    created: int = 0
    updated: int = 0

    def as_json(self) -> dict:
        return {
            "versions": self.counts,
            "lineage_links": self.lineage_links,
            "created": self.created,
            "updated": self.updated,
        }


def _code(value, level: int) -> str:
    return str(int(value)).zfill(_WIDTH[level])


def source_rows() -> list[UnitRow]:
    """Every unit of both versions, parents before children."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as OldDistrict
    from vietnam_provinces.legacy import Province as OldProvince
    from vietnam_provinces.legacy import Ward as OldWard

    pre, new = AdminVersion.PRE2025, AdminVersion.V2025
    rows = [
        UnitRow(pre, Level.PROVINCE, _code(p.code, 1), p.name, _KINDS[p.division_type.value], None)
        for p in OldProvince.iter_all()
    ]
    rows += [
        UnitRow(
            pre,
            Level.DISTRICT,
            _code(d.code, 2),
            d.name,
            _KINDS[d.division_type.value],
            _code(d.province_code, 1),
        )
        for d in OldDistrict.iter_all()
    ]
    rows += [
        UnitRow(
            pre,
            Level.COMMUNE,
            _code(w.code, 3),
            w.name,
            _KINDS[w.division_type.value],
            _code(w.district_code, 2),
        )
        for w in OldWard.iter_all()
    ]
    rows += [
        UnitRow(new, Level.PROVINCE, _code(p.code, 1), p.name, _KINDS[p.division_type.value], None)
        for p in Province.iter_all()
    ]
    rows += [
        UnitRow(
            new,
            Level.COMMUNE,
            _code(w.code, 3),
            w.name,
            _KINDS[w.division_type.value],
            _code(w.province_code, 1),
        )
        for w in Ward.iter_all()
    ]
    return rows


def source_lineage(rows: list[UnitRow]) -> list[tuple[tuple[str, str], tuple[str, str], bool]]:
    """(old key, new key, partial) for communes, from the official conversion table, and for
    provinces, derived from it: an old province is linked to each new province that received one
    of its communes (partial when there are several).

    The package's own province table is not used: it links old Tiền Giang (82) to new Tây Ninh
    (80) as well as to Đồng Tháp, although every commune of Tiền Giang went to Đồng Tháp, which
    would let Tây Ninh's province officers see Tiền Giang's households."""
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW

    pre, new = AdminVersion.PRE2025, AdminVersion.V2025
    parent = {row.key: row.parent_code for row in rows}

    def province_of(version: str, commune_code: str) -> str | None:
        code = parent.get((version, commune_code))
        if version == pre and code is not None:
            code = parent.get((pre, code))  # commune → district → province
        return code

    links = []
    provinces: dict[str, set[str]] = {}
    for old_code, entry in WARD_OLD_TO_NEW.items():
        old = _code(old_code, 3)
        for target in entry.new_wards:
            new_code = _code(target.code, 3)
            links.append(((pre, old), (new, new_code), entry.old_ward.is_partly_merged))
            old_province, new_province = province_of(pre, old), province_of(new, new_code)
            if old_province and new_province:
                provinces.setdefault(old_province, set()).add(new_province)
    for old_province, new_provinces in sorted(provinces.items()):
        for new_province in sorted(new_provinces):
            links.append(((pre, old_province), (new, new_province), len(new_provinces) > 1))
    return links


def _desired_fields(row: UnitRow) -> dict:
    kind = row.kind
    area = _COMMUNE_AREA.get(kind, "") if row.level == Level.COMMUNE else ""
    version_dates = (
        {"valid_from": None, "valid_to": PRE2025_VALID_TO}
        if row.version == AdminVersion.PRE2025
        else {"valid_from": REFORM_DATE, "valid_to": None}
    )
    return {
        "name": row.name,
        "short_name": short_name(row.name),
        "kind": kind,
        "level": row.level,
        "area": area,
        **version_dates,
    }


_COMPARED = ("name", "short_name", "kind", "level", "area", "valid_from", "valid_to", "parent_id")


@transaction.atomic
def load_units() -> LoadResult:
    rows = source_rows()
    result = LoadResult()
    existing = {
        (u.admin_version, u.code): u
        for u in AdministrativeUnit.objects.filter(level__lte=Level.COMMUNE).only(
            "id",
            "admin_version",
            "code",
            *[f for f in _COMPARED if f != "parent_id"],
            "parent_id",
            "province_id",
            "district_id",
            "commune_id",
            "search_name",
        )
    }
    # Level by level, so every parent has an id before its children are written.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create, to_update = [], []
        for row in (r for r in rows if r.level == level):
            parent = existing[(row.version, row.parent_code)] if row.parent_code else None
            desired = _desired_fields(row) | {"parent_id": parent.pk if parent else None}
            unit = existing.get(row.key)
            if unit is None:
                unit = AdministrativeUnit(admin_version=row.version, code=row.code, **desired)
                unit.parent = parent
                _prepare(unit)
                to_create.append(unit)
            elif any(getattr(unit, name) != value for name, value in desired.items()):
                for name, value in desired.items():
                    setattr(unit, name, value)
                unit.parent = parent
                _prepare(unit)
                to_update.append(unit)
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            AdministrativeUnit.objects.bulk_update(
                to_update,
                [
                    *[f for f in _COMPARED if f != "parent_id"],
                    "parent",
                    "province",
                    "district",
                    "commune",
                    "search_name",
                ],
                batch_size=2000,
            )
        for unit in to_create:
            existing[(unit.admin_version, unit.code)] = unit
        result.created += len(to_create)
        result.updated += len(to_update)

    result.updated += _refresh_villages()

    ids = {key: unit.pk for key, unit in existing.items()}
    desired: dict[tuple[int, int], bool] = {}
    for old_key, new_key, partial in source_lineage(rows):
        if old_key not in ids or new_key not in ids:
            # The conversion table names a few codes absent from the unit lists (retired before
            # 2025); there is nothing to link them to.
            result.skipped_links += 1
            continue
        pair = (ids[old_key], ids[new_key])
        desired[pair] = desired.get(pair, False) or partial
    have = {
        (old, new): (pk, partial)
        for pk, old, new, partial in UnitLineage.objects.values_list("pk", "old_id", "new_id", "partial")
    }
    new_links = [
        UnitLineage(old_id=old, new_id=new, partial=partial)
        for (old, new), partial in desired.items()
        if (old, new) not in have
    ]
    changed = [
        UnitLineage(pk=pk, partial=desired[pair])
        for pair, (pk, partial) in have.items()
        if pair in desired and desired[pair] != partial
    ]
    # Links the official table no longer has (e.g. one an earlier version of the data got wrong).
    obsolete = [pk for pair, (pk, _partial) in have.items() if pair not in desired]
    UnitLineage.objects.bulk_create(new_links, batch_size=5000)
    UnitLineage.objects.bulk_update(changed, ["partial"], batch_size=5000)
    UnitLineage.objects.filter(pk__in=obsolete).delete()
    result.created += len(new_links)
    result.updated += len(changed) + len(obsolete)
    result.lineage_links = UnitLineage.objects.count()
    place_everything(AdministrativeUnit, UnitLineage, located_records())

    counts = {AdminVersion.PRE2025.value: {}, AdminVersion.V2025.value: {}}
    names = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}
    for version, level in {(r.version, r.level) for r in rows}:
        counts[version][names[level]] = AdministrativeUnit.objects.filter(
            admin_version=version, level=level
        ).count()
    result.counts = {
        version: dict(sorted(c.items(), key=lambda kv: list(names.values()).index(kv[0])))
        for version, c in counts.items()
    }
    return result


def _refresh_villages() -> int:
    """Villages (added by users) of a commune the data moved to another district or province take
    the commune's new ancestors."""
    stale = []
    for village in AdministrativeUnit.objects.filter(level=Level.VILLAGE).select_related("parent"):
        before = (village.province_id, village.district_id, village.commune_id)
        village.fill_ancestors()
        if (village.province_id, village.district_id, village.commune_id) != before:
            stale.append(village)
    AdministrativeUnit.objects.bulk_update(stale, ["province", "district", "commune"], batch_size=2000)
    return len(stale)


def _prepare(unit: AdministrativeUnit) -> None:
    """What save() would do, for bulk writes: the search key and the copied ancestors."""
    from core.text import search_key

    unit.search_name = search_key(unit.name)
    unit.fill_ancestors()
