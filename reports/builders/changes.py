"""`poor-changes` and `near-poor-changes` — TỔNG HỢP DIỄN BIẾN HỘ NGHÈO / HỘ CẬN NGHÈO over a year
(or one of its quarters): two rows per child unit (households, persons), columns 1–9 exactly the
columns of households/flows.py, the one definition of stock and flows:

    1 at the start · decreases 2 to the other class, 3 above near-poverty, 4 other · increases 5 from
    the other class, 6 returned, 7 newly arising, 8 other · 9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8 at the end

so every row balances, and column 1 of a period is column 9 of the period before. Rows: communes
under their districts (subtotals) for a pre-2025 province, else the children; the unplaced
households; the total. `build_changes` is pure; `produce_*` read the flows (grouped queries)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core import tables as t
from core.formatting import fmt_date
from households.flows import COLUMNS, Flows
from households.models import PovertyClass
from units.periods import clamped_end

from ..frame import Frame, local_frame
from ..selectors import Layout, UnitRef, flows_by_row, summary_layout
from . import ROMAN
from .common import Place, document, layout_rows

POOR_CHANGES = "poor-changes"
NEAR_POOR_CHANGES = "near-poor-changes"
CODES = {PovertyClass.POOR: POOR_CHANGES, PovertyClass.NEAR_POOR: NEAR_POOR_CHANGES}
MEASURES = ("households", "persons")

# Column labels per class, in the order of households/flows.COLUMNS.
LABELS = {
    PovertyClass.POOR: {
        "start": "Hộ nghèo đầu kỳ",
        "to_other": "Thoát nghèo, thành hộ cận nghèo",
        "above": "Thoát nghèo, vượt chuẩn cận nghèo",
        "out_other": "Giảm khác (thay đổi nhân khẩu, chết, chuyển đi, tách hộ)",
        "from_other": "Từ hộ cận nghèo thành hộ nghèo",
        "again": "Tái nghèo",
        "new": "Phát sinh mới",
        "in_other": "Tăng khác (chuyển đến, tách hộ)",
        "end": "Hộ nghèo cuối kỳ",
    },
    PovertyClass.NEAR_POOR: {
        "start": "Hộ cận nghèo đầu kỳ",
        "to_other": "Thành hộ nghèo",
        "above": "Thoát cận nghèo",
        "out_other": "Giảm khác (thay đổi nhân khẩu, chết, chuyển đi, tách hộ)",
        "from_other": "Từ hộ nghèo thành hộ cận nghèo",
        "again": "Tái cận nghèo",
        "new": "Phát sinh mới",
        "in_other": "Tăng khác (chuyển đến, tách hộ)",
        "end": "Hộ cận nghèo cuối kỳ",
    },
}
DECREASES = ("to_other", "above", "out_other")
INCREASES = ("from_other", "again", "new", "in_other")


def flow_figures(flows: Flows, poverty_class: str) -> dict[str, int]:
    """One class's flows as flat counts ("households_start", "persons_end", …), to be summed."""
    return {
        f"{measure}_{column}": getattr(getattr(flows, measure)[poverty_class], column)
        for measure in MEASURES
        for column in COLUMNS
    }


@dataclass
class ChangesData:
    unit: UnitRef
    year: int
    quarter: int | None
    start: date
    end: date
    layout: Layout
    poverty_class: str
    rows: dict  # row unit id → flow_figures


def period_label(year: int, quarter: int | None) -> str:
    return f"quý {ROMAN[quarter]} năm {year}" if quarter else f"năm {year}"


def build_changes(
    data: ChangesData, *, frame: Frame, issued_on: date | None, preparer: str = ""
) -> t.Document:
    labels = LABELS[data.poverty_class]
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 16),
        t.Column("measure", "Tính theo", "C", t.TEXT, 9),
    ]
    for number, column in enumerate(COLUMNS, start=1):
        code = "9=1-2-3-4+5+6+7+8" if column == "end" else str(number)
        formula = "Cột 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8" if column == "end" else ""
        width = 14 if column == "end" else 8
        columns.append(t.Column(column, labels[column], code, t.INT, width, formula=formula))
    header = t.grouped_header(
        columns, [(_("Giảm trong kỳ"), list(DECREASES)), (_("Tăng trong kỳ"), list(INCREASES))]
    )
    measure_labels = {"households": _("Hộ"), "persons": _("Nhân khẩu")}

    def rows_of(raw: dict, place: Place) -> list[t.Row]:
        rows = []
        for measure in MEASURES:
            cells = {
                "number": place.number if measure == "households" else "",
                "label": place.label,
                "measure": measure_labels[measure],
            }
            cells.update({column: raw.get(f"{measure}_{column}", 0) for column in COLUMNS})
            rows.append(t.Row(cells, kind=place.kind, link=place.link if measure == "households" else None))
        return rows

    rows = layout_rows(data.layout, data.rows, rows_of)
    eve = data.start - timedelta(days=1)
    notes = [
        _(
            "Đầu kỳ: tình trạng ngày %(eve)s; cuối kỳ: tình trạng ngày %(end)s; biến động: phiếu rà soát đã "
            "duyệt có ngày hiệu lực từ %(start)s đến %(end)s. Cột 9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8."
        )
        % {"eve": fmt_date(eve), "start": fmt_date(data.start), "end": fmt_date(data.end)},
        _(
            "Nhân khẩu: số nhân khẩu của các hộ; nhân khẩu tăng, giảm của hộ vẫn trong diện được tính ở cột 8 "
            "hoặc cột 4. Cột 8 gồm cả hộ có kết quả rà soát lần đầu được nhập làm số liệu gốc."
        ),
    ]
    table = t.Table("changes", "", columns, rows, header=header, notes=notes)
    if data.poverty_class == PovertyClass.POOR:
        title = _("Tổng hợp diễn biến hộ nghèo %(period)s")
    else:
        title = _("Tổng hợp diễn biến hộ cận nghèo %(period)s")
    return document(
        code=CODES[data.poverty_class],
        title=title % {"period": period_label(data.year, data.quarter)},
        tables=[table],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=[
            data.unit.name,
            _("Từ ngày %(start)s đến ngày %(end)s")
            % {"start": fmt_date(data.start), "end": fmt_date(data.end)},
        ],
        meta={"unit": data.unit.id, "year": data.year, "quarter": data.quarter},
    )


def _changes(scope, params, poverty_class: str) -> t.Document:
    unit = params.unit
    start, end = params.start, clamped_end(unit, params.end)
    layout = summary_layout(unit)
    flows = flows_by_row(scope, unit, start, end, layout)
    data = ChangesData(
        unit=UnitRef.of(unit),
        year=params.year,
        quarter=params.quarter,
        start=start,
        end=end,
        layout=layout,
        poverty_class=poverty_class,
        rows={key: flow_figures(value, poverty_class) for key, value in flows.items()},
    )
    return build_changes(
        data, frame=local_frame(unit), issued_on=params.issued_on, preparer=scope.person_name
    )


def produce_poor_changes(scope, params) -> t.Document:
    return _changes(scope, params, PovertyClass.POOR)


def produce_near_poor_changes(scope, params) -> t.Document:
    return _changes(scope, params, PovertyClass.NEAR_POOR)


def estimate_rows(scope, params) -> int:
    return 2 * (summary_layout(params.unit).row_count + 2)
