"""The sheet reader's fast paths (blocks cut by bytes, rows read by regular expressions) give
exactly what ElementTree's event parser gives, for every layout a file may have, and fall back to
it — mid-sheet too — whenever the fast path cannot be sure."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from households.census import xlsx

LIMITS = xlsx.Limits(
    max_bytes=10**8, max_uncompressed=10**9, max_entries=200, max_rows=10**6, max_columns=16384
)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def typed(rows):
    """Rows with each value's type, so that 1, 1.0 and True are told apart."""
    return [(number, [(type(value).__name__, value) for value in values]) for number, values in rows]


def by_events(workbook: xlsx.Workbook, part: str):
    """The reference: one parser event per element, every row through the same cell rules."""
    reader = xlsx._RowReader(workbook.shared_strings, LIMITS)
    rows = (reader(element) for element in xlsx._events(workbook._stream(part), "row", LIMITS))
    return [(number, values) for number, values in rows if values]


def read(data: bytes):
    workbook = xlsx.Workbook(data, LIMITS)
    part = workbook.sheets[0][1]
    return typed(workbook.rows(part)), typed(by_events(workbook, part))


def with_sheet(sheet_xml: str | bytes, shared_xml: str | None = None) -> bytes:
    """An openpyxl workbook whose first sheet (and shared strings) are replaced by the given XML."""
    book = OpenpyxlWorkbook()
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
            elif info.filename == "xl/_rels/workbook.xml.rels" and shared_xml is not None:
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            target.writestr(info, content)
        if shared_xml is not None:
            target.writestr("xl/sharedStrings.xml", shared_xml)
    return out.getvalue()


def sheet(rows: str, *, prefix: str = "", root_attrs: str = "", declaration: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{NS}"' if prefix else f'xmlns="{NS}"'
    return (
        f'{declaration}<{p}worksheet {xmlns} {root_attrs}><{p}dimension ref="A1:C9"/>'
        f'<{p}sheetData>{rows}</{p}sheetData><{p}pageMargins left="0.7"/></{p}worksheet>'
    )


@pytest.fixture(params=[1 << 20, 97], ids=["blocks of 1 MB", "blocks of 97 bytes"])
def block_size(request, monkeypatch):
    monkeypatch.setattr(xlsx, "_BLOCK", request.param)
    return request.param


def test_openpyxl_workbooks_read_the_same(block_size):
    book = OpenpyxlWorkbook()
    ws = book.active
    ws.append(["Mã hộ", "Họ và tên", "Thu nhập", None, "Ngày"])
    for i in range(300):
        ws.append(
            [
                f"H{i}",
                f"Nguyễn Văn {i % 7}",
                i * 1000.5 if i % 3 else i,
                i % 2 == 0,
                date(2024, 1, 1 + i % 28),
            ]
        )
    ws.append(["=SUM(C2:C5)", "  spaces  ", "1.500.000", 1.5e20, -3])
    ws["B310"] = CellRichText([TextBlock(InlineFont(b=True), "Lê "), "Thị Hoa"])
    buffer = io.BytesIO()
    book.save(buffer)
    fast, reference = read(buffer.getvalue())
    assert fast == reference and len(fast) == 303


def test_write_only_workbooks_with_inline_strings_read_the_same(block_size):
    book = OpenpyxlWorkbook(write_only=True)
    ws = book.create_sheet()
    for i in range(400):
        ws.append(
            [
                i,
                f"HB{i:05d}",
                "Thôn 1" if i % 2 else None,
                "x",
                0.25 * i,
                "",
                None,
                f"{i:,}".replace(",", "."),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    fast, reference = read(buffer.getvalue())
    assert fast == reference and len(fast) == 400


ROWS = "".join(
    [
        '<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t>Mã hộ</t></is></c><c r="C1" s="2" t="n"><v>7</v></c></row>',
        '<row r="2"><c r="A2" s="1"><v>12.0</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>',
        '<row r="3"><c r="A3" t="str"><v>công thức</v></c><c r="B3" t="d"><v>2024-01-01</v></c><c r="AA3"/></row>',
        '<row r="4"><c r="A4"><v></v></c><c r="B4" t="inlineStr"><is><t></t></is></c><c r="C4" t="inlineStr"></c></row>',
        '<row r="5"><c r="A5" t="inlineStr"><is><t xml:space="preserve">  hai  </t></is></c><c r="B5"></c></row>',
        '<row r="6" x14ac:dyDescent="0.25"><c r="A6" t="inlineStr"><v>9</v></c><c r="B6" t="s"><v>0</v></c></row>',
        '<row r="8"/><row r="9" ht="20" customHeight="1"></row>',
        '<row r="10"><c r="A10"><f>SUM(A1:A2)</f><v>19</v></c><c r="B10" t="inlineStr"><is><r><t>Lê </t></r>'
        "<r><rPr><b/></rPr><t>Hoa</t></r><rPh><t>x</t></rPh></is></c></row>",
        '<row r="11">\n  <c r="A11">\n    <v>3</v>\n  </c>\n</row>',
        '<row><c t="inlineStr"><is><t>no r</t></is></c><c><v>2</v></c></row>',
        '<row r="14"><c r="A14" cm="1"><v>1E3</v></c><c r="XFD14"><v>5</v></c></row>',
        '<row r="15"><c r="A15" t="s"><v>99</v></c><c r="B15" t="s"><v>x</v></c></row>',
        '<row r="16"><c r="A16"><v>٣</v></c><c r="B16"><v>²</v></c><c r="C16" t="n"><v>12</v></c>'
        '<c r="D16"><v>-4</v></c></row>',
    ]
)
SHARED = f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>chuỗi</t></si></sst>'


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"prefix": "x"},
        {"declaration": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'},
        {"root_attrs": 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'},
    ],
    ids=["default namespace", "prefixed", "declaration", "extra namespaces"],
)
def test_every_cell_layout_reads_as_the_event_parser_reads_it(block_size, variant):
    rows = ROWS
    if "prefix" in variant:
        rows = rows.replace("<", "<x:").replace("<x:/", "</x:").replace("x14ac:dyDescent", "ht")
    variant.setdefault("root_attrs", 'xmlns:x14ac="urn:x"')
    fast, reference = read(with_sheet(sheet(rows, **variant), SHARED))
    assert fast == reference
    assert dict(fast)[1] == [("str", "Mã hộ"), ("NoneType", None), ("int", 7)]
    assert dict(fast)[6] == [("NoneType", None), ("str", "chuỗi")]
    assert dict(fast)[10] == [("int", 19), ("str", "Lê Hoa")]
    assert dict(fast)[16] == [("int", 3), ("str", "²"), ("int", 12), ("int", -4)]


@pytest.mark.parametrize(
    "text",
    [
        "Lê &amp; Hoa &#7853; &lt;x&gt;",
        "dòng 1\r\ndòng 2",
        "<![CDATA[</row>]]>",
    ],
    ids=["entities", "carriage return", "cdata"],
)
def test_what_the_fast_path_cannot_vouch_for_goes_to_the_parser(block_size, text):
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{text if i == 40 else f"hộ {i}"}</t></is></c></row>'
        for i in range(1, 80)
    )
    fast, reference = read(with_sheet(sheet(rows.replace("<!--", ""))))
    assert fast == reference and len(fast) == 79


def test_a_comment_mid_sheet_restarts_with_the_event_parser_without_repeating_rows(monkeypatch):
    monkeypatch.setattr(xlsx, "_BLOCK", 200)
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>hộ {i}</t></is></c></row>'
        + ("<!-- </row> -->" if i == 50 else "")
        for i in range(1, 100)
    )
    data = with_sheet(sheet(rows))
    fast, reference = read(data)
    assert fast == reference and [number for number, _values in fast] == list(range(1, 100))


def test_other_elements_among_rows_and_cells(block_size):
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><extLst><ext uri="u"/></extLst><c r="B1"><v>2</v></c></row>'
        '<foo:bar xmlns:foo="urn:foo"/>text<row r="2"><c r="A2"><v>3</v></c></row>'
    )
    fast, reference = read(with_sheet(sheet(rows)))
    assert fast == reference == [(1, [("int", 1), ("int", 2)]), (2, [("int", 3)])]


def test_non_utf8_and_empty_sheets(block_size):
    utf16 = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>Hộ</t></is></c></row>')
    fast, reference = read(with_sheet(('<?xml version="1.0" encoding="UTF-16"?>' + utf16).encode("utf-16")))
    assert fast == reference == [(1, [("str", "Hộ")])]
    assert read(with_sheet(f'<worksheet xmlns="{NS}"><dimension ref="A1"/></worksheet>')) == ([], [])
    latin = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>caf\xe9</t></is></c></row>').encode("latin-1")
    fast, reference = read(with_sheet(b'<?xml version="1.0" encoding="ISO-8859-1"?>' + latin))
    assert fast == reference == [(1, [("str", "café")])]
    empty = f'<worksheet xmlns="{NS}"><sheetData/></worksheet>'
    assert read(with_sheet(empty)) == ([], [])


@pytest.mark.parametrize(
    "broken",
    [
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>bad \x01</t></is></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells></worksheet>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&undefined;</t></is></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xc3\x28</t></is></c></row>',
    ],
    ids=["unclosed cell", "forbidden character", "broken end", "undefined entity", "invalid utf-8"],
)
def test_malformed_sheets_are_refused_as_the_parser_refuses_them(block_size, broken):
    if isinstance(broken, bytes):
        document = sheet("{}").encode().replace(b"{}", broken)
    elif "</worksheet>" in broken:
        document = f'<worksheet xmlns="{NS}"><sheetData>{broken}'
    else:
        document = sheet(broken)
    workbook = xlsx.Workbook(with_sheet(document), LIMITS)
    with pytest.raises(xlsx.WorkbookError):
        list(workbook.rows(workbook.sheets[0][1]))


def test_shared_strings_read_by_blocks_as_by_events(monkeypatch):
    strings = [f"<si><t>chuỗi {i}</t></si>" for i in range(300)]
    strings[7] = '<si><r><t>Lê </t></r><r><rPr><b/></rPr><t>Hoa</t></r><rPh sb="0"><t>x</t></rPh></si>'
    strings[8] = '<si><t xml:space="preserve"> a &amp; b </t></si>'
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(300))
    expected = [(i + 1, [("str", f"chuỗi {i}")]) for i in range(300)]
    expected[7], expected[8] = (8, [("str", "Lê Hoa")]), (9, [("str", " a & b ")])
    for size in (1 << 20, 150):
        monkeypatch.setattr(xlsx, "_BLOCK", size)
        for comment in ("", "<!-- </si> -->"):
            shared = f'<?xml version="1.0"?><sst xmlns="{NS}">{"".join(strings[:100])}{comment}{"".join(strings[100:])}</sst>'
            fast, reference = read(with_sheet(sheet(rows), shared))
            assert fast == reference == expected
