"""Report pages through the access ladder: preview, downloads whose totals match the preview, large
reports on the background worker, locking a quarter and reproducing it, the dashboard."""

import io
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from core.models import Job, JobFile
from core.text import display_name
from households.models import PovertyClass
from reports.models import PeriodLock
from targets.models import HelpEntry, Outcome
from tests import factories as f
from tests.reports.factories import assessment_add, household_with_status

END_2024 = date(2024, 12, 15)


@pytest.fixture
def data(world):
    for n in range(3):
        household_with_status(
            world.A, PovertyClass.POOR, effective=END_2024, female_head=True, head_name=f"Lê Thị Hoa {n}"
        )
    household_with_status(
        world.A, PovertyClass.NEAR_POOR, effective=END_2024, female_head=True, head_name="Trần Thị Mai"
    )
    household_with_status(world.A, PovertyClass.NOT_POOR, effective=END_2024)
    household_with_status(world.B, PovertyClass.POOR, effective=END_2024, head_name="Phạm Thị Lan")
    return world


def _preview(code, unit, query="year=2025&quarter=1"):
    return f"{reverse('reports:preview', args=[code, unit.pk])}?{query}"


def _download(code, unit, fmt, query="year=2025&quarter=1"):
    return f"{reverse('reports:download', args=[code, unit.pk, fmt])}?{query}"


def test_index_lists_reports_and_refuses_people_without_a_unit(data):
    response = data.client_for(data.officer_a).get(reverse("reports:index"))
    assert response.status_code == 200
    for code in ("quarterly", "mau01", "mau02", "mau03"):
        assert code in response.content.decode()
    assert data.client_for(data.nobody).get(reverse("reports:index")).status_code == 403


def test_open_checks_the_report_and_the_unit(data):
    client = data.client_for(data.officer_a)
    response = client.get(
        reverse("reports:open"), {"code": "quarterly", "unit": data.A.pk, "year": 2025, "quarter": 1}
    )
    assert response.status_code == 302 and response.url == _preview("quarterly", data.A)
    assert client.get(reverse("reports:open"), {"code": "quarterly", "unit": data.B.pk}).status_code == 404
    assert client.get(reverse("reports:open"), {"code": "nope", "unit": data.A.pk}).status_code == 404


def test_preview_totals_and_drill_down_links(data):
    response = data.client_for(data.province_officer).get(_preview("quarterly", data.P))
    assert response.status_code == 200
    stock = response.context["document"].tables[0]
    assert (stock.total_row.cells["households"], stock.total_row.cells["poor"]) == (6, 4)
    assert _preview("quarterly", data.A).replace("&", "&amp;") in response.content.decode()  # drill down


def test_downloaded_files_carry_the_previews_totals(data):
    client = data.client_for(data.province_officer)
    total = client.get(_preview("quarterly", data.P)).context["document"].tables[0].total_row.cells

    pdf = client.get(_download("quarterly", data.P, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-2025-quy-1-tinh-thu.pdf"' in pdf["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Tổng cộng"))
    assert total_line.split()[2:5] == ["6", "4", "66,67"]

    xlsx = client.get(_download("quarterly", data.P, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Tổng cộng")
    assert (row[2].value, row[3].value) == (total["households"], total["poor"]) == (6, 4)


def test_a_report_that_cannot_be_made_says_why(data):
    response = data.client_for(data.officer_a).get(_preview("quarterly", data.A1))
    assert response.status_code == 200
    assert "lập cho tỉnh, huyện, xã" in response.context["error"]
    # No Women's Union anywhere above commune C: the form asks for an organisation.
    response = data.client_for(data.outsider).get(_preview("mau01", data.C, "year=2025"))
    assert response.context["error"] == "Hãy chọn tổ chức (hội, đoàn thể) lập báo cáo."


def _registrations(world, count=4):
    households = list(world.A.households.all()[:count])
    registrations = []
    for n, household in enumerate(households):
        registration = f.RegistrationFactory(
            organisation=world.union_p,
            household=household,
            year=2025,
            class_at_registration=household.status_class,
            circumstances="Chồng mất, nuôi 2 con nhỏ",
            needs="Vay vốn",
            responsible_member="Chi hội Thôn Một",
        )
        if n < 2:
            f.HelpEntryFactory(
                registration=registration, kind=HelpEntry.Kind.LOAN, value=30_000_000, date=date(2025, 4, 1)
            )
            f.HelpEntryFactory(
                registration=registration,
                kind=HelpEntry.Kind.LIVELIHOOD,
                value=8_000_000,
                date=date(2025, 5, 1),
            )
        if n == 0:
            registration.confirmed_outcome = Outcome.ESCAPED_POVERTY
            registration.confirmed_on = date(2025, 10, 20)
            registration.save()
        registrations.append(registration)
    return registrations


def test_organisation_forms_from_registrations(data):
    _registrations(data)
    f.AnnualTargetFactory(
        unit=data.A, year=2025, organisation=data.union_p, reduce_poor=2, reduce_near_poor=1
    )
    client = data.client_for(data.union_officer_p)

    mau01 = client.get(_preview("mau01", data.P, "year=2025")).context["document"].tables[0]
    a = next(row for row in mau01.rows if row.cells.get("label") == "Xã An Bình").cells
    assert (a["base_poor"], a["base_near_poor"], a["reg_poor"], a["reg_near_poor"], a["target_poor"]) == (
        3,
        1,
        3,
        1,
        2,
    )
    assert a["rate_poor"] == 150

    mau02 = client.get(_preview("mau02", data.P, "year=2025")).context["document"].tables[0]
    assert [row.kind for row in mau02.rows] == ["group", "data", "data", "data", "data", "subtotal", "total"]
    assert mau02.total_row.cells["circumstances"] == "4 hộ (3 nghèo, 1 cận nghèo)"

    results, outcomes = client.get(_preview("mau03", data.P, "year=2025")).context["document"].tables
    a = next(row for row in results.rows if row.cells.get("label") == "Xã An Bình").cells
    assert (a["helped"], a["escaped_poverty"], a["loans"], a["livelihood"], a["help_total"]) == (
        2,
        1,
        60_000_000,
        16_000_000,
        76_000_000,
    )
    assert a["rate_poor"] == 50
    # Confirmed by the commune, but the household is still poor: its review is not approved yet.
    assert [row.cells["outcome"] for row in outcomes.rows if row.cells.get("confirmed_on")] == [
        "Thoát nghèo (chờ rà soát công nhận)"
    ]
    assert "có 1 hộ chưa được rà soát công nhận" in results.notes[-1]


def test_an_empty_year_says_so_and_offers_the_years_with_data(data):
    _registrations(data)
    client = data.client_for(data.union_officer_p)
    assert client.get(_preview("mau02", data.P, "year=2025")).context["empty"] is None
    empty = client.get(_preview("mau02", data.P, "year=2026"))
    page = empty.content.decode()
    assert "Chưa có hộ nào được" in page and "đăng ký giúp năm 2026" in page
    assert f"{reverse('reports:preview', args=['mau02', data.P.pk])}?year=2025&amp;organisation=" in page
    assert reverse("targets:eligible") in page  # a Women's Union officer registers households there


def test_the_home_panel_links_the_forms_of_the_year_with_registrations(data):
    _registrations(data)
    home = data.client_for(data.union_officer_p).get(reverse("home")).content.decode()
    assert f"{reverse('reports:preview', args=['mau02', data.P.pk])}?year=2025&amp;organisation=" in home


def test_the_home_panel_tells_the_old_province_from_the_new_one(world):
    home = world.client_for(world.province_officer).get(reverse("home")).content.decode()
    assert f"{world.OP.name} (trước 2025)" in home
    assert f"{world.P.name} (trước 2025)" not in home


def test_a_national_administrator_may_choose_any_organisation(data):
    """units_q gives Q() for "everywhere"; or-ing it with another Q used to keep only the other half."""
    client = data.client_for(data.national_admin)
    response = client.get(_preview("mau01", data.A, f"year=2025&organisation={data.union_p.pk}"))
    assert response.status_code == 200
    assert response.context["params"].organisation == data.union_p


def test_large_reports_are_rendered_in_the_background(data, settings, django_capture_on_commit_callbacks):
    _registrations(data)
    settings.REPORT_BACKGROUND_ROW_THRESHOLD = 2
    client = data.client_for(data.union_officer_p)
    preview = client.get(_preview("mau02", data.P, "year=2025"))
    assert preview.context["background"] is True
    assert reverse("reports:export", args=["mau02", data.P.pk]) in preview.content.decode()
    # A direct download of a large report is refused politely.
    response = client.get(_download("mau02", data.P, "pdf", "year=2025"))
    assert response.status_code == 302 and response.url.startswith(
        reverse("reports:preview", args=["mau02", data.P.pk])
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:export", args=["mau02", data.P.pk]), {"format": "pdf", "year": 2025}
        )
    job = Job.objects.get(owner=data.union_officer_p, kind=Job.Kind.REPORT)
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    output = JobFile.objects.get(job=job, role=JobFile.Role.OUTPUT)
    assert output.name == "mau02-2025-tinh-thu.pdf" and bytes(output.data).startswith(b"%PDF")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # Another person cannot fetch the file.
    assert (
        data.client_for(data.province_officer).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    )


def _stock_total(response):
    return response.context["document"].tables[0].total_row.cells


def test_a_locked_quarter_is_reproduced_exactly_and_later_changes_are_corrections(data):
    officer = data.client_for(data.province_officer)
    before = _stock_total(officer.get(_preview("quarterly", data.P)))
    commune_before = officer.get(_preview("quarterly", data.A)).context["document"].to_dict()

    response = officer.post(reverse("reports:lock"), {"unit": data.P.pk, "year": 2025, "quarter": 1})
    assert response.status_code == 302
    lock = PeriodLock.objects.get(unit=data.P, year=2025, quarter=1)
    assert lock.locked_by == data.province_officer

    # A household of commune A found poor, effective in February but approved after the lock.
    late = household_with_status(data.A, PovertyClass.NOT_POOR, effective=END_2024)
    assessment_add(late, PovertyClass.POOR, effective=date(2025, 2, 10), change="new_poor")

    after = officer.get(_preview("quarterly", data.P))
    assert _stock_total(after) == before  # the locked report does not move
    assert after.context["document"].locked is not None
    assert "Đã khóa ngày" in after.content.decode()
    commune_after = officer.get(_preview("quarterly", data.A)).context["document"]
    assert commune_after.to_dict()["tables"] == commune_before["tables"]  # units below are frozen too

    q2 = officer.get(_preview("quarterly", data.P, "year=2025&quarter=2")).context["document"]
    corrections = next(table for table in q2.tables if table.key == "corrections")
    a = next(row for row in corrections.rows if row.cells.get("label") == "Xã An Bình").cells
    # Both of the household's assessments (its end-2024 status and February's) were approved after the lock.
    assert (a["households_diff"], a["poor_locked"], a["poor_now"], a["poor_diff"], a["late"]) == (
        1,
        3,
        4,
        1,
        2,
    )
    assert _stock_total(officer.get(_preview("quarterly", data.P, "year=2025&quarter=2")))["poor"] == 5

    again = officer.post(
        reverse("reports:lock"), {"unit": data.A.pk, "year": 2025, "quarter": 1}, follow=True
    )
    assert "đã được khóa tại Tỉnh Thử" in again.content.decode()
    assert PeriodLock.objects.count() == 1


def test_only_lockers_lock_and_only_a_finished_quarter(data):
    assert (
        data.client_for(data.officer_a)
        .post(reverse("reports:lock"), {"unit": data.A.pk, "year": 2025, "quarter": 1})
        .status_code
        == 403
    )
    assert (
        data.client_for(data.officer_b)
        .post(reverse("reports:lock"), {"unit": data.A.pk, "year": 2025, "quarter": 1})
        .status_code
        == 404
    )
    response = data.client_for(data.province_officer).post(
        reverse("reports:lock"), {"unit": data.P.pk, "year": 2099, "quarter": 1}, follow=True
    )
    assert (
        "Quý I/2099 chưa kết thúc" in response.content.decode()
    )  # quarters in Roman numerals, as reports print them
    assert not PeriodLock.objects.exists()
    locked = data.client_for(data.province_officer).post(
        reverse("reports:lock"), {"unit": data.P.pk, "year": 2025, "quarter": 1}, follow=True
    )
    assert "Đã duyệt và khóa số liệu quý I/2025" in locked.content.decode()


def test_dashboard_folds_units_without_figures(data):
    empty = f.commune(data.P, name="Xã Chưa Có")
    client = data.client_for(data.province_officer)
    page = client.get(reverse("reports:dashboard"), {"year": 2025}).content.decode()
    row = page[page.rindex("<tr", 0, page.index(empty.name)) :]
    assert row.startswith("<tr data-empty-unit hidden>")
    assert (
        f"{data.A.name}</a>" in page and "<tr data-empty-unit hidden><td><a" not in page.split(empty.name)[0]
    )
    assert "Hiện cả đơn vị chưa có số liệu (1)" in page
    assert 'href="?year=2025&amp;all=1"' in page  # the year is kept
    unfolded = client.get(reverse("reports:dashboard"), {"year": 2025, "all": "1"}).content.decode()
    assert "<tr data-empty-unit>" in unfolded and "Ẩn các đơn vị chưa có số liệu (1)" in unfolded


def test_dashboard_rates_by_unit_drill_down(data):
    client = data.client_for(data.province_officer)
    response = client.get(reverse("reports:dashboard"), {"year": 2025})
    assert response.status_code == 200 and response.context["unit"] == data.P
    assert response.context["total"]["households"] == 6
    assert f"Toàn {data.P.name}" in response.content.decode()  # the table's totals row
    chart = response.context["rates_chart"]
    assert chart["data"]["labels"] == ["Xã An Bình", "Phường Bắc Sơn"]
    assert chart["data"]["datasets"][0]["data"] == [60.0, 100.0]
    assert chart["links"][0] == f"{reverse('reports:dashboard_unit', args=[data.A.pk])}?year=2025"
    commune = client.get(chart["links"][0])
    assert commune.status_code == 200 and commune.context["total"]["poor"] == 3
    assert data.client_for(data.officer_a).get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:dashboard_unit", args=[data.C.pk])).status_code == 404


# --- The signature block of an organisation's form (issue 13, item 14) ---------------------------


def _mau01(client, data):
    query = f"year=2025&organisation={data.union_p.pk}"
    return client.get(_preview("mau01", data.P, query)).context["document"]


@pytest.mark.parametrize("code", ["mau01", "mau03"])
def test_a_province_officer_downloading_the_unions_form_is_not_its_preparer(data, code):
    data.union_p.preparer_name = "Hồ Thị Xuân"
    data.union_p.save()
    client = data.client_for(data.province_officer)
    query = f"year=2025&organisation={data.union_p.pk}"
    document = client.get(_preview(code, data.P, query)).context["document"]
    assert document.preparer == "Hồ Thị Xuân"
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=client.get(_download(code, data.P, "pdf", query)).content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Hồ Thị Xuân" in text
    assert display_name(data.province_officer) not in text


def test_the_unions_own_officer_is_named_as_the_preparer(data):
    data.union_p.preparer_name = "Hồ Thị Xuân"
    data.union_p.save()
    document = _mau01(data.client_for(data.union_officer_p), data)
    assert document.preparer == display_name(data.union_officer_p)


def test_without_a_preparer_on_record_the_space_is_left_for_a_hand_written_name(data):
    assert _mau01(data.client_for(data.province_officer), data).preparer == ""


def test_the_chair_is_named_from_the_organisation_or_signs_by_hand(data):
    client = data.client_for(data.union_officer_p)
    query = f"year=2025&organisation={data.union_p.pk}"

    def pdf_text() -> str:
        pdf = client.get(_download("mau01", data.P, "pdf", query)).content
        return subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    unnamed = pdf_text()
    assert "TM. BAN THƯỜNG VỤ" in unnamed
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in unnamed

    data.union_p.signer_name = "Phan Thị Lan"
    data.union_p.save()
    named = pdf_text()
    assert "Phan Thị Lan" in named
    assert "(Ký, ghi rõ họ tên, đóng dấu)" not in named


def test_the_index_names_each_report_in_vietnamese_without_its_code_as_a_badge(data):
    response = data.client_for(data.officer_a).get(reverse("reports:index"))
    page = response.content.decode()
    assert response.context["reports"]
    for report in response.context["reports"]:
        assert f'<h2 class="h6 mb-1">{escape(report.title)}</h2>' in page
        assert f">{report.code}</span>" not in page
