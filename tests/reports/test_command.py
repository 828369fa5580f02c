"""`manage.py render_report` for scheduled generation."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from households.models import PovertyClass
from tests import factories as f
from tests.reports.factories import household_with_status
from units.models import AdminVersion


@pytest.fixture
def district(db):
    province = f.province(name="Tỉnh Quảng Trị", code="45", admin_version=AdminVersion.PRE2025)
    district = f.district(province, name="Huyện Cam Lộ", code="468")
    commune = f.commune(district, name="Xã Cam Tuyền", code="19600")
    for _ in range(3):
        household_with_status(commune, PovertyClass.POOR, effective=date(2020, 12, 15))
    household_with_status(commune, PovertyClass.NOT_POOR, effective=date(2020, 12, 15))
    return district


def test_writes_the_file_and_prints_json(district, tmp_path, capsys):
    out = tmp_path / "q1.xlsx"
    call_command(
        "render_report",
        "quarterly",
        "--unit",
        "468",
        "--admin-version",
        "pre2025",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--format",
        "xlsx",
        "--output",
        str(out),
        "--json",
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["unit"] == {"code": "468", "name": "Huyện Cam Lộ", "admin_version": "pre2025"}
    assert summary["output"] == str(out) and summary["bytes"] == out.stat().st_size
    sheet = load_workbook(out).worksheets[0]
    total = next(row for row in sheet.iter_rows() if row[1].value == "Tổng cộng")
    assert (total[2].value, total[3].value, total[4].value) == (4, 3, 75.0)


def test_document_date_and_default_file_name(district, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    call_command(
        "render_report",
        "quarterly",
        "--unit",
        "468",
        "--admin-version",
        "pre2025",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--format",
        "pdf",
        "--date",
        "2021-03-18",
    )
    written = tmp_path / "quarterly-2021-quy-1-huyen-cam-lo.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    out = capsys.readouterr().out
    size = f"{written.stat().st_size:,}".replace(",", ".")
    assert "Đã ghi" in out and f"({size} byte," in out  # Vietnamese grouping: 35.970, not 35,970


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--unit", "999", "--admin-version", "pre2025", "--year", "2021", "--quarter", "1"],
            "Không có đơn vị mã 999",
        ),
        (["--unit", "468", "--admin-version", "pre2025", "--year", "2021"], "Hãy chọn quý"),
        (
            [
                "--unit",
                "468",
                "--admin-version",
                "pre2025",
                "--year",
                "2021",
                "--quarter",
                "1",
                "--user",
                "ghost",
            ],
            "Không có tài khoản ghost",
        ),
    ],
)
def test_errors_say_what_to_fix(district, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "render_report", "quarterly", *args, "--format", "pdf", "--output", str(tmp_path / "x.pdf")
        )


def test_a_named_user_is_held_to_their_scope(world, tmp_path):
    with pytest.raises(CommandError, match="không xem được"):
        call_command(
            "render_report",
            "quarterly",
            "--unit",
            world.B.code,
            "--year",
            "2025",
            "--quarter",
            "1",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
            "--user",
            "officer_a",
        )
