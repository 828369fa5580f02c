"""Data for bench/bench_reports.py (run inside a configured Django process).

generate_province  a 2025-tree province with N communes and a given number of households, each with an
                   approved end-of-2025 review (NĐ 07/2021) and one in ten with a second review approved
                   in the first quarter of 2026; social-protection and merit policy groups, female heads,
                   ethnic minority, no-labour households; a target per commune. Loaded with COPY.
list_document      a Mẫu 02 list of N registered households as a report document (no database)."""

import io
import random
from datetime import UTC, date, datetime

from django.db import connection, transaction

NAMES_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
NAMES_MIDDLE = ["Thị", "Thị", "Thị Ngọc", "Thị Thanh", "Thị Kim", "Văn", "Hữu"]
NAMES_GIVEN = [
    "Hoa",
    "Mai",
    "Lan",
    "Hương",
    "Tuyết",
    "Hạnh",
    "Xuân",
    "Thảo",
    "Nhung",
    "Lụa",
    "Bình",
    "Sơn",
    "Dũng",
]
CIRCUMSTANCES = [
    "Chồng mất, một mình nuôi 2 con nhỏ đang đi học.",
    "Chồng bị bệnh nặng, không lao động được; thu nhập chỉ từ làm thuê theo mùa.",
    "Đông con, thiếu đất sản xuất, nhà tạm.",
    "Mẹ già yếu, chủ hộ thường xuyên ốm đau, con còn nhỏ.",
    "Hộ mới tách, chưa có vốn sản xuất, làm thuê không ổn định.",
]
CAUSES = [
    "Thiếu vốn sản xuất",
    "Thiếu đất sản xuất",
    "Thiếu lao động",
    "Có người ốm đau, bệnh nặng",
    "Thiếu việc làm",
]
NEEDS = [
    "Vay vốn nuôi bò sinh sản.",
    "Học nghề may để có việc làm ổn định.",
    "Hỗ trợ sửa nhà và vay vốn chăn nuôi heo.",
    "Hỗ trợ bảo hiểm y tế và học phí cho con.",
]
MEASURES = [
    "Vay vốn ưu đãi (NHCSXH)",
    "Hỗ trợ con giống",
    "Đào tạo nghề",
    "Giới thiệu việc làm",
    "Hỗ trợ nhà ở",
    "Tổ tiết kiệm",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(NAMES_FAMILY)} {rng.choice(NAMES_MIDDLE)} {rng.choice(NAMES_GIVEN)}"


def list_document(rows: int, *, seed: int = 5):
    from core import tables as t
    from households.models import PovertyClass
    from reports.builders.organisation import ListData, build_mau02
    from reports.frame import Frame
    from reports.selectors import ListItem, UnitRef

    rng = random.Random(seed)
    communes = [
        "Xã Cam Tuyền",
        "Xã Thanh An",
        "Xã Cam Thủy",
        "Xã Cam Hiếu",
        "Xã Cam Thành",
        "Thị trấn Cam Lộ",
        "Xã Cam Nghĩa",
        "Xã Cam Chính",
    ]
    per_commune = max(1, rows // len(communes))
    items = []
    for n in range(rows):
        commune_index = min(n // per_commune, len(communes) - 1)
        items.append(
            ListItem(
                commune_id=commune_index + 1,
                commune=communes[commune_index],
                village=f"Thôn {rng.randint(1, 12)}",
                head=_name(rng),
                poverty_class=rng.choice([PovertyClass.POOR, PovertyClass.POOR, PovertyClass.NEAR_POOR]),
                circumstances=rng.choice(CIRCUMSTANCES),
                causes=rng.sample(CAUSES, rng.randint(1, 2)),
                needs=rng.choice(NEEDS),
                measures=rng.sample(MEASURES, rng.randint(1, 3)),
                responsible=f"Chi hội phụ nữ thôn {rng.randint(1, 12)}",
                note="",
            )
        )
    frame = Frame(
        parent_agency="Hội LHPN tỉnh Quảng Trị",
        agency="Hội Liên hiệp Phụ nữ huyện Cam Lộ",
        place="Cam Lộ",
        signature=t.Signature("TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", "Phan Thị Lan"),
    )
    data = ListData(
        UnitRef(1, "Huyện Cam Lộ", "468", 2), "hlhpn", "Hội Liên hiệp Phụ nữ huyện Cam Lộ", 2021, items
    )
    return build_mau02(data, frame=frame, issued_on=date(2021, 3, 18), preparer="Lê Thị Hoa")


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def generate_province(*, households: int, communes: int, name: str, code: str = "96", seed: int = 7) -> dict:
    from households.models import Assessment, Household, PolicyGroup, PovertyStandard
    from targets.models import AnnualTarget
    from units.models import AdministrativeUnit, AdminVersion, Area, Kind, Level

    rng = random.Random(seed)
    now = datetime(2026, 4, 2, tzinfo=UTC).isoformat()
    with transaction.atomic():
        province = AdministrativeUnit.objects.create(
            admin_version=AdminVersion.V2025,
            code=code,
            name=name,
            short_name=name,
            kind=Kind.TINH,
            level=Level.PROVINCE,
        )
        units = [
            AdministrativeUnit(
                admin_version=AdminVersion.V2025,
                code=f"{code}{n:03d}",
                name=f"Xã {n}",
                short_name=f"Xã {n}",
                kind=Kind.XA,
                level=Level.COMMUNE,
                parent=province,
                area=Area.RURAL,
            )
            for n in range(communes)
        ]
        for unit in units:
            unit.search_name = unit.name.lower()
            unit.fill_ancestors()
        units = AdministrativeUnit.objects.bulk_create(units)
        # The end-2025 review and the regular reviews of 2026 are both under NĐ 07 (kept for 2026).
        standard_2026 = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2025)
        groups = {
            g.code: g.pk for g in PolicyGroup.objects.filter(code__in=["bao-tro-xa-hoi", "nguoi-co-cong"])
        }

        first_id = (Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        household_rows, assessment_rows, policy_rows = [], [], []
        classes = ["poor"] * 5 + ["near_poor"] * 4 + ["medium"] * 11 + ["not_poor"] * 80
        for n in range(households):
            household_id = first_id + n
            commune = units[n % communes]
            cls = rng.choice(classes)
            female = rng.random() < 0.3
            ethnic = rng.random() < 0.1
            no_labour = cls == "poor" and rng.random() < 0.3
            household_rows.append(
                (
                    household_id,
                    1,
                    f"H{n:07d}",
                    province.pk,
                    None,
                    commune.pk,
                    None,
                    "",
                    "rural",
                    "no_labour" if no_labour else "has_labour",
                    "f",
                    "",
                    f"Hộ {n}",
                    f"ho {n}",
                    "t" if female else "f",
                    "t" if ethnic else "f",
                    4,
                    cls,
                    "",
                    2025,
                    "approved",
                    None,
                    "",
                    None,
                    None,
                    now,
                    now,
                )
            )
            if cls == "poor" and rng.random() < 0.4:
                policy_rows.append((household_id, groups["bao-tro-xa-hoi"]))
            if cls == "poor" and rng.random() < 0.05:
                policy_rows.append((household_id, groups["nguoi-co-cong"]))
            mask = rng.getrandbits(12) if cls in ("poor", "near_poor") else 0
            changed = rng.random() < 0.1
            valid_until = "2026-02-15" if changed else None
            assessment_rows.append(
                (
                    1,
                    household_id,
                    province.pk,
                    None,
                    commune.pk,
                    None,
                    "periodic",
                    2025,
                    "2025-12-15",
                    standard_2026.pk,
                    "rural",
                    4,
                    None,
                    1_000_000 if cls in ("poor", "near_poor") else 3_000_000,
                    mask,
                    bin(mask).count("1"),
                    cls,
                    "",
                    "",
                    "",
                    "approved",
                    "",
                    "first",
                    None,
                    valid_until,
                    "",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    now,
                    now,
                    now,
                )
            )
            if changed:
                new = rng.choice(["poor", "near_poor", "not_poor"])
                change = {"poor": "new_poor", "near_poor": "new_near_poor", "not_poor": "escaped_poverty"}[
                    new
                ]
                if cls == "poor":
                    change = {
                        "poor": "unchanged",
                        "near_poor": "escaped_to_near_poor",
                        "not_poor": "escaped_poverty",
                    }[new]
                assessment_rows.append(
                    (
                        1,
                        household_id,
                        province.pk,
                        None,
                        commune.pk,
                        None,
                        "regular",
                        2026,
                        "2026-02-15",
                        standard_2026.pk,
                        "rural",
                        4,
                        None,
                        2_000_000,
                        0,
                        0,
                        new,
                        "",
                        "",
                        "",
                        "approved",
                        "",
                        change,
                        None,
                        None,
                        "",
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        now,
                        now,
                        now,
                    )
                )
        _copy(
            "households_household",
            [
                "id",
                "version",
                "code",
                "province_id",
                "district_id",
                "commune_id",
                "village_id",
                "address",
                "area",
                "labour",
                "agri_forestry_fishery_salt",
                "note",
                "head_name",
                "head_search",
                "female_head",
                "ethnic_minority",
                "member_count",
                "status_class",
                "status_group",
                "status_year",
                "latest_state",
                "removed_on",
                "removed_reason",
                "created_by_id",
                "updated_by_id",
                "created_at",
                "updated_at",
            ],
            household_rows,
        )
        _copy(
            "households_assessment",
            [
                "version",
                "household_id",
                "province_id",
                "district_id",
                "commune_id",
                "village_id",
                "kind",
                "review_year",
                "effective_date",
                "standard_id",
                "area",
                "member_count",
                "annual_income",
                "income_per_capita",
                "deprived_mask",
                "deprived_count",
                "result_class",
                "result_group",
                "reasons",
                "commune_class",
                "state",
                "returned_reason",
                "change",
                "previous_id",
                "valid_until",
                "note",
                "import_job_id",
                "created_by_id",
                "updated_by_id",
                "submitted_by_id",
                "submitted_at",
                "decided_by_id",
                "decided_at",
                "created_at",
                "updated_at",
            ],
            assessment_rows,
        )
        _copy("households_household_policy_groups", ["household_id", "policygroup_id"], policy_rows)
        # Their place in the 2025 tree, as the product's writes set it (units/placement.py).
        from households.models import Assessment
        from units.placement import place_records

        place_records(AdministrativeUnit, Household.objects.filter(province=province))
        place_records(AdministrativeUnit, Assessment.objects.filter(province=province))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('households_household', 'id'), (SELECT MAX(id) FROM households_household))"
            )
        AnnualTarget.objects.bulk_create(
            [
                AnnualTarget(
                    unit=unit, year=2026, reduce_poor=rng.randint(5, 60), reduce_near_poor=rng.randint(5, 40)
                )
                for unit in units
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "province_id": province.pk,
        "households": households,
        "assessments": len(assessment_rows),
        "communes": communes,
    }
