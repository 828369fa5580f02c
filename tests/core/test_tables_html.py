"""The one HTML rendering of a table (core/tables_html.py + templates/core/_table.html), as the
report previews and the targets' source-shaped tables show it."""

from django.template.loader import render_to_string

from core import tables as t
from core.tables_html import html_table
from targets.tables import TargetTableInput, build_target_table


def _cam_lo() -> t.Table:
    return build_target_table(
        [
            TargetTableInput("Xã Cam Tuyền", 1458, 99, 80, 19, 17, unit_id=11),
            TargetTableInput("Thị trấn Cam Lộ", 2867, 42, 30, 21, 5, unit_id=12),  # 30 + 21 ≠ 42
            TargetTableInput("Thôn Mới", 0, 0, 0, 0, 0),  # no households yet, no unit page
        ],
        year=2021,
    )


def _link(target: dict) -> str:
    return f"/units/{target['unit']}/"


def test_names_lead_to_their_units_and_flags_sit_on_the_name():
    html = html_table(_cam_lo(), link=_link)
    tuyen, town, new, total = html.rows
    assert [cell.href for cell in tuyen.cells if cell.href] == ["/units/11/"]
    assert tuyen.cells[1].text == "Xã Cam Tuyền"
    assert not any(cell.href for cell in new.cells + total.cells)  # no unit, and the totals row
    assert town.issues and town.cells[1].issues == " ".join(town.issues)
    assert not town.cells[0].issues  # the warning is beside the name, not the row number
    assert [label for label, _issue in html.issues] == ["Thị trấn Cam Lộ", "Tổng cộng"]  # listed under


def test_numbering_carries_the_formulas_and_a_rate_of_nothing_is_a_dash():
    html = html_table(_cam_lo())
    assert html.numbering[4] == ("3=2/1", "Cột 2 ÷ cột 1 × 100")
    assert html.numbering[11] == ("10=2-8", "Cột 2 − cột 8")
    new = html.rows[2]
    assert [cell.text for cell in new.cells[2:5]] == ["0", "0", "–"]  # 0 of 0 households: no rate
    assert t.display(None, t.PERCENT) == "–" and t.display(None, t.INT) == ""
    assert [cell.text for cell in html.rows[0].cells[2:5]] == ["1.458", "99", "6,79"]


def test_a_table_without_data_rows_says_what_to_do_and_keeps_its_totals():
    empty = html_table(build_target_table([], year=2026), empty="Chưa phân bổ cho đơn vị cấp dưới nào.")
    assert empty.empty == "Chưa phân bổ cho đơn vị cấp dưới nào."
    assert [row.kind for row in empty.rows] == [t.TOTAL]
    assert html_table(_cam_lo(), empty="Chưa phân bổ").empty == ""
    assert html_table(build_target_table([], year=2026)).empty == "Chưa có dòng nào."


def test_the_template_draws_links_tooltips_flags_and_the_empty_line():
    page = render_to_string("core/_table.html", {"table": html_table(_cam_lo(), link=_link)})
    assert '<a href="/units/11/">Xã Cam Tuyền</a>' in page
    assert 'title="Cột 2 ÷ cột 1 × 100">3=2/1</th>' in page
    assert page.count("bi-exclamation-triangle-fill") == 2  # the town and the totals
    assert 'data-row-kind="total"' in page
    empty = render_to_string(
        "core/_table.html", {"table": html_table(build_target_table([], year=2026), empty="Chưa phân bổ.")}
    )
    assert "Chưa phân bổ." in empty
