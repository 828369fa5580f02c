"""Hostile workbooks for the upload guard's tests (issue 15, items 2 and 3), built with zipfile and
small on disk however much they declare or inflate to; and the peak memory of a call."""

import io
import tracemalloc
import zipfile
from collections.abc import Iterable

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _write(archive: zipfile.ZipFile, name: str, content: bytes | Iterable[bytes]) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=False) as entry:
        for chunk in [content] if isinstance(content, bytes) else content:
            entry.write(chunk)


def workbook(
    sheet: bytes | Iterable[bytes], shared: bytes | Iterable[bytes] | None = None, extra: dict | None = None
) -> bytes:
    """An .xlsx of one sheet (and shared strings), whose parts may be given as chunks so that a
    part of hundreds of megabytes is never held by the test."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _write(archive, "[Content_Types].xml", _CONTENT_TYPES)
        _write(archive, "_rels/.rels", _ROOT_RELS)
        _write(archive, "xl/workbook.xml", _WORKBOOK)
        _write(archive, "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        _write(archive, "xl/worksheets/sheet1.xml", sheet)
        _write(
            archive, "xl/sharedStrings.xml", shared if shared is not None else f'<sst xmlns="{NS}"/>'.encode()
        )
        for name, content in (extra or {}).items():
            _write(archive, name, content)
    return out.getvalue()


def sheet_xml(rows: str, *, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}<sheetData>{rows}</sheetData></worksheet>'.encode()


def dimension_bomb(rows: int = 2000) -> bytes:
    """A12 KB table declaring A1:XFD2000: openpyxl pads each row to 16.384 columns."""
    body = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(1, rows + 1)
    )
    return workbook(sheet_xml(body, dimension=f"A1:XFD{rows}"))


def _repeat(total: int, byte: bytes = b"a") -> Iterable[bytes]:
    chunk = byte * MB
    for _ in range(total // MB):
        yield chunk


def huge_cell(megabytes: int) -> bytes:
    """One inline-string cell of `megabytes` MB in row 2, below a header cell."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã hộ</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>'
    ).encode()
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return workbook([head, *_repeat(megabytes * MB), tail])


def huge_shared_string(megabytes: int) -> bytes:
    """A shared string of `megabytes` MB, used by the sheet's first cell."""
    shared = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}"><si><t>'.encode()]
    shared += [*_repeat(megabytes * MB), b"</t></si></sst>"]
    return workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared)


def zip_bomb(megabytes: int) -> bytes:
    """A well-formed workbook carrying one entry that inflates to `megabytes` MB of zeros."""
    return workbook(
        sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'),
        extra={"xl/media/image1.bin": _repeat(megabytes * MB, b"\0")},
    )


def entity_bomb() -> bytes:
    """Shared strings whose DOCTYPE hides behind a comment naming the root element, with nested
    internal entities (each ten times the one before: 7·10⁶ characters from a few hundred bytes,
    under the 8 MB from which expat itself starts to limit amplification)."""
    levels = "".join(f'<!ENTITY e{i} "' + f"&e{i - 1};" * 10 + '">' for i in range(1, 6))
    entities = '<!ENTITY e0 "' + "a" * 70 + '">' + levels
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><!-- <sst> --><!DOCTYPE sst [{entities}]>'
        f'<sst xmlns="{NS}"><si><t>&e5;</t></si></sst>'
    ).encode()
    return workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared)


def too_many_entries(count: int) -> bytes:
    return workbook(sheet_xml(""), extra={f"xl/media/{i}.bin": b"" for i in range(count)})


def peak_memory(call) -> tuple[object, int]:
    """(what `call()` returned or raised, the peak of memory allocated meanwhile in bytes)."""
    tracemalloc.start()
    try:
        try:
            outcome = call()
        except Exception as error:  # the refusal is the outcome the tests look at
            outcome = error
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
