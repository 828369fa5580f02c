"""Row-level validation of a year-end review file: every cell of every row is read, each problem
becomes a RowError (row number, column, what is wrong and how to fix it, in Vietnamese), and a
valid row becomes a compact ParsedRow ready for the plan."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from operator import itemgetter

from django.utils.translation import gettext as _

from core.text import search_key
from units import access
from units.models import AdministrativeUnit, AdminVersion, Kind, Level

from .. import indicators
from ..classification import CLASS_LABELS, ClassificationError, StandardRules, classify
from ..models import Assessment, PolicyGroup, PovertyCause, PovertyStandard
from ..people import check_person
from . import values as v
from .columns import COLUMN_BY_KEY, Header, indicator_key
from .xlsx import column_letter

IMPORT_PERM = "households.import_census"
_TOTALS_START = frozenset("tTcC")
# The cells every row is read for, in the order validate() unpacks them.
_ROW_KEYS = (
    "code",
    "commune_code",
    "commune",
    "district",
    "province",
    "head_name",
    "sex",
    "birth_year",
    "citizen_id",
    "ethnicity",
    "member_count",
    "income",
    "area",
    "commune_class",
    "year",
    "policy_groups",
    "causes",
    "village",
)


@lru_cache(maxsize=512)
def _o_like(char: str) -> bool:
    """Whether a text's second character can make its comparison key start "to…"/"co…" (an o
    with or without marks, or a combining mark that the key drops)."""
    return bool(char) and (search_key(char) == "o" or unicodedata.combining(char) != 0)


VILLAGE_PERM = "units.manage_village"


def no_standard_message(year: int) -> str:
    """Why a census of `year` cannot be classified: it is the year-end review that draws up the
    lists of the next year, and no standard is in force on 1 January of that year."""
    return _(
        "Chưa có chuẩn nghèo nào có hiệu lực ngày 01/01/%(next)s để áp dụng cho rà soát cuối năm %(year)s."
    ) % {"next": year + 1, "year": year}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ParsedRow:
    """One valid row, as compact as a 10⁶-row file needs."""

    __slots__ = (
        "number",
        "code",
        "commune",
        "village",
        "area",
        "head_name",
        "sex",
        "birth_year",
        "citizen_id",
        "ethnicity",
        "member_count",
        "income",
        "mask",
        "deprived_count",
        "policy_ids",
        "cause_ids",
        "commune_class",
        "result_class",
        "result_group",
        "standard_id",
    )

    def __init__(
        self,
        number,
        code,
        commune,
        village,
        area,
        head_name,
        sex,
        birth_year,
        citizen_id,
        ethnicity,
        member_count,
        income,
        mask,
        deprived_count,
        policy_ids,
        cause_ids,
        commune_class,
        result_class,
        result_group,
        standard_id,
    ):
        self.number = number
        self.code = code
        self.commune = commune
        self.village = village
        self.area = area
        self.head_name = head_name
        self.sex = sex
        self.birth_year = birth_year
        self.citizen_id = citizen_id
        self.ethnicity = ethnicity
        self.member_count = member_count
        self.income = income
        self.mask = mask
        self.deprived_count = deprived_count
        self.policy_ids = policy_ids
        self.cause_ids = cause_ids
        self.commune_class = commune_class
        self.result_class = result_class
        self.result_group = result_group
        self.standard_id = standard_id

    @property
    def key(self) -> tuple[int, str]:
        return (self.commune.pk, self.code)


@dataclass
class CommuneInfo:
    """A commune as the import needs it (also what units/access.py reads: pk and ancestor ids)."""

    pk: int
    code: str
    name: str
    short_name: str
    kind: str
    province_id: int
    district_id: int | None
    area: str
    new_province_id: int | None = None
    new_commune_id: int | None = None
    admin_version: str = ""
    commune_id: None = None
    level: int = Level.COMMUNE

    @property
    def is_pre2025(self) -> bool:
        return self.admin_version == AdminVersion.PRE2025


@dataclass
class NewVillage:
    commune: CommuneInfo
    name: str
    kind: str
    rows: int = 0


@dataclass
class StandardInfo:
    standard_id: int
    rules: StandardRules
    bits: dict[str, int]  # indicator code → bit


_COMMUNE_PREFIXES = (
    ("thi tran ", Kind.THI_TRAN),
    ("tt ", Kind.THI_TRAN),
    ("phuong ", Kind.PHUONG),
    ("p ", Kind.PHUONG),
    ("xa ", Kind.XA),
    ("x ", Kind.XA),
    ("dac khu ", Kind.DAC_KHU),
)
_UPPER_PREFIXES = ("thanh pho ", "tp ", "tinh ", "huyen ", "quan ", "thi xa ", "tx ", "q ", "h ")
_VILLAGE_PREFIXES = (
    ("to dan pho ", Kind.TO_DAN_PHO),
    ("tdp ", Kind.TO_DAN_PHO),
    ("khu pho ", Kind.TO_DAN_PHO),
    ("to ", Kind.TO_DAN_PHO),
    ("thon ", Kind.THON),
    ("ban ", Kind.THON),
    ("xom ", Kind.THON),
    ("ap ", Kind.THON),
    ("khom ", Kind.TO_DAN_PHO),
    ("lang ", Kind.THON),
)


def _strip(key: str, prefixes) -> tuple[str, str | None]:
    for prefix, kind in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :], kind
    return key, None


def _upper_key(text) -> str:
    normal = v.key(text)
    for prefix in _UPPER_PREFIXES:
        if normal.startswith(prefix) and len(normal) > len(prefix):
            return normal[len(prefix) :]
    return normal


class UnitResolver:
    """Finds the commune of a row by code or by name (with or without its prefix), narrowed by the
    province and district when given, and the village by name (new ones are collected)."""

    def __init__(self, *, version: str, user=None):
        self.version = version
        self.user = user
        rows = AdministrativeUnit.objects.filter(admin_version=version, level__lte=Level.COMMUNE).values_list(
            "pk",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "province_id",
            "district_id",
            "area",
            "new_province_id",
            "new_commune_id",
        )
        self.by_code: dict[str, CommuneInfo] = {}
        self.by_name: dict[str, list[CommuneInfo]] = {}
        self.upper: dict[int, tuple[str, str, set[str]]] = {}  # province/district pk → (code, name, keys)
        for pk, code, name, short, kind, level, province_id, district_id, area, new_p, new_c in rows:
            if level == Level.COMMUNE:
                info = CommuneInfo(
                    pk, code, name, short, kind, province_id, district_id, area, new_p, new_c, version
                )
                self.by_code[code] = info
                self.by_name.setdefault(v.key(short), []).append(info)
                self.by_name.setdefault(v.key(name), []).append(info)
            else:
                self.upper[pk] = (code, name, {v.key(name), v.key(short), _upper_key(name)})
        self._cache: dict[tuple, CommuneInfo | str] = {}
        self._scope: dict[int, bool] = {}
        self._villages: dict[int, dict[str, int]] = {}
        self._village_codes: dict[int, set[str]] = {}
        self._village_cache: dict[tuple, tuple[object, str]] = {}
        self.new_villages: dict[tuple[int, str], NewVillage] = {}

    def in_scope(self, commune: CommuneInfo, perm: str = IMPORT_PERM) -> bool:
        if self.user is None:
            return True
        cache_key = (commune.pk, perm)
        if cache_key not in self._scope:
            self._scope[cache_key] = access.can(self.user, perm, commune)
        return self._scope[cache_key]

    def _matches_upper(self, unit_id, value) -> bool:
        if unit_id is None or unit_id not in self.upper:
            return False
        code, _name, keys = self.upper[unit_id]
        raw = v.text(value)
        if raw.isdigit():
            return raw.zfill(len(code)) == code
        return _upper_key(value) in keys or v.key(value) in keys

    def commune(
        self, code_value, name_value, district_value, province_value
    ) -> tuple[CommuneInfo | None, str, str]:
        """(commune, "", "") or (None, column key, message)."""
        cache_key = (v.text(code_value), v.text(name_value), v.text(district_value), v.text(province_value))
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(code_value, name_value, district_value, province_value)
        return self._cache[cache_key]

    def _resolve(self, code_value, name_value, district_value, province_value):
        code = v.text(code_value)
        name = v.text(name_value)
        version_label = _("trước 01/07/2025") if self.version == "pre2025" else _("từ 01/07/2025")
        if code:
            if not code.isdigit():
                return (
                    None,
                    "commune_code",
                    _('Mã xã "%(code)s" phải là số có 5 chữ số.') % {"code": code[:20]},
                )
            commune = self.by_code.get(code.zfill(5))
            if commune is None:
                return (
                    None,
                    "commune_code",
                    _(
                        "Không có xã mã %(code)s trong danh mục đơn vị hành chính %(version)s. Hãy kiểm tra mã xã "
                        "hoặc chọn đúng phiên bản đơn vị hành chính."
                    )
                    % {"code": code, "version": version_label},
                )
            if name and commune not in self._by_name(name):
                return (
                    None,
                    "commune",
                    _(
                        'Mã xã %(code)s là %(unit)s, khác với tên "%(name)s" ở cột Xã/Phường. Hãy sửa mã hoặc tên cho khớp.'
                    )
                    % {"code": commune.code, "unit": commune.name, "name": name},
                )
            candidates = [commune]
        elif name:
            candidates = self._by_name(name)
            if not candidates:
                return (
                    None,
                    "commune",
                    _(
                        'Không tìm thấy xã/phường "%(name)s" trong danh mục %(version)s. Hãy kiểm tra chính tả hoặc ghi Mã xã.'
                    )
                    % {"name": name, "version": version_label},
                )
        else:
            return None, "commune", _("Thiếu xã: hãy ghi Mã xã hoặc tên Xã/Phường.")
        if not v.is_blank(province_value):
            narrowed = [c for c in candidates if self._matches_upper(c.province_id, province_value)]
            if not narrowed:
                return (
                    None,
                    "province",
                    _('%(unit)s không thuộc tỉnh "%(province)s". Hãy kiểm tra cột Tỉnh/Thành phố.')
                    % {
                        "unit": candidates[0].name if len(candidates) == 1 else name,
                        "province": v.text(province_value),
                    },
                )
            candidates = narrowed
        if not v.is_blank(district_value) and self.version == "pre2025":
            narrowed = [c for c in candidates if self._matches_upper(c.district_id, district_value)]
            if not narrowed:
                return (
                    None,
                    "district",
                    _('%(unit)s không thuộc huyện "%(district)s". Hãy kiểm tra cột Huyện.')
                    % {
                        "unit": candidates[0].name if len(candidates) == 1 else name,
                        "district": v.text(district_value),
                    },
                )
            candidates = narrowed
        if len(candidates) > 1:
            mine = [c for c in candidates if self.in_scope(c)]
            if len(mine) == 1:
                candidates = mine
        if len(candidates) > 1:
            places = "; ".join(
                f"{c.name} ({self.upper.get(c.district_id or c.province_id, ('', ''))[1]}, mã {c.code})"
                for c in candidates[:5]
            )
            return (
                None,
                "commune",
                _('Có nhiều xã tên "%(name)s": %(places)s. Hãy ghi Mã xã, hoặc ghi Huyện/Tỉnh để phân biệt.')
                % {"name": name, "places": places},
            )
        commune = candidates[0]
        if not self.in_scope(commune):
            return (
                None,
                "commune",
                _(
                    "%(unit)s nằm ngoài địa bàn bạn được phân công nhập dữ liệu. Dòng này không được nhập; "
                    "hãy xóa dòng hoặc đề nghị quản trị viên cấp trên nhập."
                )
                % {"unit": commune.name},
            )
        return commune, "", ""

    def _by_name(self, name) -> list[CommuneInfo]:
        normal = v.key(name)
        found = list(self.by_name.get(normal, []))
        if not found:
            bare, kind = _strip(normal, _COMMUNE_PREFIXES)
            found = [c for c in self.by_name.get(bare, []) if kind is None or c.kind == kind]
        unique = {c.pk: c for c in found}
        return list(unique.values())

    def village(self, commune: CommuneInfo, value) -> tuple[object, str]:
        """(village id, or a NewVillage key, or None; error message or "")."""
        if value is None:
            return None, ""
        cache_key = (commune.pk, value)
        found = self._village_cache.get(cache_key)
        if found is None:
            found = self._village_cache[cache_key] = self._village(commune, value)
        if isinstance(found[0], tuple):
            self.new_villages[found[0]].rows += 1
        return found

    def _village(self, commune: CommuneInfo, value) -> tuple[object, str]:
        name = v.text(value)
        if not name:
            return None, ""
        if commune.pk not in self._villages:
            index: dict[str, int] = {}
            codes = set()
            for pk, code, vname, short in AdministrativeUnit.objects.filter(
                parent_id=commune.pk, level=Level.VILLAGE
            ).values_list("pk", "code", "name", "short_name"):
                codes.add(code)
                for text in (vname, short):
                    index.setdefault(v.key(text), pk)
                    index.setdefault(_strip(v.key(text), _VILLAGE_PREFIXES)[0], pk)
            self._villages[commune.pk] = index
            self._village_codes[commune.pk] = codes
        index = self._villages[commune.pk]
        normal = v.key(name)
        bare, kind = _strip(normal, _VILLAGE_PREFIXES)
        found = index.get(normal) or index.get(bare)
        if found:
            return found, ""
        new_key = (commune.pk, bare)
        if new_key not in self.new_villages:
            if not self.in_scope(commune, VILLAGE_PERM):
                return None, _(
                    'Thôn/tổ dân phố "%(name)s" chưa có trong %(unit)s và bạn không có quyền thêm thôn. '
                    "Hãy sửa tên cho đúng thôn đã có."
                ) % {"name": name, "unit": commune.name}
            if kind is None:
                kind = Kind.TO_DAN_PHO if commune.kind == Kind.PHUONG else Kind.THON
            self.new_villages[new_key] = NewVillage(commune, name[:150], kind)
        return new_key, ""

    def village_codes(self, commune_pk: int) -> set[str]:
        return self._village_codes.get(commune_pk, set())


def _lookup_names(model) -> dict[str, int]:
    names = {}
    for pk, code, name in model.objects.values_list("pk", "code", "name"):
        for text in (name, code, code.replace("-", " ")):
            names.setdefault(v.key(text), pk)
        stripped = v.key(name)
        for prefix in ("ho co ", "ho thuoc doi tuong ", "ho thuoc ", "ho "):
            if stripped.startswith(prefix):
                names.setdefault(stripped[len(prefix) :], pk)
                break
    return names


@dataclass
class Mismatch:
    row: int
    code: str
    commune_class: str
    computed: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "code": self.code,
            "commune_class": self.commune_class,
            "computed": self.computed,
            "commune_label": CLASS_LABELS[self.commune_class],
            "computed_label": CLASS_LABELS[self.computed],
        }


@dataclass
class Validator:
    year: int
    version: str
    header: Header
    user: object = None
    errors: list[RowError] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    skipped: int = 0  # blank rows, totals and the signature block below it

    def __post_init__(self):
        self.resolver = UnitResolver(version=self.version, user=self.user)
        self.policy_names = _lookup_names(PolicyGroup)
        self.cause_names = _lookup_names(PovertyCause)
        self._standards: dict[int, StandardInfo | str] = {}
        self.rows: dict[tuple[int, str], ParsedRow] = {}
        self.first_seen: dict[tuple[int, str], int] = {}
        self.duplicates: set[tuple[int, str]] = set()
        self.invalid_rows: set[int] = set()
        self.after_totals = False
        self.columns = self.header.columns
        self._mapped = sorted(self.columns.values())
        self._what = {
            "member_count": _("Số nhân khẩu"),
            "income": _("Thu nhập bình quân"),
            "year": _("Năm rà soát"),
            "policy_groups": _("Đối tượng chính sách"),
            "causes": _("Nguyên nhân nghèo"),
            "sex": _("Thiếu giới tính của chủ hộ (Nam hoặc Nữ)."),
            "birth_year": _("Thiếu năm sinh của chủ hộ."),
        }
        # Every row is read through one itemgetter over the row padded with None (absent columns
        # read its last slot, always None): see validate().
        self._width = (self._mapped[-1] + 1) if self._mapped else 0
        self._padding = [None] * (self._width + 1)
        self._row_cells = itemgetter(*(self.columns.get(key, -1) for key in _ROW_KEYS))
        self._has = {key: key in self.columns for key in ("citizen_id", "policy_groups", "causes", "sex")}
        self._has["birth_year"] = "birth_year" in self.columns
        # Values already read once (sexes, areas, classes, marks, ethnicities, units repeat on
        # every row); only what parsed without error is remembered.
        self._memo: dict[str, dict] = {
            key: {}
            for key in ("sex", "area", "commune_class", "ethnicity", "birth_year", "member_count", "year")
        }
        self._latest_birth = date(self.year, 12, 31)  # a review's people were born by its end
        self._parsers = {
            "birth_year": partial(v.birth_year, review_year=self.year),
            "member_count": partial(v.bounded, what=self._what["member_count"], low=1, high=99),
            "year": partial(v.number, what=self._what["year"]),
        }
        self._marks: dict = {}
        self._communes: dict[tuple, tuple] = {}
        self._indicator_cells: dict[int, tuple] = {}  # standard id → ((index, code, bit, name), ...)

    # --- helpers ------------------------------------------------------------------------------

    def label(self, key: str) -> str:
        if key.startswith("indicator:"):
            return self.header.texts.get(self.columns.get(key, -1), key.split(":", 1)[1])
        return COLUMN_BY_KEY[key].header

    def _error(self, number: int, key: str, message: str) -> None:
        column = self.label(key) if key else ""
        index = self.columns.get(key)
        if index is not None:
            column = f"{column} ({column_letter(index)})"
        self.errors.append(RowError(number, column, message))
        self.invalid_rows.add(number)

    def standard_for(self, province_id: int) -> StandardInfo | str:
        if province_id not in self._standards:
            try:
                standard = PovertyStandard.objects.for_review(
                    Assessment.Kind.PERIODIC, self.year, province=province_id
                )
            except PovertyStandard.DoesNotExist:
                self._standards[province_id] = no_standard_message(self.year)
            else:
                rules = standard.rules()
                bits = dict(standard.indicators.values_list("code", "order"))
                missing = [
                    name for code, name in rules.indicators.items() if indicator_key(code) not in self.columns
                ]
                if missing:
                    self._standards[province_id] = _(
                        "Thiếu cột chỉ số thiếu hụt của %(standard)s: %(missing)s. Hãy thêm các cột này (theo biểu mẫu năm %(year)s)."
                    ) % {"standard": rules.name, "missing": ", ".join(missing), "year": self.year}
                else:
                    self._standards[province_id] = StandardInfo(
                        standard.pk, rules, {code: indicators.bit(order) for code, order in bits.items()}
                    )
        return self._standards[province_id]

    @staticmethod
    def _cell(values: list, index: int | None):
        if index is None or index >= len(values):
            return None
        return values[index]

    def is_ignored(self, values: list, code=None) -> bool:
        """Blank rows (nothing in a recognised column), the totals row and what follows it
        without a household code (signatures, dates). `code` is the row's Mã hộ cell when the
        caller has read it."""
        if code is None:
            code = self._cell(values, self.columns.get("code"))
        if v.is_blank(code) and not any(not v.is_blank(values[i]) for i in self._mapped if i < len(values)):
            return True
        for value in values:
            # Cheap tests first: "Tổng cộng", "TỔNG SỐ", "Cộng" start with t or c, then an o.
            if (
                isinstance(value, str)
                and value[:1] in _TOTALS_START
                and len(value) < 40
                and _o_like(value[1:2])
            ):
                normal = v.key(value)
                if normal.startswith("tong cong") or normal in ("tong", "cong", "tong so", "cong tong"):
                    self.after_totals = True
                    return True
        return self.after_totals and v.is_blank(code)

    def _memo_parse(self, number: int, key: str, parser, value):
        """parser(value), remembered by value and type (1, 1.0 and True may read differently);
        a CellError becomes the row's error (and None)."""
        memo = self._memo[key]
        found = memo.get((value.__class__, value))
        if found is None:
            try:
                found = memo[value.__class__, value] = parser(value)
            except v.CellError as error:
                self._error(number, key, str(error))
        return found

    def _deprived(self, number: int, standard: StandardInfo, values: list) -> tuple[list[str], int]:
        cells = self._indicator_cells.get(standard.standard_id)
        if cells is None:
            cells = self._indicator_cells[standard.standard_id] = tuple(
                (self.columns.get(indicator_key(code), -1), code, standard.bits[code], name)
                for code, name in standard.rules.indicators.items()
            )
        marks = self._marks
        deprived: list[str] = []
        mask = 0
        for index, code, bit, name in cells:
            value = values[index]
            if value is None:
                continue
            mark = marks.get(value)
            if mark is None:
                try:
                    mark = marks[value] = v.deprived(value, indicator=name)
                except v.CellError as error:
                    self._error(number, indicator_key(code), str(error))
                    continue
            if mark:
                deprived.append(code)
                mask |= bit
        return deprived, mask

    # --- one row ------------------------------------------------------------------------------

    def validate(self, number: int, values: list) -> ParsedRow | None:
        # Padded so that every mapped column exists and the last slot is None (absent columns).
        size = len(values)
        values = values + self._padding[size:] if size < self._width else [*values, None]
        (
            code_cell,
            commune_code_cell,
            commune_cell,
            district_cell,
            province_cell,
            head_cell,
            sex_cell,
            birth_cell,
            citizen_cell,
            ethnicity_cell,
            members_cell,
            income_cell,
            area_cell,
            class_cell,
            year_cell,
            policy_cell,
            cause_cell,
            village_cell,
        ) = self._row_cells(values)
        if self.is_ignored(values, code_cell):
            self.skipped += 1
            return None
        is_blank = v.is_blank

        def parse(key, parser, value, *args, **kwargs):
            try:
                return parser(value, *args, **kwargs)
            except v.CellError as error:
                self._error(number, key, str(error))
                return None

        ok = True
        code = v.text(code_cell)
        if not code:
            self._error(number, "code", _("Thiếu Mã hộ. Mỗi hộ cần một mã, duy nhất trong xã."))
            ok = False
        elif len(code) > 40:
            self._error(number, "code", _("Mã hộ dài quá 40 ký tự."))
            ok = False

        units = (commune_code_cell, commune_cell, district_cell, province_cell)
        found = self._communes.get(units)
        if found is None:
            found = self._communes[units] = self.resolver.commune(*units)
        commune, column, message = found
        if commune is None:
            self._error(number, column, message)
            ok = False

        head_name = v.text(head_cell)
        if not head_name:
            self._error(number, "head_name", _("Thiếu họ và tên chủ hộ."))
            ok = False
        elif len(head_name) > 120:
            self._error(number, "head_name", _("Họ và tên chủ hộ dài quá 120 ký tự."))
            ok = False

        sex = None if is_blank(sex_cell) else self._memo_parse(number, "sex", v.sex, sex_cell)
        birth_year = (
            None
            if is_blank(birth_cell)
            else self._memo_parse(number, "birth_year", self._parsers["birth_year"], birth_cell)
        )
        citizen_id = ""
        if self._has["citizen_id"] and not is_blank(citizen_cell):
            citizen_id = parse("citizen_id", v.citizen_id, citizen_cell) or ""
            if citizen_id:
                # The birth year was checked when read (by the same rule); the number against it here.
                person = check_person(
                    sex=sex, birth_year=birth_year, citizen_id=citizen_id, latest=self._latest_birth
                )
                if person.errors:
                    problems = (error for errors in person.errors.values() for error in errors)
                    self._error(number, "citizen_id", " ".join(problems))
                    ok = False
        ethnicity = self._memo["ethnicity"].get((ethnicity_cell.__class__, ethnicity_cell))
        if ethnicity is None:
            ethnicity = self._memo["ethnicity"][ethnicity_cell.__class__, ethnicity_cell] = v.text(
                ethnicity_cell
            )[:40]
        member_count = self._memo_parse(number, "member_count", self._parsers["member_count"], members_cell)
        income = None
        if is_blank(income_cell):
            self._error(
                number,
                "income",
                _("Thiếu thu nhập bình quân (đồng/người/tháng). Ghi 0 nếu hộ không có thu nhập."),
            )
        else:
            income = parse(
                "income", v.bounded, income_cell, what=self._what["income"], low=0, high=2_000_000_000
            )
        area = None
        if not is_blank(area_cell):
            area = self._memo_parse(number, "area", v.area, area_cell)
        elif commune is not None:
            area = commune.area or v.RURAL
        commune_class = ""
        if not is_blank(class_cell):
            commune_class = self._memo_parse(number, "commune_class", v.poverty_class, class_cell) or ""
        if not is_blank(year_cell):
            year = self._memo_parse(number, "year", self._parsers["year"], year_cell)
            if year is not None and year != self.year:
                self._error(
                    number,
                    "year",
                    _(
                        "Năm rà soát %(found)s khác năm đang nhập (%(year)s). Hãy sửa cột Năm rà soát hoặc chọn đúng năm."
                    )
                    % {"found": year, "year": self.year},
                )
        policy_ids = cause_ids = ()
        if self._has["policy_groups"]:
            policy_ids = parse(
                "policy_groups",
                v.lookup_list,
                policy_cell,
                names=self.policy_names,
                what=self._what["policy_groups"],
            )
        if self._has["causes"]:
            cause_ids = parse(
                "causes", v.lookup_list, cause_cell, names=self.cause_names, what=self._what["causes"]
            )
        if self._has["sex"] and is_blank(sex_cell):
            self._error(number, "sex", self._what["sex"])
        if self._has["birth_year"] and is_blank(birth_cell):
            self._error(number, "birth_year", self._what["birth_year"])

        village = None
        standard = None
        deprived_codes: list[str] = []
        mask = 0
        if commune is not None:
            village, problem = self.resolver.village(commune, village_cell)
            if problem:
                self._error(number, "village", problem)
            standard = self.standard_for(commune.province_id)
            if isinstance(standard, str):
                self._error(number, "", standard)
                standard = None
            else:
                deprived_codes, mask = self._deprived(number, standard, values)

        if number in self.invalid_rows or not ok or standard is None or income is None or area is None:
            self.invalid_rows.add(number)
            self._track_key(number, commune, code, None)
            return None
        try:
            result = classify(standard.rules, area, income, deprived_codes)
        except ClassificationError as error:
            self._error(number, "income", str(error))
            self._track_key(number, commune, code, None)
            return None
        row = ParsedRow(
            number,
            code,
            commune,
            village,
            area,
            head_name,
            sex,
            birth_year,
            citizen_id,
            ethnicity,
            member_count,
            income,
            mask,
            len(deprived_codes),
            policy_ids or (),
            cause_ids or (),
            commune_class,
            result.poverty_class,
            result.group,
            standard.standard_id,
        )
        if commune_class and commune_class != result.poverty_class:
            self.mismatches.append(Mismatch(number, code, commune_class, result.poverty_class))
        self._track_key(number, commune, code, row)
        return row

    def _track_key(self, number: int, commune: CommuneInfo | None, code: str, row: ParsedRow | None) -> None:
        if commune is None or not code:
            return
        key = (commune.pk, code)
        first = self.first_seen.get(key)
        if first is None:
            self.first_seen[key] = number
            if row is not None:
                self.rows[key] = row
            return
        message = _(
            "Mã hộ %(code)s của %(unit)s trùng với dòng %(first)s. Mỗi hộ chỉ được có một dòng; hãy giữ một dòng."
        )
        if key not in self.duplicates:
            self.duplicates.add(key)
            self.rows.pop(key, None)
            self._error(first, "code", message % {"code": code, "unit": commune.name, "first": number})
        self._error(number, "code", message % {"code": code, "unit": commune.name, "first": first})

    def finish(self) -> list[ParsedRow]:
        """The valid rows in file order, and the new villages still used by one of them."""
        self.errors.sort(key=lambda e: (e.row, e.column))
        rows = sorted(self.rows.values(), key=lambda r: r.number)
        used = {row.village for row in rows if isinstance(row.village, tuple)}
        self.resolver.new_villages = {k: nv for k, nv in self.resolver.new_villages.items() if k in used}
        return rows


def search_key_of(text: str) -> str:
    return search_key(text)
