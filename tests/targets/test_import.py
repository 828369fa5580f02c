"""import_targets: the Cam Lộ table as typed from the source, as a spreadsheet with merged
headers, and the ways a table can be wrong."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from targets.importing import Cell, ImportFailed, import_targets, parse_count, parse_rate
from targets.models import AnnualTarget
from tests import factories as f
from units.models import AdminVersion, Kind

from .sources import CAM_LO_2021, CAM_LO_2021_TOTAL, CAM_LO_INCONSISTENT

DATA = Path(__file__).parent / "data"
TSV = DATA / "camlo_2021.tsv"

CAM_LO_COMMUNES = [  # (code, name, kind) as in the administrative register
    ("19597", "Thị trấn Cam Lộ", Kind.THI_TRAN),
    ("19600", "Xã Cam Tuyền", Kind.XA),
    ("19603", "Xã Thanh An", Kind.XA),
    ("19606", "Xã Cam Thủy", Kind.XA),
    ("19612", "Xã Cam Thành", Kind.XA),
    ("19615", "Xã Cam Hiếu", Kind.XA),
    ("19618", "Xã Cam Chính", Kind.XA),
    ("19621", "Xã Cam Nghĩa", Kind.XA),
]


@pytest.fixture
def cam_lo(db):
    province = f.province(name="Tỉnh Quảng Trị", code="45", admin_version=AdminVersion.PRE2025)
    district = f.district(province, name="Huyện Cam Lộ", code="468")
    for code, name, kind in CAM_LO_COMMUNES:
        f.commune(district, name=name, code=code, kind=kind)
    # A namesake elsewhere, so that a name alone does not say which district is meant.
    other = f.district(province, name="Huyện Khác", code="469")
    f.commune(other, name="Xã Cam Thủy", code="19700")
    return district


def _run(*args) -> dict:
    out = io.StringIO()
    call_command("import_targets", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_cam_lo_table_typed_as_in_the_source_flags_exactly_its_two_inconsistent_rows(cam_lo):
    result = _run(str(TSV), "--year", "2021", "--unit", "468")

    assert (result["rows"], result["imported"]) == (8, 6)
    assert {error["unit"] for error in result["errors"]} == CAM_LO_INCONSISTENT
    assert all(set(error) == {"row", "unit", "message"} for error in result["errors"])
    assert {error["row"] for error in result["errors"]} == {18, 19}  # rows of the file
    assert "hộ CS GN (0) + HN cứng (38) = 38, khác số hộ nghèo (29)" in " ".join(
        e["message"] for e in result["errors"]
    )
    targets = {t.unit.name: t for t in AnnualTarget.objects.filter(year=2021).select_related("unit")}
    assert set(targets) == {
        "Huyện Cam Lộ",
        *(row[0] for row in CAM_LO_2021 if row[0] not in CAM_LO_INCONSISTENT),
    }
    tuyen = targets["Xã Cam Tuyền"]
    assert (
        tuyen.baseline_households,
        tuyen.baseline_poor,
        tuyen.baseline_poor_policy,
        tuyen.baseline_poor_social_protection,
        tuyen.reduce_poor,
    ) == (1458, 99, 44, 55, 17)
    assert tuyen.baseline_source == AnnualTarget.BaselineSource.IMPORTED
    assert tuyen.parent == targets["Huyện Cam Lộ"]
    assert targets["Huyện Cam Lộ"].reduce_poor == CAM_LO_2021_TOTAL[8]
    assert [t.position for t in AnnualTarget.objects.filter(parent=targets["Huyện Cam Lộ"])] == [
        1,
        2,
        3,
        4,
        5,
        8,
    ]


def test_dry_run_checks_and_writes_nothing(cam_lo):
    result = _run(str(TSV), "--year", "2021", "--unit", "468", "--dry-run")
    assert (result["imported"], result["dry_run"], len(result["errors"])) == (6, True, 6)
    assert not AnnualTarget.objects.exists()


def test_the_parent_is_found_from_the_names_when_not_given(cam_lo):
    result = _run(str(TSV), "--year", "2021")
    assert result["parent"] == "Huyện Cam Lộ"
    assert result["imported"] == 6


def test_importing_again_updates_the_same_targets(cam_lo):
    _run(str(TSV), "--year", "2021", "--unit", "468")
    result = _run(str(TSV), "--year", "2021", "--unit", "468")
    assert (result["created"], result["updated"]) == (0, 7)
    assert AnnualTarget.objects.count() == 7


def _xlsx(rows_as_typed: bool = True, rows=None, total=CAM_LO_2021_TOTAL) -> bytes:
    """The table as a spreadsheet: title rows, three header rows with merged cells, the numbering
    row, units, totals. Figures typed as text ("1.458", "6,79") or as numeric cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(["ỦY BAN NHÂN DÂN HUYỆN CAM LỘ"])
    sheet.append(["KẾ HOẠCH Thực hiện Chương trình giảm nghèo năm 2021"])
    sheet.append([])
    sheet.append(
        [
            "TT",
            "Đơn vị",
            "Hộ nghèo đầu 2021",
            None,
            None,
            "Hộ nghèo theo nhóm đối tượng",
            None,
            None,
            None,
            "Chỉ tiêu GN 2021",
            None,
            "Hộ nghèo cuối năm 2021",
            None,
        ]
    )
    sheet.append(
        [
            None,
            None,
            "Dân số (hộ)",
            "Hộ nghèo",
            "Tỷ lệ (%)",
            "Tổng HN CSGN",
            None,
            "Tổng HN cứng",
            None,
            "Hộ giảm",
            "Tỷ lệ giảm",
            "Hộ nghèo",
            "Tỷ lệ (%)",
        ]
    )
    sheet.append([None] * 5 + ["Hộ CS GN", "Tỷ lệ (%)", "HN cứng", "Tỷ lệ (%)"] + [None] * 4)
    for merged in (
        "A4:A6",
        "B4:B6",
        "C4:E4",
        "F4:I4",
        "J4:K4",
        "L4:M4",
        "C5:C6",
        "D5:D6",
        "E5:E6",
        "F5:G5",
        "H5:I5",
        "J5:J6",
        "K5:K6",
        "L5:L6",
        "M5:M6",
    ):
        sheet.merge_cells(merged)
    sheet.append(["A", "B", 1, 2, 3, 4, 5, 6, 7, 8, 9, "10=2-8", "11=10/1"])
    for number, row in enumerate(rows or CAM_LO_2021, start=1):
        cells = list(row[1:])
        if rows_as_typed:
            cells = [f"{c:,}".replace(",", ".") if isinstance(c, int) else c for c in cells]
        else:
            cells = [float(c.replace(",", ".")) if isinstance(c, str) else c for c in cells]
        sheet.append([number, row[0], *cells])
        if not rows_as_typed:
            for cell in sheet[sheet.max_row][2:]:
                cell.number_format = "0.00" if isinstance(cell.value, float) else "#,##0"
    if total:
        sheet.append([None, total[0], *total[1:]])
    sheet.append([])
    sheet.append(["* Dự kiến kết quả tổng điều tra"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("as_typed", [True, False], ids=["text-figures", "numeric-cells"])
def test_a_spreadsheet_with_merged_headers_reads_the_same(cam_lo, as_typed):
    result = import_targets(
        name="chi-tieu-2021.xlsx",
        data=_xlsx(as_typed),
        year=2021,
        admin_version=AdminVersion.PRE2025,
        parent=cam_lo,
    )
    assert {error.unit for error in result.errors} == CAM_LO_INCONSISTENT
    assert result.imported == 6
    assert AnnualTarget.objects.get(unit__name="Xã Cam Hiếu").baseline_households == 1779


def test_units_written_differently_are_still_found(cam_lo):
    rows = [
        ("Cam Tuyền", *CAM_LO_2021[0][1:]),
        ("thị trấn Cam Lộ", 2169, 38, "1,75", 0, "0", 38, "1,75", 2, "0,09", 36, "1,66"),
        ("X. Thanh An", *CAM_LO_2021[1][1:]),
    ]
    result = import_targets(
        name="t.xlsx",
        data=_xlsx(rows=rows, total=None),
        year=2021,
        admin_version=AdminVersion.PRE2025,
        parent=cam_lo,
    )
    assert result.errors == []
    assert result.imported == 3
    assert not AnnualTarget.objects.filter(unit=cam_lo).exists()  # no totals row: no parent target


def test_every_kind_of_failure_is_reported_with_row_unit_and_reason(cam_lo):
    rows = [
        ("Xã Không Có", *CAM_LO_2021[0][1:]),
        ("Xã Cam Tuyền", "1.458", "chín mươi", "6,79", 44, "3,02", 55, "3,77", 17, "1,17", 82, "5,62"),
        ("Xã Thanh An", 2706, 99, "3,66", 16, "0,59", 83, "3,07", 6, "0,22", 92, "3,40"),
        ("Xã Cam Thủy", *CAM_LO_2021[2][1:]),
        ("Cam Thủy", *CAM_LO_2021[2][1:]),
    ]
    result = import_targets(
        name="t.xlsx", data=_xlsx(rows=rows), year=2021, admin_version=AdminVersion.PRE2025, parent=cam_lo
    )
    messages = [(e.row, e.unit, e.message) for e in result.errors]
    assert (8, "Xã Không Có", "Không tìm thấy đơn vị “Xã Không Có” trong Huyện Cam Lộ.") in messages
    assert (9, "Xã Cam Tuyền", "Cột 2 (hộ nghèo đầu năm) ghi “chín mươi”, không phải số hộ.") in messages
    assert (
        10,
        "Xã Thanh An",
        "Hộ nghèo cuối năm ghi 92, nhưng hộ nghèo đầu năm − hộ giảm = 99 − 6 = 93.",
    ) in messages
    assert (12, "Cam Thủy", "Đơn vị này đã có ở dòng 11.") in messages
    assert any(
        row == 13 and unit == "Tổng cộng" and "tổng các dòng là" in message for row, unit, message in messages
    )
    assert result.imported == 1  # only the first Cam Thủy row
    assert not AnnualTarget.objects.filter(unit=cam_lo).exists()  # the totals row does not add up


def test_a_file_without_the_numbering_row_is_refused_with_what_to_do(cam_lo, tmp_path):
    path = tmp_path / "bang.csv"
    path.write_text("TT;Đơn vị;Hộ nghèo\n1;Xã Cam Tuyền;99\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_targets", str(path), "--year", "2021", "--unit", "468")
    assert "Không tìm thấy dòng đánh số cột (A, B, 1, 2, …, 11)" in str(error.value)


def test_an_unknown_parent_unit_is_refused(cam_lo):
    with pytest.raises(CommandError) as error:
        call_command("import_targets", str(TSV), "--year", "2021", "--unit", "999")
    assert "Không có đơn vị mã 999 trong phiên bản pre2025" in str(error.value)


def test_a_corrupt_spreadsheet_is_refused_in_vietnamese(cam_lo):
    with pytest.raises(ImportFailed) as error:
        import_targets(
            name="x.xlsx", data=b"PK\x03\x04 broken", year=2021, admin_version="pre2025", parent=cam_lo
        )
    assert str(error.value).startswith("Không đọc được tệp “x.xlsx”")
    assert "zip" not in str(error.value)  # no English from the spreadsheet library


def test_a_user_must_hold_the_allocation_permission_at_the_unit(cam_lo, world):
    with pytest.raises(CommandError) as error:
        call_command("import_targets", str(TSV), "--year", "2021", "--unit", "468", "--user", "officer_a")
    assert "không có quyền giao chỉ tiêu tại Huyện Cam Lộ" in str(error.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.458", 1458),
        ("14.932", 14932),
        ("1 458", 1458),
        ("420 hộ", 420),
        (1458, 1458),
        (1458.0, 1458),
        ("-", 0),
        ("", None),
        (None, None),
    ],
)
def test_counts_as_typed(value, expected):
    assert parse_count(Cell(value)) == expected


@pytest.mark.parametrize("value", ["1,5", "1.45", "abc", 2.5, "1.4588"])
def test_not_counts(value):
    with pytest.raises(ValueError):
        parse_count(Cell(value))


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("6,79", None, ("6.79", 2)),
        ("6,79%", None, ("6.79", 2)),
        ("0,5", None, ("0.5", 1)),
        ("7", None, ("7", 0)),
        (6.79, 2, ("6.79", 2)),
        (0.05, 2, ("0.05", 2)),
        (1.8, 2, ("1.80", 2)),
        (6.79, None, ("6.79", 2)),
    ],
)
def test_rates_as_typed(value, places, expected):
    from decimal import Decimal

    stated = parse_rate(Cell(value, places))
    assert (stated.value, stated.places) == (Decimal(expected[0]), expected[1])


def test_a_rate_cell_too_big_for_a_decimal_is_reported_not_a_crash(cam_lo):
    rows = [("Xã Cam Tuyền", 1458, 99, 1e30, 44, "3,02", 55, "3,77", 17, "1,17", 82, "5,62")]
    result = import_targets(
        name="t.xlsx",
        data=_xlsx(rows=rows, total=None),
        year=2021,
        admin_version=AdminVersion.PRE2025,
        parent=cam_lo,
    )
    assert [(e.row, e.unit) for e in result.errors] == [(8, "Xã Cam Tuyền")]
    assert "không phải" in result.errors[0].message
    assert result.imported == 0
