"""A safe, streaming reader of .xlsx workbooks: one row at a time, constant memory.

openpyxl's read-only mode spends most of its time in Python per cell. This reader cuts the sheet's
XML into blocks of about a megabyte of whole rows and reads the rows of a block with regular
expressions written for the layout spreadsheet programs produce, leaving anything else to
ElementTree's C parser (a row, a block, or the whole sheet by events): the same values, several
times faster than openpyxl and three times faster than one parser event per element (see "reading
by blocks" below; tests/census/test_xlsx.py holds the readers to the same results). Every upload
passes core/uploads.py's guard before a parser allocates: the archive's size, entries and
compression ratios from its central directory; every part's prolog read by expat, which refuses a
document type declaration or an entity declaration (the small workbook parts go through defusedxml
with DTDs forbidden); and while a sheet streams, its declared dimension, each cell's column and
row, and the size of each cell and shared string, within the limits.
"""

import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from core.uploads import (
    BoundedEvents,
    UploadLimits,
    UploadRefused,
    cell_too_big,
    check_dimension,
    column_index,
    guarded_xml,
    open_archive,
    row_limit,
    too_many_columns,
    too_many_rows,
)

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_SMALL_PART_MAX = 16 << 20  # workbook.xml, relationships: a few kilobytes in any real file

# The upload cannot be read or is over a limit; the message says so in Vietnamese and how to fix it.
WorkbookError = UploadRefused
Limits = UploadLimits


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def column_letter(index: int) -> str:
    """0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_column_index = column_index


class Workbook:
    """An opened, checked workbook. `sheets` lists (name, part path) in workbook order."""

    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        self.zip = open_archive(data, limits)
        self.sizes = {info.filename: info.file_size for info in self.zip.infolist()}
        self.names = set(self.sizes)
        self.sheets = self._sheets()
        self._shared: list[str] | None = None

    def _read_small(self, name: str):
        try:
            if self.sizes.get(name, 0) > _SMALL_PART_MAX:
                raise ValueError(name)
            return safe_fromstring(self.zip.read(name), forbid_dtd=True)
        except (DefusedXmlException, ParseError, KeyError, zipfile.BadZipFile, OSError, ValueError) as error:
            raise WorkbookError(
                _("Tệp .xlsx bị hỏng (không đọc được %(part)s). Hãy mở bằng Excel và lưu lại.")
                % {"part": name}
            ) from error

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        result = {}
        for rel in self._read_small(rels_name):
            target = rel.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            result[rel.get("Id")] = (rel.get("Type", ""), path)
        return result

    def _workbook_part(self) -> str:
        for rel in self._read_small("_rels/.rels") if "_rels/.rels" in self.names else []:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise WorkbookError(_("Tệp không phải là sổ làm việc Excel (.xlsx). Hãy lưu lại dưới dạng .xlsx."))

    def _sheets(self) -> list[tuple[str, str]]:
        part = self._workbook_part()
        rels = self._rels(part)
        self._shared_part = next(
            (path for kind, path in rels.values() if kind.endswith("/sharedStrings")), None
        )
        sheets = []
        for element in self._read_small(part).iter():
            if _local(element.tag) != "sheet":
                continue
            rel_id = element.get(f"{{{_REL_NS}}}id") or next(
                (value for key, value in element.attrib.items() if _local(key) == "id"), None
            )
            kind, path = rels.get(rel_id, ("", ""))
            if kind.endswith("/worksheet") and path in self.names:
                sheets.append((element.get("name", ""), path))
        if not sheets:
            raise WorkbookError(_("Tệp Excel không có trang tính nào chứa dữ liệu."))
        return sheets

    def _stream(self, name: str):
        try:
            stream = self.zip.open(name)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            raise WorkbookError(
                _("Tệp .xlsx bị hỏng (không đọc được %(part)s). Hãy mở bằng Excel và lưu lại.")
                % {"part": name}
            ) from error
        return guarded_xml(stream)

    @property
    def shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self._shared_part and self._shared_part in self.names:
                limit = self.limits.max_cell_chars
                try:
                    for si in self._elements(self._shared_part, "sst", "si"):
                        text = _text_of(si)
                        if len(text) > limit:
                            raise cell_too_big(self.limits)
                        self._shared.append(text)
                except (ParseError, zipfile.BadZipFile, OSError, EOFError) as error:
                    raise WorkbookError(
                        _("Tệp .xlsx bị hỏng (bảng chuỗi). Hãy mở bằng Excel và lưu lại.")
                    ) from error
        return self._shared

    def _elements(self, part: str, container: str, child: str) -> Iterator:
        """The `child` elements of the part's `container` element, in order: parsed a block at a
        time (_blocks), or, when the part cannot be cut safely, by ElementTree's event parser
        from the start again, past the elements the blocks already gave."""
        given = 0
        try:
            for block in _blocks(self._stream(part), container, child):
                for element in block.elements():
                    yield element
                    given += 1
            return
        except _Unsplittable:
            pass
        yield from _events(self._stream(part), child, self.limits, skip=given)

    def check_dimension(self, part: str) -> None:
        """Refuse the sheet if its declared dimension (<dimension ref="A1:XFD2000"/>, read by expat
        before <sheetData>) exceeds the columns or rows allowed."""
        parser = pyexpat.ParserCreate(namespace_separator="}")

        def start(name, attributes):
            local = name.rsplit("}", 1)[-1]
            if local == "dimension":
                check_dimension(attributes.get("ref", ""), self.limits)
            elif local == "sheetData":
                raise _SheetDataReached

        parser.StartElementHandler = start
        stream = self._stream(part)
        read = 0
        try:
            while read < _MAX_PENDING and (chunk := stream.read(1 << 16)):
                read += len(chunk)
                parser.Parse(chunk, False)
        except (_SheetDataReached, pyexpat.ExpatError):
            pass  # a broken sheet is reported when its rows are read

    def _row_values(self, part: str) -> Iterator[tuple[int, list]]:
        """(row number, values) for every <row> of the sheet, empty ones included."""
        self.check_dimension(part)
        reader = _RowReader(self.shared_strings, self.limits)
        given = 0
        try:
            for block in _blocks(self._stream(part), "sheetData", "row"):
                fast = _FastRows.of(block)
                rows = fast.rows(reader) if fast else None
                if rows is None:  # not in the common layout: the block's elements one by one
                    rows = (reader(element) for element in block.elements())
                for row in rows:
                    yield row
                    given += 1
            return
        except _Unsplittable:
            pass
        reader = _RowReader(self.shared_strings, self.limits)
        for element in _events(self._stream(part), "row", self.limits):
            row = reader(element)
            if given:
                given -= 1
            else:
                yield row

    def rows(self, part: str, *, limit: int | None = None) -> Iterator[tuple[int, list]]:
        """(row number, values by column) for each non-empty row, in order. Values are str, int,
        float, bool or None; numbers typed as text stay text."""
        max_rows = self.limits.max_rows + 100  # title, header and totals rows on top of the data
        seen = 0
        try:
            for number, values in self._row_values(part):
                if values:
                    seen += 1
                    if seen > max_rows:
                        raise too_many_rows(number, self.limits)
                    yield number, values
                    if limit is not None and seen >= limit:
                        return
        except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            if isinstance(error, WorkbookError):
                raise
            raise WorkbookError(
                _("Tệp .xlsx bị hỏng (trang tính không đọc được). Hãy mở bằng Excel và lưu lại.")
            ) from error


class _SheetDataReached(Exception):
    pass


def _events(stream, child: str, limits: Limits, *, skip: int = 0) -> Iterator:
    """The `child` elements of a part, by ElementTree's event parser (one event per element):
    the reader for parts that cannot be read by blocks. No element may take more bytes than one
    cell of the largest size (BoundedEvents), nor a child hold more elements than its columns
    allow, so that a huge cell or row is refused before the parser holds it."""
    tag = None
    bounded = BoundedEvents(stream, limits.max_event_bytes, str(cell_too_big(limits)))
    max_inside = limits.max_columns * 8  # c, v, is, t, r, rPr… of each cell
    inside = -1  # elements started inside the current child; -1 between children
    for event, element in iterparse(bounded, events=("start", "end")):
        bounded.mark()
        if element.tag != tag:
            if tag is not None or _local(element.tag) != child:
                if inside >= 0 and event == "start":
                    inside += 1
                    if inside > max_inside:
                        raise too_many_columns(inside // 8, limits)
                continue
            tag = element.tag
        if event == "start":
            inside = 0
            continue
        inside = -1
        if skip:
            skip -= 1
        else:
            yield element
        element.clear()


# --- reading by blocks ---------------------------------------------------------------------------
#
# One parser event per element costs more than the parsing itself on a 10⁵-row sheet (40 elements
# a row). The part's bytes are cut just after a closing tag of the repeated element instead, and
# each block parsed at once as a small document: the part's own start (XML declaration, root and
# container start tags with their namespace declarations) + the block + closing tags; the last
# block with the part's real end, so that the whole part is still checked. A cut can only fall
# inside markup if a comment, CDATA section or processing instruction holds the closing tag, so a
# block holding "<!" or "<?" is not cut that way (_Unsplittable): the part is then read by events.
# No document type declaration can reach these parsers: expat refused one in the part's prolog
# (core.uploads.guarded_xml), and a block holding "<!" is never parsed here.


class _Unsplittable(Exception):
    pass


_BLOCK = 1 << 20  # bytes read at a time: about 1,500 rows
_MAX_PENDING = 4 << 20  # so many bytes without the closing tag: not the expected layout
_NAME = rb"[A-Za-z_][\w.-]*"


@dataclass
class _Block:
    prolog: bytes  # the part up to and including the container's start tag
    data: bytes  # whole child elements (and, in the last block, the rest of the part)
    end_tags: bytes  # the container's and the root's end tags
    last: bool
    prefix: str  # the namespace prefix of the elements ("x:" or "")
    container: str
    child: str

    def parse(self, data: bytes, *, complete: bool = False):
        """The container element of prolog + data (+ the end tags unless data completes it)."""
        root = fromstring(self.prolog + data + (b"" if complete else self.end_tags))
        if _local(root.tag) == self.container:
            return root
        return next((element for element in root if _local(element.tag) == self.container), None)

    def elements(self) -> list:
        """The block's child elements, parsed."""
        container = self.parse(self.data, complete=self.last)
        return [] if container is None else [e for e in container if _local(e.tag) == self.child]


def _blocks(stream, container: str, child: str) -> Iterator[_Block]:
    """The part as consecutive blocks of whole `child` elements of `container` (local names)."""
    start = re.compile(rb"<((?:" + _NAME + rb":)?" + container.encode() + rb")(?=[\s/>])[^>]*?(/?)>")
    head = b""
    found = None
    while found is None:
        data = stream.read(_BLOCK)
        head += data
        if b"\0" in head[:512] or len(head) > _MAX_PENDING:  # UTF-16, or no container in sight
            raise _Unsplittable
        found = start.search(head)
        if not data and found is None:
            raise _Unsplittable  # no container: let the event parser judge the part
    prolog, pending = head[: found.end()], head[found.end() :]
    container_name = found.group(1)
    prefix = container_name[: -len(container)]
    root = re.search(rb"<(" + _NAME + rb"(?::" + _NAME + rb")?)", prolog)
    end_tags = b"</" + container_name + b">"
    if root and root.group(1) != container_name:
        end_tags += b"</" + root.group(1) + b">"
    close_child = b"</" + prefix + child.encode() + b">"
    block = partial(
        _Block, prolog, end_tags=end_tags, prefix=prefix.decode(), container=container, child=child
    )
    while not found.group(2):  # else an empty container (<sheetData/>): the rest is the last block
        data = stream.read(_BLOCK)
        pending += data
        if not data:
            break
        cut = pending.rfind(close_child)
        if cut < 0:
            if len(pending) > _MAX_PENDING:
                raise _Unsplittable
            continue
        cut += len(close_child)
        data, pending = pending[:cut], pending[cut:]
        if b"<!" in data or b"<?" in data:
            raise _Unsplittable
        yield block(data, last=False)
    while data := stream.read(_BLOCK):
        pending += data
    if b"<!" in pending or b"<?" in pending:
        raise _Unsplittable
    yield block(pending, last=True)


class _FastRows:
    """The rows of a block in the layout spreadsheet programs write (<c r="B7" s="1" t="s"><v>12
    </v></c>, inline strings <is><t>…</t></is>), read with regular expressions: three times faster
    than building the elements. A row holding anything else (formulas, rich text, other attributes,
    white space between cells) is parsed by ElementTree; a block that is not a plain sequence of
    rows, not UTF-8, or holds entity references, carriage returns or characters XML forbids, is
    left to ElementTree altogether (of() and rows() return None) — so every value is the one the
    XML parser would give."""

    _patterns: dict[str, tuple] = {}

    def __init__(self, text: str, tail: bytes | None, block: _Block):
        self.text = text
        self.tail = tail
        self.block = block
        if block.prefix not in self._patterns:
            self._patterns[block.prefix] = self._compile(re.escape(block.prefix))
        self.row, self.cells, self.cell = self._patterns[block.prefix]

    @staticmethod
    def _compile(p: str) -> tuple:
        attributes = r'(?:\s++[\w:.-]++="[^"<>]*+")*+'
        row = rf"\s*+<{p}row({attributes})\s*+(?:/>|>([^<]*+(?:<(?!/{p}row>)[^<]*+)*+)</{p}row>)"
        # Groups: column letters, type, ">" if there is a <v>, its text, ">" if there is an <is>,
        # its text (findall gives "" for a group that did not take part).
        cell = (
            rf'<{p}c r="([A-Z]{{1,3}})[0-9]++"(?: s="[0-9]++")?+(?: t="([a-zA-Z]++)")?+(?: s="[0-9]++")?+'
            rf'(?:/>|>(?:<{p}v(>)([^<]*+)</{p}v>|<{p}is><{p}t(?: xml:space="preserve")?+(>)([^<]*+)'
            rf"</{p}t></{p}is>)?+</{p}c>)"
        )
        return re.compile(row), re.compile(f"(?:{cell})*+"), re.compile(cell)

    @classmethod
    def of(cls, block: _Block) -> "_FastRows | None":
        declaration = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.-]+)", block.prolog)
        if declaration and declaration.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        data, tail = block.data, None
        if block.last:  # its rows, then the part's end (closing tags, merged cells...)
            close = b"</" + block.prefix.encode() + b"row>"
            cut = data.rfind(close)
            cut = 0 if cut < 0 else cut + len(close)
            data, tail = data[:cut], data[cut:]
        if b"&" in data or b"\r" in data:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _INVALID_XML.search(text):
            return None
        return cls(text, tail, block)

    def rows(self, reader: "_RowReader") -> Iterator[tuple[int, list]] | None:
        text = self.text
        matches = []
        position = 0
        for match in self.row.finditer(text):
            if match.start() != position:
                return None
            matches.append(match)
            position = match.end()
        if text[position:].strip():
            return None
        if self.tail is not None:
            # The part's end must be well formed, as the event parser would have found; it holds
            # no row with cells (those end before the last </row>).
            self.block.parse(self.tail, complete=True)
        return self._read(matches, reader)

    def _read(self, matches: list, reader: "_RowReader") -> Iterator[tuple[int, list]]:
        cells, cell = self.cells, self.cell
        for match in matches:
            attributes, body = match.groups()
            if body and not cells.fullmatch(body):
                container = self.block.parse(match.group(0).encode())
                yield reader(container[0])
                continue
            reader.expected += 1
            if attributes.startswith(' r="'):  # as every program writes it
                number = int(attributes[4 : attributes.index('"', 4)] or reader.expected)
            else:
                found = _ROW_NUMBER.search(attributes) if attributes else None
                number = int(found.group(1) or reader.expected) if found else reader.expected
            if number > reader.max_row:
                raise too_many_rows(number, reader.limits)
            reader.expected = number
            if not body:
                yield number, []
                continue
            found = cell.findall(body)
            if len(body) > reader.max_chars:  # only a row this long can hold a cell too long
                for _letters, _kind, _has_value, raw, _has_inline, inline in found:
                    if len(raw) > reader.max_chars or len(inline) > reader.max_chars:
                        raise cell_too_big(reader.limits)
            yield number, reader.values(found)


_ROW_NUMBER = re.compile(r'(?:^|\s)r="([^"]*)"')
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _RowReader:
    """A <row> element → (row number, values by column index). One call per row of files of 10⁶
    rows: kept as lean as Python allows."""

    def __init__(self, shared: list[str], limits: Limits):
        self.shared = shared
        self.limits = limits
        self.max_row = row_limit(limits)
        self.max_columns = limits.max_columns
        self.max_chars = limits.max_cell_chars
        self.expected = 0
        self.tags: tuple | None = None
        self.columns: dict[str, int] = {}

    def __call__(self, element) -> tuple[int, list]:
        if self.tags is None:
            namespace = element.tag[: -len("row")]
            self.tags = tuple(namespace + name for name in ("c", "v", "is", "t"))
        c_tag, v_tag, is_tag, t_tag = self.tags
        self.expected += 1
        number = int(element.get("r") or self.expected)
        if number > self.max_row:
            raise too_many_rows(number, self.limits)
        self.expected = number
        columns = self.columns
        shared = self.shared
        values: list = []
        position = 0
        for cell in element:
            if cell.tag != c_tag:
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                index = columns.get(letters)
                if index is None:
                    index = columns[letters] = _column_index(letters) if _LETTERS.match(letters) else position
                position = index
            kind = cell.get("t")
            if kind == "inlineStr":
                inline = cell.find(is_tag)
                value = None if inline is None else _text_of(inline)
            else:
                value = _value(kind, cell.findtext(v_tag), shared)
            if value is not None:
                if value.__class__ is str and len(value) > self.max_chars:
                    raise cell_too_big(self.limits)
                if position >= len(values):
                    if position >= self.max_columns:
                        raise too_many_columns(position, self.limits)
                    values.extend([None] * (position - len(values) + 1))
                values[position] = value
            position += 1
        return number, values

    def values(self, cells: list[tuple[str, ...]]) -> list:
        """The values of cells matched by _FastRows (see its groups), as __call__ gives them."""
        columns = self.columns
        shared = self.shared
        values: list = []
        for letters, kind, has_value, raw, has_inline, inline in cells:
            if kind == "inlineStr":
                if not has_inline:
                    continue
                value = inline
            elif not has_value:
                continue
            elif (kind == "n" or not kind) and raw.isdecimal():  # a whole number, as most are
                value = int(raw)
            else:
                value = _value(kind, raw, shared)
                if value is None:
                    continue
            index = columns.get(letters)
            if index is None:
                index = columns[letters] = _column_index(letters)
                if index >= self.max_columns:
                    raise too_many_columns(index, self.limits)
            size = len(values)
            if index == size:  # cells come in column order: the common case
                values.append(value)
            elif index > size:
                values.extend([None] * (index - size))
                values.append(value)
            else:
                values[index] = value
        return values


def _text_of(element) -> str:
    """The text of a shared or inline string: its <t> runs, without phonetic guides."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _value(kind: str | None, raw: str | None, shared: list[str]):
    """A cell's value from its type (t) and the text of its <v>."""
    if raw is None:
        return None
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind in ("str", "e", "d"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    try:
        if "." in raw or "E" in raw or "e" in raw:
            number = float(raw)
            return int(number) if number.is_integer() and abs(number) < 1e15 else number
        return int(raw)
    except ValueError:
        return raw


def guard_workbook(data: bytes, limits: Limits) -> None:
    """Refuse (WorkbookError) a workbook that is not safe to hand to openpyxl: the archive and
    every XML part's prolog are checked (core.uploads), then every sheet and the shared strings
    are streamed by this reader, whose limits bound the declared dimension (openpyxl pads each
    row to it), the rows, the columns and the size of each cell. Reads in constant memory."""
    workbook = Workbook(data, limits)
    for name in sorted(workbook.names):
        if name.endswith((".xml", ".rels", ".vml")):
            stream = workbook._stream(name)  # expat reads the prolog, refusing a DTD
            stream.close()
    workbook.shared_strings  # noqa: B018 — read for its checks
    for _name, part in workbook.sheets:
        for _row in workbook.rows(part):
            pass
