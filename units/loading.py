"""Load the real administrative units of Vietnam from the `vietnam-provinces` package: the pre-2025
three-tier tree, the 2025 two-tier tree and the official old → new conversion. Idempotent: units
are matched on (version, code), changed ones updated, missing ones created, links added once."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from .models import REFORM_DATE, AdministrativeUnit, AdminVersion, Area, Kind, Level, UnitLineage

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


def source_lineage() -> list[tuple[tuple[str, str], tuple[str, str], bool]]:
    """(old key, new key, partial) for provinces and communes, from the official conversion."""
    from vietnam_provinces._province_conversion_2025 import NEW_TO_OLD as PROVINCE_NEW_TO_OLD
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW

    pre, new = AdminVersion.PRE2025, AdminVersion.V2025
    links = []
    for new_code, entry in PROVINCE_NEW_TO_OLD.items():
        for old in entry.old_provinces:
            links.append(((pre, _code(old.code, 1)), (new, _code(new_code, 1)), False))
    for old_code, entry in WARD_OLD_TO_NEW.items():
        for target in entry.new_wards:
            links.append(
                ((pre, _code(old_code, 3)), (new, _code(target.code, 3)), entry.old_ward.is_partly_merged)
            )
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

    ids = {key: unit.pk for key, unit in existing.items()}
    have = set(UnitLineage.objects.values_list("old_id", "new_id"))
    new_links = []
    for old_key, new_key, partial in source_lineage():
        if old_key not in ids or new_key not in ids:
            # The conversion table names a few codes absent from the unit lists (retired before
            # 2025); there is nothing to link them to.
            result.skipped_links += 1
            continue
        pair = (ids[old_key], ids[new_key])
        if pair not in have:
            have.add(pair)
            new_links.append(UnitLineage(old_id=pair[0], new_id=pair[1], partial=partial))
    UnitLineage.objects.bulk_create(new_links, batch_size=5000)
    result.created += len(new_links)
    result.lineage_links = UnitLineage.objects.count()

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


def _prepare(unit: AdministrativeUnit) -> None:
    """What save() would do, for bulk writes: the search key and the copied ancestors."""
    from core.text import search_key

    unit.search_name = search_key(unit.name)
    unit.fill_ancestors()
