"""The columns of the year-end review template and how real files' headers are matched to them.

Header text is matched after normalisation: Unicode NFC/NFD, case, spacing, line breaks,
punctuation and diacritics do not matter, a leading number ("1. Việc làm") is ignored, and a
parenthesised note may be present or not ("Thu nhập bình quân (đồng/người/tháng)"). Headers may
sit below title rows, span two or three rows (merged group headers over the indicators, a second
header line under the first) and be followed by a row that numbers the columns "(1) (2) (3)"."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.text import search_key

from .xlsx import column_letter


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # exactly as in the template
    aliases: tuple[str, ...] = ()
    help: str = ""


# Order of the template; a file may order them freely. Indicator columns come between
# "Thu nhập bình quân" and "Đối tượng chính sách" in the template.
COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã hộ",
        ("Mã hộ gia đình", "Mã số hộ", "Mã HGĐ", "Mã số hộ gia đình"),
        "Bắt buộc. Mã của hộ, duy nhất trong xã. Nhập lại cùng mã sẽ cập nhật hộ đó, không tạo hộ mới.",
    ),
    Column(
        "commune_code",
        "Mã xã",
        ("Mã xã/phường", "Mã đơn vị hành chính", "Mã ĐVHC", "Mã xã, phường, thị trấn", "Mã ĐVHC xã"),
        "Mã 5 chữ số của xã/phường theo danh mục hành chính (ví dụ 19600). Ghi mã hoặc tên xã (hoặc cả hai).",
    ),
    Column(
        "province",
        "Tỉnh/Thành phố",
        ("Tỉnh", "Tỉnh/TP", "Tỉnh, thành phố", "Tỉnh/Thành phố trực thuộc TW"),
        "Tên hoặc mã tỉnh. Không bắt buộc; giúp phân biệt các xã trùng tên.",
    ),
    Column(
        "district",
        "Huyện",
        ("Huyện/Quận", "Quận/Huyện", "Huyện/Quận/Thị xã", "Huyện, quận, thị xã", "Quận, huyện"),
        "Chỉ dùng cho dữ liệu trước 01/07/2025. Không bắt buộc; giúp phân biệt các xã trùng tên.",
    ),
    Column(
        "commune",
        "Xã/Phường",
        ("Xã", "Phường", "Xã/Phường/Thị trấn", "Xã, phường, thị trấn", "Tên xã", "Xã/phường/đặc khu"),
        'Tên xã, có hoặc không có chữ Xã/Phường/Thị trấn/TT (ví dụ "Xã Cam Tuyền", "Cam Tuyền", "TT Cam Lộ").',
    ),
    Column(
        "village",
        "Thôn/Tổ dân phố",
        (
            "Thôn",
            "Tổ dân phố",
            "Thôn/Tổ",
            "Thôn, tổ dân phố",
            "Thôn/Bản",
            "Thôn, bản, tổ dân phố",
            "Thôn/Bản/Tổ dân phố",
        ),
        "Không bắt buộc. Thôn/tổ dân phố chưa có trong xã sẽ được tạo mới (danh sách hiện ở bước xem trước).",
    ),
    Column(
        "head_name", "Họ và tên chủ hộ", ("Họ tên chủ hộ", "Chủ hộ", "Tên chủ hộ", "Họ và tên"), "Bắt buộc."
    ),
    Column(
        "sex", "Giới tính", ("Giới tính chủ hộ", "Nam/Nữ"), "Bắt buộc: Nam hoặc Nữ (giới tính của chủ hộ)."
    ),
    Column("birth_year", "Năm sinh", ("Năm sinh chủ hộ",), "Bắt buộc: năm sinh của chủ hộ, 4 chữ số."),
    Column(
        "citizen_id",
        "Số CCCD",
        ("CCCD", "Số CCCD/CMND", "CMND/CCCD", "Số định danh cá nhân", "Số căn cước", "Số căn cước công dân"),
        "Không bắt buộc: 12 chữ số (hoặc CMND 9 chữ số). Nên định dạng ô là Văn bản để giữ số 0 ở đầu.",
    ),
    Column("ethnicity", "Dân tộc", ("Dân tộc chủ hộ",), "Không bắt buộc, ví dụ Kinh, Vân Kiều, Pa Kô."),
    Column(
        "member_count",
        "Số nhân khẩu",
        ("Nhân khẩu", "Số khẩu", "Số người trong hộ", "Số thành viên", "Số nhân khẩu trong hộ"),
        "Bắt buộc: số người trong hộ.",
    ),
    Column(
        "area",
        "Khu vực (Thành thị / Nông thôn)",
        ("Khu vực", "Thành thị/Nông thôn", "Nông thôn/Thành thị"),
        "Thành thị hoặc Nông thôn. Để trống: lấy theo xã (phường, thị trấn là thành thị; xã là nông thôn).",
    ),
    Column(
        "income",
        "Thu nhập bình quân (đồng/người/tháng)",
        (
            "Thu nhập bình quân",
            "Thu nhập bình quân đầu người",
            "Thu nhập bình quân đầu người/tháng",
            "Thu nhập BQ",
            "TNBQ",
            "Thu nhập bình quân người/tháng",
        ),
        "Bắt buộc: số đồng/người/tháng, ví dụ 1500000 hoặc 1.500.000.",
    ),
    Column(
        "policy_groups",
        "Đối tượng chính sách",
        ("Thuộc đối tượng chính sách", "Nhóm đối tượng", "Đối tượng"),
        'Không bắt buộc. Nhiều nhóm cách nhau bằng dấu chấm phẩy, ví dụ "Hộ có người có công; Hộ có người cao tuổi".',
    ),
    Column(
        "causes",
        "Nguyên nhân nghèo",
        ("Nguyên nhân", "Nguyên nhân nghèo, cận nghèo"),
        'Không bắt buộc. Nhiều nguyên nhân cách nhau bằng dấu chấm phẩy, ví dụ "Thiếu vốn sản xuất; Thiếu việc làm".',
    ),
    Column(
        "commune_class",
        "Phân loại",
        ("Phân loại hộ", "Kết quả phân loại", "Kết quả rà soát", "Phân loại của xã"),
        "Không bắt buộc: kết quả xã tự phân loại (Hộ nghèo, Hộ cận nghèo, Hộ có mức sống trung bình, Hộ không nghèo). "
        "Hệ thống tự phân loại lại và liệt kê các dòng khác với kết quả của xã.",
    ),
    Column("year", "Năm rà soát", ("Năm",), "Không bắt buộc; nếu ghi phải đúng năm đã chọn khi nhập."),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
TEMPLATE_INDICATORS_AFTER = "income"

_NON_WORD = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NUMBERING = re.compile(r"^(?:\d{1,2}|[ivx]{1,4}|[a-z])\s+(?=\S)")


def header_keys(text) -> tuple[str, ...]:
    """Comparison keys of a header cell: with and without parenthesised notes and numbering."""
    if text is None:
        return ()
    raw = unicodedata.normalize("NFC", str(text))
    keys = []
    for variant in (raw, _PARENS.sub(" ", raw)):
        key = _NON_WORD.sub(" ", search_key(variant)).strip()
        if not key:
            continue
        keys.append(key)
        stripped = _NUMBERING.sub("", key)
        if stripped != key and stripped:
            keys.append(stripped)
    return tuple(dict.fromkeys(keys))


def indicator_key(code: str) -> str:
    return f"indicator:{code}"


def build_vocabulary(indicators: dict[str, str]) -> dict[str, str]:
    """Normalised header text → column key, for the fixed columns and the given indicators
    (code → Vietnamese name)."""
    vocabulary: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.header, *column.aliases):
            for key in header_keys(text):
                vocabulary.setdefault(key, column.key)
    for code, name in indicators.items():
        for text in (name, code):
            for key in header_keys(text):
                vocabulary.setdefault(key, indicator_key(code))
    return vocabulary


def column_label(key: str, indicators: dict[str, str]) -> str:
    if key.startswith("indicator:"):
        return indicators.get(key.split(":", 1)[1], key)
    return COLUMN_BY_KEY[key].header


@dataclass
class HeaderError:
    row: int
    column: str
    message: str


@dataclass
class Header:
    """Where the header is and which column holds what."""

    columns: dict[str, int] = field(default_factory=dict)  # column key → 0-based index
    rows: tuple[int, ...] = ()  # row numbers of the header block
    data_from: int = 0  # first row number after the header (and the numbering row)
    texts: dict[int, str] = field(default_factory=dict)  # index → header text as in the file
    ignored: list[str] = field(default_factory=list)  # headers not recognised, e.g. "A: STT"
    errors: list[HeaderError] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        return self.rows[-1] if self.rows else 0


def _match(value, vocabulary) -> str | None:
    for key in header_keys(value):
        if key in vocabulary:
            return vocabulary[key]
    return None


def _row_matches(values: list, vocabulary) -> dict[int, str]:
    found = {}
    for index, value in enumerate(values):
        if isinstance(value, str):
            key = _match(value, vocabulary)
            if key:
                found[index] = key
    return found


_NUMBER_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[a-zA-Z]\)?$")


def _is_numbering_row(values: list) -> bool:
    cells = [v for v in values if v not in (None, "")]
    if len(cells) < 3:
        return False
    return all(
        (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 100)
        or (isinstance(v, str) and _NUMBER_CELL.match(v.strip()))
        for v in cells
    )


def locate_header(head: list[tuple[int, list]], vocabulary: dict[str, str]) -> Header:
    """Find the header block among the first rows of a sheet and map its columns."""
    header = Header()
    if not head:
        header.errors.append(HeaderError(0, "", _("Trang tính trống: không có dòng tiêu đề và dữ liệu.")))
        return header
    scores = [len(set(_row_matches(values, vocabulary).values())) for _number, values in head]
    best = max(range(len(head)), key=lambda i: (scores[i], -i))
    if scores[best] < 3:
        header.errors.append(
            HeaderError(
                0,
                "",
                _(
                    'Không tìm thấy dòng tiêu đề. Dòng tiêu đề phải có các cột như "Mã hộ", "Họ và tên chủ hộ", '
                    '"Thu nhập bình quân (đồng/người/tháng)". Hãy tải biểu mẫu và đối chiếu tên cột.'
                ),
            )
        )
        return header
    block = [best]
    mapped = dict(_row_matches(head[best][1], vocabulary))
    # Rows just below or above that add columns (second header line, indicator names under a
    # merged "Chỉ số thiếu hụt" cell, a group line above) belong to the header too.
    for step in (1, -1):
        index = best + step
        while 0 <= index < len(head) and abs(index - best) <= 2:
            extra = {
                i: k for i, k in _row_matches(head[index][1], vocabulary).items() if k not in mapped.values()
            }
            if not extra:
                break
            block.append(index)
            index += step
    block.sort()
    width = max(len(head[i][1]) for i in block)
    columns: dict[str, int] = {}
    texts: dict[int, str] = {}
    for col in range(width):
        cells = [
            head[i][1][col] for i in block if col < len(head[i][1]) and head[i][1][col] not in (None, "")
        ]
        cells = [str(c) for c in cells]
        if not cells:
            continue
        combined = " ".join(cells)
        texts[col] = " / ".join(c.replace("\n", " ") for c in cells)
        key = _match(combined, vocabulary)
        if key is None:
            for cell in reversed(cells):
                key = _match(cell, vocabulary)
                if key:
                    break
        if key is None:
            header.ignored.append(f"{column_letter(col)}: {texts[col]}")
            continue
        if key in columns:
            header.errors.append(
                HeaderError(
                    head[block[-1]][0],
                    texts[col],
                    _(
                        'Cột "%(name)s" xuất hiện hai lần (cột %(a)s và cột %(b)s). Hãy xóa hoặc đổi tên một cột.'
                    )
                    % {"name": texts[col], "a": column_letter(columns[key]), "b": column_letter(col)},
                )
            )
            continue
        columns[key] = col
    header.columns = columns
    header.texts = texts
    header.rows = tuple(head[i][0] for i in block)
    data_index = block[-1] + 1
    if data_index < len(head) and _is_numbering_row(head[data_index][1]):
        data_index += 1
    header.data_from = head[data_index][0] if data_index < len(head) else head[block[-1]][0] + 1
    return header
