"""The one guard every uploaded spreadsheet passes before a parser allocates anything for it.

Limits come from settings (`UploadLimits.for_census()` for the census page and its worker,
`UploadLimits.for_tables()` for the small tables imported inside a request: target tables, village
assignments, the admin's import screen). They are checked in this order, each before the work it
bounds:

1. the upload's size, before its bytes are read into memory (`check_upload_size`);
2. the zip archive's end record (number of entries, size of the central directory), before zipfile
   parses the central directory; then each entry's declared size and compression ratio, and the
   total, before anything is inflated (`open_archive`) — zipfile never inflates an entry past its
   declared size, so the declared sizes bound the work;
3. every XML part's prolog, read by expat with handlers that refuse a document type declaration and
   any entity declaration (`guarded_xml`): entities can only be declared in a DTD, and a DTD can
   only come before the root element, so the parser itself has decided before any content is read;
4. while a sheet streams (households/census/xlsx.py): its declared dimension, each cell's column
   and row, and the size of each cell and shared string (`check_dimension`, `check_cell`, ...).

Over a limit, `UploadRefused` says in Vietnamese which limit and what to do; nothing was changed."""

import io
import pyexpat
import re
import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import fmt_int

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and password-protected .xlsx
EXCEL_MAX_COLUMNS = 16384  # XFD
_MB = 1024 * 1024
# Entries smaller than this are not held to the compression ratio: tiny parts compress oddly.
_RATIO_FLOOR = _MB
_PROLOG_MAX = 1 << 16  # bytes before the root element: an XML declaration and a comment or two
_END_RECORD = b"PK\x05\x06"


class UploadRefused(ValueError):
    """The upload is over a limit or unsafe; the message says which, in Vietnamese."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed: int
    max_entries: int
    max_rows: int
    max_ratio: int = 200
    max_columns: int = 300
    max_cell_chars: int = 32767  # Excel's own limit for one cell

    @classmethod
    def for_census(cls) -> "UploadLimits":
        """The census page and its background job (large files, read by the worker)."""
        return cls(
            max_bytes=settings.IMPORT_MAX_UPLOAD_MB * _MB,
            max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_MB * _MB,
            max_entries=settings.IMPORT_MAX_ARCHIVE_ENTRIES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    @classmethod
    def for_tables(cls) -> "UploadLimits":
        """Small tables read inside a request: target tables, village assignments, admin imports."""
        return cls(
            max_bytes=settings.TABLE_UPLOAD_MAX_KB * 1024,
            max_uncompressed=settings.TABLE_UPLOAD_MAX_UNCOMPRESSED_MB * _MB,
            max_entries=settings.IMPORT_MAX_ARCHIVE_ENTRIES,
            max_rows=settings.TABLE_UPLOAD_MAX_ROWS,
            max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_columns=settings.TABLE_UPLOAD_MAX_COLUMNS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    @property
    def max_event_bytes(self) -> int:
        """Bytes an XML parser may read without completing an element: one cell of the largest
        size (4 bytes a character at most in UTF-8) and its markup, plus a read chunk either side."""
        return self.max_cell_chars * 4 + (1 << 16)


def _size(n: int) -> str:
    """A size in MB (or KB under a megabyte), Vietnamese digits."""
    if n >= _MB:
        return f"{fmt_int(-(-n // _MB))} MB"
    return f"{fmt_int(-(-n // 1024))} KB"


def refuse_too_big(size: int, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _("Tệp quá lớn (%(size)s, tối đa %(max)s). Hãy chia tệp theo xã hoặc huyện rồi nhập từng phần.")
        % {"size": _size(size), "max": _size(limits.max_bytes)}
    )


def check_upload_size(size: int, limits: UploadLimits) -> None:
    """Refuse an upload larger than the limit, before its bytes are read."""
    if size > limits.max_bytes:
        raise refuse_too_big(size, limits)


NOT_XLSX = gettext_lazy(
    "Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là .csv, .xls đổi tên hoặc tệp bị hỏng). "
    "Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
)


def _not_xlsx() -> UploadRefused:
    return UploadRefused(str(NOT_XLSX))


def _too_many_entries(count: int, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _("Tệp .xlsx có quá nhiều thành phần bên trong (%(n)s, tối đa %(max)s); tệp này không được đọc.")
        % {"n": fmt_int(count), "max": fmt_int(limits.max_entries)}
    )


def _entries_declared(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory size) from the archive's end record; None if there is none."""
    position = data.rfind(_END_RECORD, max(0, len(data) - (1 << 16) - 22))
    if position < 0 or len(data) < position + 22:
        return None
    _disk, _cd_disk, _here, entries, cd_size, _offset = struct.unpack(
        "<4xHHHHII", data[position : position + 20]
    )
    return entries, cd_size


def open_archive(data: bytes, limits: UploadLimits) -> zipfile.ZipFile:
    """The upload as a zip archive whose entries are within the limits, checked from the end
    record and the central directory before anything is inflated."""
    check_upload_size(len(data), limits)
    if data[:8] == OLE_MAGIC:
        raise UploadRefused(
            _(
                "Đây là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, "
                "rồi chọn Lưu thành → Sổ làm việc Excel (.xlsx) và tải lên lại."
            )
        )
    declared = _entries_declared(data)
    if declared is None:
        raise _not_xlsx()
    entries, cd_size = declared
    # 0xFFFF entries means a zip64 archive: no workbook has that many parts.
    if entries > limits.max_entries or entries == 0xFFFF:
        raise _too_many_entries(entries, limits)
    if cd_size > limits.max_entries * 1024:  # a central directory record is ~100 bytes
        raise _too_many_entries(cd_size // 46, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _not_xlsx() from error
    if len(infos) > limits.max_entries:
        raise _too_many_entries(len(infos), limits)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
            raise UploadRefused(
                _(
                    "Thành phần %(part)s của tệp nén quá mức (%(ratio)s lần, tối đa %(max)s lần): tệp này không "
                    "được đọc. Hãy mở bằng Excel và lưu lại."
                )
                % {"part": info.filename, "ratio": fmt_int(ratio), "max": fmt_int(limits.max_ratio)}
            )
    if total > limits.max_uncompressed:
        raise UploadRefused(
            _(
                "Nội dung tệp sau khi giải nén quá lớn (%(size)s, tối đa %(max)s). Hãy chia nhỏ tệp theo xã "
                "hoặc huyện."
            )
            % {"size": _size(total), "max": _size(limits.max_uncompressed)}
        )
    return archive


# --- XML ----------------------------------------------------------------------------------------

UNSAFE_XML = gettext_lazy(
    "Tệp Excel có cấu trúc không an toàn (khai báo DOCTYPE hoặc ENTITY) hoặc bị hỏng, nên không được đọc. "
    "Hãy mở bằng Excel và lưu lại."
)


def _refuse_declaration(*_args) -> None:
    raise UploadRefused(str(UNSAFE_XML))


class _RootStarted(Exception):
    pass


def _root_started(*_args) -> None:
    raise _RootStarted


class _Replay(io.RawIOBase):
    """The bytes the guard already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def guarded_xml(stream) -> io.BufferedReader:
    """The XML stream after expat has read its prolog up to the root element, refusing a document
    type declaration or an entity declaration (UploadRefused); the bytes it read are given again."""
    parser = pyexpat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.NotationDeclHandler = _refuse_declaration
    parser.StartElementHandler = _root_started
    head = b""
    while True:
        chunk = stream.read(4096)  # small: whatever expat reads after a refusal stays small
        head += chunk
        try:
            parser.Parse(chunk, not chunk)
        except _RootStarted:
            break
        except pyexpat.ExpatError as error:
            raise UploadRefused(str(UNSAFE_XML)) from error
        if not chunk or len(head) > _PROLOG_MAX:
            raise UploadRefused(str(UNSAFE_XML))
    return io.BufferedReader(_Replay(head, stream), buffer_size=1 << 16)


class BoundedEvents(io.RawIOBase):
    """A stream that refuses to give more than `limit` bytes between two calls of `mark()`: the
    reader marks each element a parser completes, so that no single element (one cell, one shared
    string) can grow past the limit inside the parser."""

    def __init__(self, stream, limit: int, message: str):
        self._stream = stream
        self._limit = limit
        self._message = message
        self._since = 0

    def readable(self) -> bool:
        return True

    def mark(self) -> None:
        self._since = 0

    def readinto(self, buffer) -> int:
        if self._since > self._limit:
            raise UploadRefused(self._message)
        chunk = self._stream.read(min(len(buffer), self._limit + 1))
        self._since += len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


# --- Sheets ---------------------------------------------------------------------------------------

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def column_index(letters: str) -> int:
    """ "A" → 0, "AB" → 27."""
    value = 0
    for char in letters:
        value = value * 26 + (ord(char) - 64)
    return value - 1


def too_many_columns(column: int, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _(
            "Trang tính có dữ liệu ở cột thứ %(n)s, vượt giới hạn %(max)s cột. Hãy xoá các cột thừa ở bên phải "
            "bảng rồi lưu lại."
        )
        % {"n": fmt_int(column + 1), "max": fmt_int(limits.max_columns)}
    )


def too_many_rows(row: int, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _(
            "Tệp có hơn %(max)s dòng dữ liệu (đến dòng %(n)s), vượt giới hạn cho một lần nhập. Hãy chia tệp theo "
            "huyện hoặc xã."
        )
        % {"max": fmt_int(limits.max_rows), "n": fmt_int(row)}
    )


def cell_too_big(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        _(
            "Tệp có một ô hoặc một chuỗi dài hơn %(max)s ký tự, vượt giới hạn của Excel; tệp này không được đọc."
        )
        % {"max": fmt_int(limits.max_cell_chars)}
    )


def row_limit(limits: UploadLimits) -> int:
    """The last row number a sheet may use: the data rows and the title, header and totals rows."""
    return limits.max_rows + 100


def check_dimension(ref: str, limits: UploadLimits) -> None:
    """Refuse a sheet whose declared dimension ("A1:XFD2000") exceeds the columns or rows allowed:
    openpyxl pads every row it reads to the declared width."""
    for corner in ref.upper().split(":"):
        match = _REF.match(corner.strip())
        if match is None:
            continue
        column = column_index(match.group(1))
        if column >= limits.max_columns:
            raise too_many_columns(column, limits)
        if int(match.group(2)) > row_limit(limits):
            raise too_many_rows(int(match.group(2)), limits)
