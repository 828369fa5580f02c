"""What an import means (issue points 3, 4, 6, 7): classification, strict and skip modes,
idempotence, audit attribution, the assessment chain, scope and safe uploads."""

import io
import json
import zipfile
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from households.census.plan import build_plan
from households.census.results import ERRORS, SYSTEM_CLASS, results_workbook
from households.census.services import census_import
from households.census.template import template_headers, template_workbook
from households.census.xlsx import Limits
from households.classification import classify
from households.models import Assessment, Household, Member, PovertyStandard
from tests import factories as f
from tests.census import files
from units.models import AdministrativeUnit, AdminVersion, Level, Role

# domain.md §8: (area, income, deprived count) → outcome under QĐ 59 (2016–2020), NĐ 07 (2022–2026), NĐ 351 (2027–2030)
VECTORS = [
    ("R", 700_000, 0, "POOR-N1", "NEAR", "NEAR"),
    ("R", 700_001, 3, "POOR-N2", "POOR", "POOR"),
    ("R", 700_001, 2, "NEAR", "NEAR", "NEAR"),
    ("R", 1_000_000, 3, "POOR-N2", "POOR", "POOR"),
    ("R", 1_000_001, 5, "MED", "POOR", "POOR"),
    ("R", 1_500_000, 3, "MED", "POOR", "POOR"),
    ("R", 1_500_000, 2, "MED", "NEAR", "NEAR"),
    ("R", 1_500_001, 4, "NOT", "MED", "POOR"),
    ("R", 2_200_000, 3, "NOT", "MED", "POOR"),
    ("R", 2_200_001, 6, "NOT", "MED", "NOT"),
    ("R", 2_250_000, 0, "NOT", "MED", "NOT"),
    ("R", 2_250_001, 0, "NOT", "NOT", "NOT"),
    ("U", 900_000, 0, "POOR-N1", "NEAR", "NEAR"),
    ("U", 1_300_000, 3, "POOR-N2", "POOR", "POOR"),
    ("U", 1_300_001, 3, "MED", "POOR", "POOR"),
    ("U", 2_000_000, 2, "NOT", "NEAR", "NEAR"),
    ("U", 2_000_001, 3, "NOT", "MED", "POOR"),
    ("U", 2_800_000, 3, "NOT", "MED", "POOR"),
    ("U", 3_000_000, 5, "NOT", "MED", "NOT"),
    ("U", 3_000_001, 0, "NOT", "NOT", "NOT"),
    ("R", 0, 0, "POOR-N1", "NEAR", "NEAR"),
    ("U", 950_000, 10, "POOR-N2", "POOR", "POOR"),
]
OUTCOME = {
    "POOR-N1": ("poor", "income"),
    "POOR-N2": ("poor", "deprivation"),
    "POOR": ("poor", ""),
    "NEAR": ("near_poor", ""),
    "MED": ("medium", ""),
    "NOT": ("not_poor", ""),
}


@pytest.fixture
def nation(db):
    """A commune of each tree and a national administrator (the §8 vectors span 2016–2030)."""
    old = f.province(name="Tỉnh Cũ", code="45", admin_version=AdminVersion.PRE2025)
    old_commune = f.commune(
        f.district(old, code="468"), name="Xã Cam Tuyền", short_name="Cam Tuyền", code="19600"
    )
    new = f.province(name="Tỉnh Quảng Trị", code="44")
    new_commune = f.commune(new, name="Xã Cam Lộ", short_name="Cam Lộ", code="19597")
    admin = f.UserFactory(username="quantri")
    f.member_of(admin, None, Role.ADMINISTRATOR)
    return {"old": old_commune, "new": new_commune, "admin": admin}


@pytest.mark.parametrize(
    ("year", "column", "standard"),
    [(2020, 3, "qd59-2015"), (2024, 4, "nd07-2021"), (2028, 5, "nd351-2025")],
)
def test_import_agrees_with_the_pure_classification_on_every_domain_vector(nation, year, column, standard):
    commune = nation["old"] if year <= 2024 else nation["new"]
    rows = [
        files.Household(
            f"V{i:02d}",
            commune_code=commune.code,
            area="Nông thôn" if vec[0] == "R" else "Thành thị",
            income=vec[1],
            deprived=tuple(range(1, vec[2] + 1)),
        )
        for i, vec in enumerate(VECTORS, start=1)
    ]
    report = census_import(data=files.simple(rows, year), year=year, user=nation["admin"])
    assert report.errors == [] and report.created == len(VECTORS)
    rules = PovertyStandard.objects.get(code=standard).rules()
    codes = list(rules.indicators)
    for i, vec in enumerate(VECTORS, start=1):
        assessment = Assessment.objects.get(household__code=f"V{i:02d}")
        assert assessment.standard.code == standard
        pure = classify(rules, "rural" if vec[0] == "R" else "urban", vec[1], codes[: vec[2]])
        assert (assessment.result_class, assessment.result_group) == (pure.poverty_class, pure.group), vec
        assert (assessment.result_class, assessment.result_group) == OUTCOME[vec[column]], vec
        assert assessment.deprived_count == vec[2]
        assert assessment.reasons == pure.reason_text
    counts = report.as_json()["counts"]
    assert counts["poor"] == sum(1 for vec in VECTORS if vec[column].startswith("POOR"))
    if year == 2020:
        assert counts["poor_income"] == sum(1 for vec in VECTORS if vec[column] == "POOR-N1")
        assert counts["poor_deprivation"] == sum(1 for vec in VECTORS if vec[column] == "POOR-N2")
    else:
        assert "poor_income" not in counts


def _rows(n, commune="19600", **kwargs):
    return [files.Household(f"H{i:03d}", commune_code=commune, **kwargs) for i in range(1, n + 1)]


def test_one_bad_row_imports_nothing_in_strict_mode_and_everything_else_when_skipping(camlo):
    rows = _rows(5, village="Thôn Mới")
    rows[2].income = "không rõ"
    data = files.simple(rows, 2020)
    before = (LogEntry.objects.count(), AdministrativeUnit.objects.count())
    report = census_import(data=data, year=2020, user=camlo.admin)
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(4, "Thu nhập bình quân (đồng/người/tháng) (N)")]
    assert Household.objects.count() == Assessment.objects.count() == Member.objects.count() == 0
    assert (LogEntry.objects.count(), AdministrativeUnit.objects.count()) == before
    report = census_import(data=data, year=2020, user=camlo.admin, skip_errors=True)
    assert report.written and report.created == 4
    assert sorted(Household.objects.values_list("code", flat=True)) == ["H001", "H002", "H004", "H005"]


def test_running_the_same_file_twice_creates_nothing_the_second_time(camlo):
    data = files.simple(
        _rows(6, village="Thôn An Mỹ", policy="Người có công", causes="Thiếu vốn; Thiếu việc làm"), 2020
    )
    first = census_import(data=data, year=2020, user=camlo.admin)
    counts = (
        Household.objects.count(),
        Assessment.objects.count(),
        Member.objects.count(),
        LogEntry.objects.count(),
    )
    second = census_import(data=data, year=2020, user=camlo.admin)
    assert (first.created, second.created, second.updated, second.unchanged) == (6, 0, 0, 6)
    assert (
        Household.objects.count(),
        Assessment.objects.count(),
        Member.objects.count(),
        LogEntry.objects.count(),
    ) == counts


def test_every_row_becomes_an_approved_year_end_assessment_attributed_to_the_importer(camlo):
    data = files.simple(
        [
            files.Household(
                "H1",
                commune_code="19600",
                head="Lê Thị Hoa",
                sex="Nữ",
                ethnicity="Vân Kiều",
                citizen_id="045170001234",
                members=5,
                income=650_000,
                village="An Mỹ",
                policy="Hộ có người có công; người cao tuổi",
                causes="Thiếu vốn sản xuất",
            )
        ],
        2020,
    )
    report = census_import(data=data, year=2020, user=camlo.admin)
    household = Household.objects.get()
    assessment = household.assessments.get()
    assert (household.province, household.district, household.commune, household.village) == (
        camlo.province,
        camlo.district,
        camlo.tuyen,
        camlo.village,
    )
    assert household.head_name == "Lê Thị Hoa" and household.head_search == "le thi hoa"
    assert household.female_head and household.ethnic_minority and household.member_count == 5
    assert (household.status_class, household.status_group, household.status_year) == ("poor", "income", 2020)
    assert sorted(household.policy_groups.values_list("code", flat=True)) == [
        "nguoi-cao-tuoi",
        "nguoi-co-cong",
    ]
    assert list(household.causes.values_list("code", flat=True)) == ["thieu-von"]
    head = household.members.get()
    assert (head.relation, head.sex, head.birth_year, head.citizen_id, head.ethnicity) == (
        "head",
        "female",
        1970,
        "045170001234",
        "Vân Kiều",
    )
    assert assessment.state == "approved" and assessment.kind == "periodic"
    assert assessment.effective_date == date(2020, 12, 15) and assessment.review_year == 2020
    assert assessment.created_by == assessment.decided_by == camlo.admin
    assert assessment.change == "first" and assessment.valid_until is None
    assert report.written
    assert LogEntry.objects.get_for_object(household).get(actor=camlo.admin).action == LogEntry.Action.CREATE
    entry = LogEntry.objects.get_for_object(assessment).get(actor=camlo.admin)
    assert entry.additional_data["commune"] == camlo.tuyen.pk


def test_audit_entries_of_created_rows_hold_the_values_written(camlo):
    """The set-based write builds these entries' JSON from templates: they must read back as the
    values, whatever characters the file holds."""
    code, head = 'H"1\\/ü', 'Lê Thị "Hoa" \\ \u200b'
    data = files.simple(
        [files.Household(code, commune_code="19600", head=head, members=4, income=650_000)], 2020
    )
    report = census_import(data=data, year=2020, user=camlo.admin, job_id=None)
    assert report.written, report.errors
    household = Household.objects.get()
    assessment = household.assessments.get()
    entry = LogEntry.objects.get_for_object(household).get()
    assert entry.changes == {
        "code": ["None", code],
        "head_name": ["None", household.head_name],
        "member_count": ["None", "4"],
        "status_class": ["None", "Hộ nghèo"],
    }
    assert entry.object_repr == f"{code} – {household.head_name}"
    assert entry.additional_data == {
        "province": camlo.province.pk,
        "district": camlo.district.pk,
        "commune": camlo.tuyen.pk,
        "import_job": None,
    }
    assert entry.timestamp == household.created_at == household.updated_at == assessment.decided_at
    entry = LogEntry.objects.get_for_object(assessment).get()
    assert entry.changes == {
        "review_year": ["None", "2020"],
        "income_per_capita": ["None", "650000"],
        "deprived_count": ["None", "0"],
        "result_class": ["None", "Hộ nghèo"],
        "state": ["None", "approved"],
    }
    assert entry.object_repr == f"{code} · 2020 · Hộ nghèo"
    standard = PovertyStandard.objects.get(code="qd59-2015")
    assert assessment.reasons == classify(standard.rules(), "rural", 650_000, []).reason_text


def test_a_changed_row_updates_the_household_and_its_year_end_result_in_place(camlo):
    census_import(data=files.simple(_rows(2, income=650_000), 2020), year=2020, user=camlo.admin)
    first = Assessment.objects.get(household__code="H001")
    rows = _rows(2, income=650_000)
    rows[0].income, rows[0].members = "1.200.000", 3
    report = census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin, dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    changes = report.updated_preview[0]["changes"]
    assert (
        "Thu nhập bình quân: 650.000 → 1.200.000" in changes
        and "Phân loại: Hộ nghèo → Hộ có mức sống trung bình" in changes
    )
    assert Assessment.objects.get(pk=first.pk).income_per_capita == 650_000  # a dry run writes nothing
    census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin)
    first.refresh_from_db()
    assert (first.income_per_capita, first.result_class, first.version) == (1_200_000, "medium", 2)
    household = first.household
    household.refresh_from_db()
    assert (household.member_count, household.status_class, household.version) == (3, "medium", 2)
    assert Assessment.objects.count() == 2
    assert (
        LogEntry.objects.get_for_object(household)
        .filter(action=LogEntry.Action.UPDATE, actor=camlo.admin)
        .exists()
    )


def test_later_years_chain_and_an_earlier_year_is_inserted_before(camlo):
    def year_file(year, income):
        return files.simple([files.Household("H1", commune_code="19600", income=income)], year)

    census_import(data=year_file(2019, 650_000), year=2019, user=camlo.admin)  # poor
    census_import(data=year_file(2020, 800_000), year=2020, user=camlo.admin)  # near-poor (no deprivation)
    a2019, a2020 = Assessment.objects.order_by("effective_date")
    assert (a2019.change, a2019.valid_until) == ("first", date(2020, 12, 15))
    assert (a2020.previous, a2020.change, a2020.valid_until) == (a2019, "escaped_to_near_poor", None)
    household = Household.objects.get()
    assert (household.status_class, household.status_year) == ("near_poor", 2020)

    census_import(data=year_file(2018, 2_000_000), year=2018, user=camlo.admin)  # not poor, before both
    a2018, a2019, a2020 = Assessment.objects.order_by("effective_date")
    assert (a2018.change, a2018.previous, a2018.valid_until) == ("first", None, date(2019, 12, 15))
    assert (a2019.previous, a2019.change, a2019.valid_until) == (a2018, "new_poor", date(2020, 12, 15))
    assert (a2020.previous, a2020.change) == (a2019, "escaped_to_near_poor")
    household.refresh_from_db()
    assert (household.status_class, household.status_year) == ("near_poor", 2020)


def test_a_province_administrator_cannot_import_rows_of_another_province(camlo):
    rows = [files.Household("H1", commune_code="19600"), files.Household("H2", commune_code="19000")]
    report = census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin, skip_errors=True)
    assert [e.row for e in report.errors] == [3] and "ngoài địa bàn" in report.errors[0].message
    assert list(Household.objects.values_list("code", flat=True)) == ["H1"]


def test_the_commune_own_class_is_compared_and_every_mismatch_listed(camlo):
    rows = _rows(3, income=650_000)
    rows[0].commune_class = "Hộ nghèo"
    rows[1].commune_class = "Hộ cận nghèo"
    rows[2].commune_class = "Không nghèo"
    report = census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin)
    assert [(m.row, m.commune_class, m.computed) for m in report.mismatches] == [
        (3, "near_poor", "poor"),
        (4, "not_poor", "poor"),
    ]
    assert Assessment.objects.get(household__code="H002").commune_class == "near_poor"


def test_the_same_household_twice_in_a_file_is_an_error_on_both_rows(camlo):
    rows = [
        files.Household("H1", commune_code="19600"),
        files.Household("H2", commune_code="19600"),
        files.Household("H1", commune="Cam Tuyền"),
    ]
    report = census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin, skip_errors=True)
    assert sorted(e.row for e in report.errors) == [2, 4]
    assert list(Household.objects.values_list("code", flat=True)) == ["H2"]


def test_a_missing_indicator_or_required_column_is_a_file_error(camlo):
    headers = [h for h in files.headers(2020) if h not in ("Bảo hiểm y tế", "Số nhân khẩu")]
    report = census_import(data=files.workbook([["H1"]], header=headers), year=2020, user=camlo.admin)
    assert report.file_error and not report.written
    text = " ".join(e.message for e in report.errors)
    assert "Số nhân khẩu" in text and "Bảo hiểm y tế" in text


def test_results_file_is_the_input_with_the_system_class_and_the_errors(camlo):
    rows = _rows(3, income=650_000)
    rows[1].sex = "?"
    rows[2].commune_class = "Hộ cận nghèo"
    data = files.simple(rows, 2020, above=[["DANH SÁCH HỘ NĂM 2020"]])
    report = census_import(data=data, year=2020, user=camlo.admin, dry_run=True)
    sheet = load_workbook(io.BytesIO(results_workbook(data, report))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "DANH SÁCH HỘ NĂM 2020"
    header = values[1]
    assert header[: len(files.headers(2020))] == files.headers(2020)
    system, errors = header.index(SYSTEM_CLASS), header.index(ERRORS)
    assert values[2][0] == "H001" and values[2][system] == "Hộ nghèo" and values[2][errors] is None
    assert values[3][system] is None and "Giới tính" in values[3][errors]
    assert values[4][system] == "Hộ nghèo" and sheet.cell(
        row=5, column=system + 1
    ).fill.start_color.rgb.endswith("FFF3CD")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Ma ho,Ho ten\nH1,An\n", "không phải là tệp Excel .xlsx hợp lệ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"", "không phải là tệp Excel .xlsx hợp lệ"),
    ],
)
def test_a_broken_or_non_xlsx_file_gets_a_clear_message_and_nothing_is_written(camlo, data, message):
    report = census_import(data=data, year=2020, user=camlo.admin)
    assert report.file_error and not report.written and message in report.errors[0].message
    assert Household.objects.count() == 0


def test_archive_size_entry_count_and_dtd_are_checked_before_parsing(camlo):
    data = files.simple(_rows(3), 2020)
    tiny = Limits(max_bytes=10**8, max_uncompressed=1000, max_entries=200, max_rows=10)
    assert (
        "giải nén quá lớn"
        in census_import(data=data, year=2020, user=camlo.admin, limits=tiny).errors[0].message
    )
    few = Limits(max_bytes=10**8, max_uncompressed=10**8, max_entries=3, max_rows=10)
    assert (
        "quá nhiều thành phần"
        in census_import(data=data, year=2020, user=camlo.admin, limits=few).errors[0].message
    )
    small = Limits(max_bytes=100, max_uncompressed=10**8, max_entries=200, max_rows=10)
    assert (
        "Tệp quá lớn" in census_import(data=data, year=2020, user=camlo.admin, limits=small).errors[0].message
    )
    rows = Limits(max_bytes=10**8, max_uncompressed=10**8, max_entries=200, max_rows=1)
    big = files.simple(_rows(150), 2020)
    assert (
        "vượt giới hạn" in census_import(data=big, year=2020, user=camlo.admin, limits=rows).errors[0].message
    )

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
                end = content.find(b"?>") + 2 if content.startswith(b"<?xml") else 0
                content = content[:end] + doctype + content[end:]
            target.writestr(info, content)
    report = census_import(data=out.getvalue(), year=2020, user=camlo.admin)
    assert report.file_error and "không an toàn" in report.errors[0].message
    assert Household.objects.count() == 0


def test_template_has_the_exact_headers_of_the_standard_in_force_and_an_instruction_sheet(db):
    book = load_workbook(io.BytesIO(template_workbook(2024)))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == template_headers(2024)
    for expected in (
        "Mã hộ",
        "Mã xã",
        "Tỉnh/Thành phố",
        "Huyện",
        "Xã/Phường",
        "Thôn/Tổ dân phố",
        "Họ và tên chủ hộ",
        "Giới tính",
        "Năm sinh",
        "Số CCCD",
        "Dân tộc",
        "Số nhân khẩu",
        "Khu vực (Thành thị / Nông thôn)",
        "Thu nhập bình quân (đồng/người/tháng)",
        "Việc làm",
        "Phương tiện phục vụ tiếp cận thông tin",
        "Đối tượng chính sách",
        "Nguyên nhân nghèo",
        "Phân loại",
        "Năm rà soát",
    ):
        assert expected in headers
    assert "Hố xí/nhà tiêu hợp vệ sinh" in template_headers(2020)
    assert book.sheetnames[1] == "Hướng dẫn"


def _indicator_names(code: str) -> list[str]:
    standard = PovertyStandard.objects.get(code=code)
    return list(standard.indicators.order_by("order").values_list("name", flat=True))


def _file_with_indicators_of(code: str, *, income: int = 1_200_000) -> bytes:
    """A file of one rural household of Xã Cam Tuyền, no deprivation, whose indicator columns are
    those of the standard `code`."""
    names = _indicator_names(code)
    base = [
        "H1",
        "",
        "",
        "",
        "Cam Tuyền",
        "",
        "Nguyễn Văn An",
        "Nam",
        1970,
        "",
        "Kinh",
        4,
        "Nông thôn",
        income,
    ]
    row = base + [None] * len(names) + [None] * len(files.TAIL_HEADERS)
    return files.workbook([row], header=files.BASE_HEADERS + names + files.TAIL_HEADERS)


@pytest.mark.parametrize(
    ("year", "standard", "poverty_class"),
    [
        (2021, "nd07-2021", "near_poor"),  # lists of 2022: 1.200.000 đ ≤ 1.500.000 đ, no deprivation
        (2015, "qd59-2015", "medium"),  # lists of 2016: in (1.000.000, 1.500.000]
        (2020, "qd59-2015", "medium"),  # lists of 2021: QĐ 59 extended
        (2025, "nd07-2021", "near_poor"),  # lists of 2026: NĐ 07 kept
    ],
)
def test_a_year_end_file_is_classified_under_the_standard_of_1_january_next(
    camlo, year, standard, poverty_class
):
    data = _file_with_indicators_of(standard)
    report = census_import(data=data, year=year, admin_version=AdminVersion.PRE2025, user=camlo.admin)
    assert report.errors == [] and report.created == 1
    assessment = Assessment.objects.get()
    assert (assessment.standard.code, assessment.result_class) == (standard, poverty_class)


def test_a_2021_file_with_the_old_decision_59_columns_is_refused(camlo):
    report = census_import(data=_file_with_indicators_of("qd59-2015"), year=2021, user=camlo.admin)
    assert report.file_error and "Nghị định 07/2021/NĐ-CP" in report.errors[0].message
    assert Household.objects.count() == 0


def test_the_template_of_a_year_has_the_indicators_of_the_standard_of_1_january_next(db):
    nd07, qd59 = _indicator_names("nd07-2021"), _indicator_names("qd59-2015")
    assert len(nd07) == 12 and len(qd59) == 10
    for year, names in ((2015, qd59), (2020, qd59), (2021, nd07), (2025, nd07)):
        headers = template_headers(year)
        indicators = [header for header in headers if header in set(nd07) | set(qd59)]
        assert indicators == names, year
    guide = load_workbook(io.BytesIO(template_workbook(2021))).worksheets[1]
    texts = [row[0] for row in guide.iter_rows(values_only=True)]
    assert (
        "Chuẩn nghèo áp dụng: Chuẩn nghèo đa chiều giai đoạn 2022–2025 (áp dụng cả năm 2026) – Nghị định 07/2021/NĐ-CP, Điều 3"
        in texts
    )


def test_a_filled_template_imports(camlo):
    book = load_workbook(io.BytesIO(template_workbook(2020)))
    sheet = book.worksheets[0]
    sheet.append(files.Household("H1", commune="Cam Tuyền").cells(2020))
    buffer = io.BytesIO()
    book.save(buffer)
    report = census_import(data=buffer.getvalue(), year=2020, user=camlo.admin)
    assert report.errors == [] and report.created == 1


def test_command_json_summary_dry_run_skip_errors_and_results(camlo, tmp_path, capsys):
    rows = _rows(3, income=650_000)
    rows[1].income = "?"
    path = tmp_path / "ra-soat.xlsx"
    path.write_bytes(files.simple(rows, 2020))
    out = tmp_path / "ket-qua.xlsx"
    call_command("import_census", str(path), "--year", "2020", "--dry-run", "--json", "--user", "admin_qt")
    summary = json.loads(capsys.readouterr().out)
    assert {k: summary[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert summary["errors"] == [
        {
            "row": 3,
            "column": "Thu nhập bình quân (đồng/người/tháng) (N)",
            "message": summary["errors"][0]["message"],
        }
    ]
    assert summary["counts"] == {
        "poor": 2,
        "near_poor": 0,
        "medium": 0,
        "not_poor": 0,
        "poor_income": 2,
        "poor_deprivation": 0,
    }
    assert Household.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_census", str(path), "--year", "2020", "--user", "admin_qt")
    assert Household.objects.count() == 0
    call_command(
        "import_census",
        str(path),
        "--year",
        "2020",
        "--skip-errors",
        "--user",
        "admin_qt",
        "--results",
        str(out),
    )
    assert Household.objects.count() == 2
    assert load_workbook(out).active.cell(row=1, column=len(files.headers(2020)) + 1).value == SYSTEM_CLASS
    call_command(
        "import_census", str(path), "--year", "2020", "--skip-errors", "--json", "--user", "admin_qt"
    )
    again = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_command_needs_to_know_who_imports(camlo, tmp_path):
    path = tmp_path / "ra-soat.xlsx"
    path.write_bytes(files.simple(_rows(1), 2020))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_census", str(path), "--year", "2020")
    national = f.UserFactory(username="national")
    f.member_of(national, None, Role.ADMINISTRATOR)
    call_command("import_census", str(path), "--year", "2020")
    assert Assessment.objects.get().created_by == national


def test_admin_version_defaults_from_the_review_year(nation):
    rows = [files.Household("H1", commune_code="19597")]
    report = census_import(data=files.simple(rows, 2025), year=2025, user=nation["admin"])
    assert report.admin_version == "2025" and Household.objects.get().commune == nation["new"]
    report = census_import(
        data=files.simple([files.Household("H2", commune_code="19600")], 2024),
        year=2024,
        user=nation["admin"],
    )
    assert report.admin_version == "pre2025" and Household.objects.get(code="H2").commune == nation["old"]
    assert nation["old"].level == Level.COMMUNE


def test_a_concurrent_write_of_the_same_household_leaves_nothing_written(camlo, monkeypatch):
    from households.census import apply as apply_module

    original = apply_module.apply_plan

    def racing(plan, **kwargs):
        # Someone else creates one of the file's households just before the write.
        f.HouseholdFactory(code="H002", commune=camlo.tuyen, province_id=camlo.province.pk)
        return original(plan, **kwargs)

    monkeypatch.setattr("households.census.services.apply_plan", racing)
    report = census_import(data=files.simple(_rows(3), 2020), year=2020, user=camlo.admin)
    assert not report.written and "chạy lại" in str(report.errors[0].message)
    assert list(Household.objects.values_list("code", flat=True)) == ["H002"]


def test_the_garbage_collector_is_paused_during_an_import_only(camlo, monkeypatch):
    import gc

    from households.census import services

    seen = []
    monkeypatch.setattr(
        services, "build_plan", lambda *a, **kw: seen.append(gc.isenabled()) or build_plan(*a, **kw)
    )
    data = files.simple([files.Household("H1", commune_code="19600")], 2020)
    assert gc.isenabled()
    assert census_import(data=data, year=2020, user=camlo.admin).written
    assert seen == [False] and gc.isenabled()
    assert census_import(data=b"not a workbook", year=2020, user=camlo.admin).file_error
    assert gc.isenabled()
    gc.disable()
    try:
        census_import(data=data, year=2020, user=camlo.admin)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_new_villages_are_numbered_after_the_villages_of_their_commune_in_file_order(camlo):
    f.village(camlo.tuyen, name="Thôn Cũ", short_name="Cũ", code="19600-003")
    rows = [
        files.Household("H1", commune_code="19600", village="Thôn Bắc"),
        files.Household("H2", commune_code="19612", village="Thôn Nam"),
        files.Household("H3", commune_code="19600", village="Thôn Đông"),
        files.Household(
            "H4", commune_code="19600", village="Bắc"
        ),  # the same new village, without its prefix
        files.Household("H5", commune_code="19600", village="Thôn Tây"),
    ]
    report = census_import(data=files.simple(rows, 2020), year=2020, user=camlo.admin)
    assert report.written, report.errors
    created = AdministrativeUnit.objects.filter(level=Level.VILLAGE).exclude(
        code__in=["19600-001", "19600-003"]
    )
    # The number after the count of the commune's villages, or the next one free after it.
    assert sorted(created.values_list("name", "code", "parent__code")) == [
        ("Thôn Bắc", "19600-004", "19600"),
        ("Thôn Nam", "19612-001", "19612"),
        ("Thôn Tây", "19600-006", "19600"),
        ("Thôn Đông", "19600-005", "19600"),
    ]
    assert Household.objects.get(code="H4").village == Household.objects.get(code="H1").village
    for unit in created:
        entry = LogEntry.objects.get_for_object(unit).get()
        assert entry.changes == {"name": ["None", unit.name], "code": ["None", unit.code]}
        assert entry.actor == camlo.admin and entry.additional_data["commune"] == unit.parent_id
