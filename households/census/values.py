"""Reading one cell as communes type it: numbers as text with Vietnamese separators, yes/no marks,
sex, area, the commune's own class, citizen IDs that lost their leading zero in Excel.

Each parser returns the value or raises CellError with a Vietnamese message that says what is
wrong and how to fix it."""

import re
import unicodedata
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import search_key

from ..classification import MEDIUM, NEAR_POOR, NOT_POOR, POOR
from ..people import birth_year_error


class CellError(ValueError):
    pass


def text(value) -> str:
    """A cell as clean text: NFC, single spaces, no surrounding blanks; numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def key(value) -> str:
    """Comparison form: no diacritics, lowercase, punctuation as single spaces (cached: the same
    few values — sexes, areas, marks, village names — repeat on every row)."""
    return _NON_WORD.sub(" ", search_key(text(value))).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_CURRENCY = re.compile(
    r"(đồng|dong|vnđ|vnd|đ|d)\s*(/\s*(người|nguoi|ng)\s*/\s*(tháng|thang))?$", re.IGNORECASE
)
_MILLION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(triệu|trieu|tr)$", re.IGNORECASE)
_VI_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}( \d{3})+$")


def _round(number: Decimal) -> int:
    # to_integral_value, unlike quantize, holds any magnitude (a cell of 1e+28 is a number, too
    # big for its column: the bounds say so, not a decimal.InvalidOperation).
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def number(value, *, what: str) -> int:
    """A whole, non-negative number: 1500000, 1500000.0, "1.500.000", "1,500,000", "1 500 000",
    "1.500.000 đ", "1,5 triệu"."""
    if isinstance(value, bool):
        raise CellError(_("%(what)s phải là một số.") % {"what": what})
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("%(what)s phải là một số.") % {"what": what})
        result = _round(Decimal(repr(value)))
    else:
        raw = text(value).replace("\u00a0", " ")
        raw = _CURRENCY.sub("", raw).strip()
        million = _MILLION.match(raw)
        try:
            if million:
                result = _round(Decimal(million.group(1).replace(",", ".")) * 1_000_000)
            elif raw.isdigit():
                result = int(raw)
            elif _VI_THOUSANDS.match(raw):
                whole, _sep, fraction = raw.partition(",")
                result = _round(Decimal(whole.replace(".", "") + "." + (fraction or "0")))
            elif _EN_THOUSANDS.match(raw):
                result = _round(Decimal(raw.replace(",", "")))
            elif _SPACE_THOUSANDS.match(raw):
                result = int(raw.replace(" ", ""))
            elif re.fullmatch(r"\d+[.,]\d+", raw):
                result = _round(Decimal(raw.replace(",", ".")))
            elif re.fullmatch(r"-\s*[\d.,]+", raw):
                raise CellError(_("%(what)s không được âm.") % {"what": what})
            else:
                raise CellError(
                    _('%(what)s "%(value)s" không phải là số. Hãy ghi số, ví dụ 1500000 hoặc 1.500.000.')
                    % {"what": what, "value": raw[:40]}
                )
        except InvalidOperation as error:
            raise CellError(_("%(what)s phải là một số.") % {"what": what}) from error
    if result < 0:
        raise CellError(_("%(what)s không được âm.") % {"what": what})
    return result


def bounded(value, *, what: str, low: int, high: int) -> int:
    result = number(value, what=what)
    if not low <= result <= high:
        raise CellError(
            _("%(what)s %(value)s không hợp lệ: phải từ %(low)s đến %(high)s.")
            % {"what": what, "value": result, "low": low, "high": high}
        )
    return result


_YES = {"x", "1", "co", "c", "yes", "true", "v"}
_NO = {"", "0", "khong", "k", "no", "false", "-"}


def deprived(value, *, indicator: str) -> bool:
    """x, X, 1, có → deprived; blank, 0, không → not deprived."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
    else:
        raw = text(value)
        if raw in ("✓", "✔", "√"):
            return True
        normal = key(raw)
        if normal in _YES:
            return True
        if normal in _NO:
            return False
    raise CellError(
        _(
            'Giá trị "%(value)s" không hợp lệ ở chỉ số "%(indicator)s": ghi x (hoặc 1, có) nếu hộ thiếu hụt; '
            "để trống (hoặc 0, không) nếu không thiếu hụt."
        )
        % {"value": text(value)[:40], "indicator": indicator}
    )


MALE, FEMALE = "male", "female"


def sex(value) -> str:
    normal = key(value)
    if normal in ("nam", "m", "male", "trai"):
        return MALE
    if normal in ("nu", "f", "female", "gai"):
        return FEMALE
    raise CellError(_('Giới tính "%(value)s" không hợp lệ: ghi Nam hoặc Nữ.') % {"value": text(value)[:40]})


RURAL, URBAN = "rural", "urban"


def area(value) -> str:
    normal = key(value)
    if normal in ("nong thon", "nt", "rural", "nong thon nt"):
        return RURAL
    if normal in ("thanh thi", "tt", "do thi", "urban", "thanh thi tt"):
        return URBAN
    raise CellError(
        _('Khu vực "%(value)s" không hợp lệ: ghi Thành thị hoặc Nông thôn (hoặc để trống để lấy theo xã).')
        % {"value": text(value)[:40]}
    )


_CLASSES = {
    POOR: ("ho ngheo", "ngheo", "hn", "n", "n1", "n2", "ngheo n1", "ngheo n2", "ho ngheo n1", "ho ngheo n2"),
    NEAR_POOR: ("ho can ngheo", "can ngheo", "hcn", "cn"),
    MEDIUM: (
        "ho co muc song trung binh",
        "muc song trung binh",
        "ho muc song trung binh",
        "trung binh",
        "tb",
        "mstb",
        "ho trung binh",
    ),
    NOT_POOR: ("ho khong ngheo", "khong ngheo", "kn", "khong"),
}
_CLASS_BY_KEY = {k: cls for cls, keys in _CLASSES.items() for k in keys}


def poverty_class(value) -> str:
    normal = key(value)
    if normal in _CLASS_BY_KEY:
        return _CLASS_BY_KEY[normal]
    raise CellError(
        _(
            'Phân loại "%(value)s" không hiểu được: ghi Hộ nghèo, Hộ cận nghèo, Hộ có mức sống trung bình, '
            "Hộ không nghèo, hoặc để trống."
        )
        % {"value": text(value)[:40]}
    )


_EXCEL_EPOCH = date(1899, 12, 30)
_BIRTH_YEAR = gettext_lazy("Năm sinh")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def birth_year(value, *, review_year: int) -> int:
    """A year (1975, "1975"), a date typed as text ("05/03/1975") or an Excel date serial, from
    1900 to the review year."""
    if isinstance(value, str):
        match = _DATE_TEXT.match(text(value))
        if match:
            value = int(match.group(3))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 3000 < value < 2_958_466:
        value = (_EXCEL_EPOCH + timedelta(days=int(value))).year
    year = number(value, what=_BIRTH_YEAR)
    problem = birth_year_error(year, latest=review_year)  # the rule of every entry of a person
    if problem:
        raise CellError(problem)
    return year


def citizen_id(value) -> str:
    """12-digit citizen ID (or 9-digit old ID card); a number that lost its leading zeros in
    Excel is padded back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        if len(digits) in (10, 11):
            digits = digits.zfill(12)
        elif len(digits) == 8:
            digits = digits.zfill(9)
    else:
        digits = re.sub(r"[\s.\-]", "", text(value)).lstrip("'")
    if not digits.isdigit() or len(digits) not in (9, 12):
        raise CellError(
            _(
                'Số CCCD "%(value)s" không hợp lệ: phải có 12 chữ số (hoặc 9 chữ số nếu là CMND cũ). '
                "Nên định dạng cột là Văn bản để Excel không bỏ số 0 ở đầu."
            )
            % {"value": text(value)[:40]}
        )
    return digits


_SPLIT = re.compile(r"[;,\n/+]+")


def lookup_list(value, *, names: dict[str, int], what: str) -> tuple[int, ...]:
    """Entries of an editable list (policy groups, causes) named in one cell, separated by ; , / +.

    `names` maps the normalised name (and code) of each entry to its id. A token matches an
    entry whose name equals or contains it, when that entry is the only one."""
    if is_blank(value):
        return ()
    ids = []
    for token in _SPLIT.split(text(value)):
        normal = key(token)
        if not normal or normal in ("khong", "0"):
            continue
        found = names.get(normal)
        if found is None:
            candidates = {pk for name, pk in names.items() if f" {normal} " in f" {name} "}
            if len(candidates) == 1:
                found = candidates.pop()
        if found is None:
            raise CellError(
                _(
                    '%(what)s "%(value)s" không có trong danh mục. Hãy dùng đúng tên trong danh mục '
                    "(xem trang Hướng dẫn của biểu mẫu), các mục cách nhau bằng dấu chấm phẩy."
                )
                % {"what": what, "value": token.strip()[:60]}
            )
        if found not in ids:
            ids.append(found)
    return tuple(sorted(ids))
