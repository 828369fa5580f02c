"""The document structure every renderer reads: header checks and the JSON a locked period keeps."""

from datetime import date
from decimal import Decimal

import pytest

from core import tables as t


def _table() -> t.Table:
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 16),
        t.Column("poor", "Số hộ", "1", t.INT),
        t.Column("rate", "Tỷ lệ (%)", "2", t.PERCENT),
        t.Column("on", "Ngày", "3", t.DATE),
    ]
    header = t.grouped_header(columns, [("Hộ nghèo", ["poor", "rate"])])
    rows = [
        t.Row({}, kind=t.GROUP, label="Xã Cam Tuyền"),
        t.Row(
            {"number": "1", "label": "Thôn 1", "poor": 12, "rate": Decimal("6.79"), "on": date(2021, 3, 31)},
            link={"unit": 7},
        ),
        t.Row(
            {"number": "", "label": "Tổng cộng", "poor": 12, "rate": Decimal("6.79")},
            kind=t.TOTAL,
            issues=["Lệch 1 hộ"],
        ),
    ]
    return t.Table("stock", "Biểu 1", columns, rows, header=header, notes=["Ghi chú"])


def test_grouped_header_spans_groups_and_stands_alone_columns_over_two_rows():
    table = _table()
    table.check()
    assert [(c.text, c.colspan, c.rowspan) for c in table.header[0]] == [
        ("TT", 1, 2),
        ("Đơn vị", 1, 2),
        ("Hộ nghèo", 2, 1),
        ("Ngày", 1, 2),
    ]
    assert [c.text for c in table.header[1]] == ["Số hộ", "Tỷ lệ (%)"]
    assert [(c.row, c.column) for c in table.placed_header() if c.row == 1] == [(1, 2), (1, 3)]


def test_a_header_that_misses_a_column_is_a_builder_error():
    table = _table()
    table.header = [[t.HeaderCell("TT"), t.HeaderCell("Đơn vị")]]
    with pytest.raises(ValueError, match="does not cover"):
        table.check()


def test_document_round_trips_through_json_with_types_kept():
    document = t.Document(
        code="quarterly",
        title="Báo cáo",
        tables=[_table()],
        subtitle=["Huyện Cam Lộ"],
        agency="Ủy ban nhân dân huyện Cam Lộ",
        place="Cam Lộ",
        issued_on=date(2021, 3, 18),
        signature=t.Signature("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Trần Anh Tuấn"),
        meta={"unit": 1, "year": 2021, "quarter": 1},
    )
    import json

    again = t.Document.from_dict(json.loads(json.dumps(document.to_dict())))
    assert again.to_dict() == document.to_dict()
    row = again.tables[0].rows[1]
    assert row.cells["rate"] == Decimal("6.79") and isinstance(row.cells["rate"], Decimal)
    assert row.cells["on"] == date(2021, 3, 31)
    assert row.link == {"unit": 7}
    assert again.tables[0].total_row.issues == ["Lệch 1 hộ"]
    assert again.signature.name == "Trần Anh Tuấn" and again.issued_on == date(2021, 3, 18)
