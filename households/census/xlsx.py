"""A safe, streaming reader of .xlsx workbooks: one row at a time, constant memory.

openpyxl's read-only mode spends most of its time in Python per cell; this reader lets expat
(through ElementTree's C parser) do the work and only walks finished rows, which makes reading a
100,000-row review file several times faster. What it guards against before parsing anything:

- files that are not a zip archive (old .xls, CSV renamed, encrypted workbooks, truncated uploads);
- zip bombs: the number of entries and the declared uncompressed size are checked against the
  configured limits (zipfile never inflates an entry past its declared size, so the declared
  sizes bound the work);
- XML attacks: a document type declaration (the only way to declare entities, hence billion
  laughs and external entities) is refused; the small workbook parts go through defusedxml.
"""

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and password-protected .xlsx
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


class WorkbookError(ValueError):
    """The upload cannot be read; the message says so in Vietnamese and how to fix it."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_entries: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> "Limits":
        from django.conf import settings

        return cls(
            max_bytes=settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024,
            max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
            max_entries=settings.IMPORT_MAX_ARCHIVE_ENTRIES,
            max_rows=settings.IMPORT_MAX_ROWS,
        )


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


def _column_index(letters: str) -> int:
    value = 0
    for char in letters:
        value = value * 26 + (ord(char) - 64)
    return value - 1


class _PrologGuard(io.RawIOBase):
    """A stream that refuses XML with a document type declaration before the root element."""

    def __init__(self, stream):
        head = stream.read(1 << 16)
        text = head
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = head.decode("utf-16", errors="ignore").encode()
        match = _ROOT_START.search(text)
        prolog = text[: match.start()] if match else text
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper() or match is None:
            raise WorkbookError(_("Tệp Excel có cấu trúc không an toàn hoặc bị hỏng, nên không được đọc."))
        self._head = head
        self._stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class Workbook:
    """An opened, checked workbook. `sheets` lists (name, part path) in workbook order."""

    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        if len(data) > limits.max_bytes:
            raise WorkbookError(
                _(
                    "Tệp quá lớn (%(size)s MB, tối đa %(max)s MB). Hãy chia tệp theo xã hoặc huyện rồi nhập từng phần."
                )
                % {"size": len(data) // (1024 * 1024), "max": limits.max_bytes // (1024 * 1024)}
            )
        if data[:8] == OLE_MAGIC:
            raise WorkbookError(
                _(
                    "Đây là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, "
                    "rồi chọn Lưu thành → Sổ làm việc Excel (.xlsx) và tải lên lại."
                )
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise WorkbookError(
                _(
                    "Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là .csv, .xls đổi tên hoặc tệp bị hỏng). "
                    "Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
                )
            ) from error
        if len(infos) > limits.max_entries:
            raise WorkbookError(
                _("Tệp .xlsx có quá nhiều thành phần bên trong (%(n)s); tệp này không được đọc.")
                % {"n": len(infos)}
            )
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed:
            raise WorkbookError(
                _("Nội dung tệp sau khi giải nén quá lớn (%(size)s MB, tối đa %(max)s MB). Hãy chia nhỏ tệp.")
                % {"size": total // (1024 * 1024), "max": limits.max_uncompressed // (1024 * 1024)}
            )
        self.names = {info.filename for info in infos}
        self.sheets = self._sheets()
        self._shared: list[str] | None = None

    def _read_small(self, name: str):
        try:
            return safe_fromstring(self.zip.read(name))
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
        return _PrologGuard(stream)

    @property
    def shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self._shared_part and self._shared_part in self.names:
                try:
                    si_tag = None
                    for _event, element in iterparse(self._stream(self._shared_part)):
                        tag = element.tag
                        if tag != si_tag:
                            if si_tag is not None or _local(tag) != "si":
                                continue
                            si_tag = tag
                        self._shared.append(_text_of(element))
                        element.clear()
                except (ParseError, zipfile.BadZipFile, OSError, EOFError) as error:
                    raise WorkbookError(
                        _("Tệp .xlsx bị hỏng (bảng chuỗi). Hãy mở bằng Excel và lưu lại.")
                    ) from error
        return self._shared

    def rows(self, part: str, *, limit: int | None = None) -> Iterator[tuple[int, list]]:
        """(row number, values by column) for each non-empty row, in order. Values are str, int,
        float, bool or None; numbers typed as text stay text."""
        shared = self.shared_strings
        max_rows = self.limits.max_rows + 100  # title, header and totals rows on top of the data
        seen = 0
        expected = 0
        row_tag = None
        columns: dict[str, int] = {}
        try:
            for _event, element in iterparse(self._stream(part)):
                tag = element.tag
                if tag != row_tag:
                    if row_tag is not None or _local(tag) != "row":
                        continue
                    row_tag = tag
                    namespace = tag[: -len("row")]
                    tags = (namespace + "c", namespace + "v", namespace + "is")
                expected += 1
                number = int(element.get("r") or expected)
                expected = number
                values: list = []
                position = 0
                for cell in element:
                    if cell.tag != tags[0]:
                        continue
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        index = columns.get(letters)
                        if index is None:
                            index = columns[letters] = (
                                _column_index(letters) if _LETTERS.match(letters) else position
                            )
                        position = index
                    value = _cell_value(cell, shared, tags)
                    if value is not None:
                        if position >= len(values):
                            values.extend([None] * (position - len(values) + 1))
                        values[position] = value
                    position += 1
                element.clear()
                if values:
                    seen += 1
                    if seen > max_rows:
                        raise WorkbookError(
                            _(
                                "Tệp có hơn %(max)s dòng dữ liệu, vượt giới hạn cho một lần nhập. Hãy chia tệp theo huyện hoặc xã."
                            )
                            % {"max": f"{self.limits.max_rows:,}".replace(",", ".")}
                        )
                    yield number, values
                    if limit is not None and seen >= limit:
                        return
        except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            if isinstance(error, WorkbookError):
                raise
            raise WorkbookError(
                _("Tệp .xlsx bị hỏng (trang tính không đọc được). Hãy mở bằng Excel và lưu lại.")
            ) from error


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


def _cell_value(cell, shared: list[str], tags: tuple[str, str, str]):
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = cell.find(tags[2])
        return _text_of(inline) if inline is not None else None
    raw = cell.findtext(tags[1])
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
