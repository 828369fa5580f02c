"""The national system's summaries of a year's review, one row per child unit (communes under
their districts, with a subtotal each, for a pre-2025 province), status at 31 December:

review-summary       TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO, HỘ LÀM NÔNG, LÂM, NGƯ NGHIỆP
                     CÓ MỨC SỐNG TRUNG BÌNH: resident households and persons (the unit's entered
                     resident population, else the households recorded), poor, near-poor and
                     medium-living farm households and their rates, in households and in persons
deprivation-counts   PHÂN TÍCH CÁC CHỈ SỐ THIẾU HỤT DỊCH VỤ XÃ HỘI CƠ BẢN: poor (or near-poor)
                     households, their deprivations, and the households deprived on each indicator
deprivation-rates    the same as % of the unit's poor (near-poor) households

`build_*` are pure; `produce_*` read the figures (a fixed number of grouped queries)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from core import tables as t
from core.formatting import fmt_date, fmt_int
from households.models import PovertyClass
from units.periods import clamped_end

from ..frame import Frame, local_frame
from ..selectors import (
    Layout,
    StandardInfo,
    UnitRef,
    class_standard,
    deprivation_by_row,
    resident_population,
    review_stock_by_row,
    summary_layout,
)
from .common import Place, document, layout_rows, pct

REVIEW_SUMMARY = "review-summary"
DEPRIVATION_COUNTS = "deprivation-counts"
DEPRIVATION_RATES = "deprivation-rates"

POOR_ABOVE_RESIDENT = _(
    "Số hộ nghèo (%(poor)s) lớn hơn số hộ dân cư (%(resident)s): kiểm tra số liệu dân cư đã nhập."
)
POOR_PERSONS_ABOVE_RESIDENT = _(
    "Số nhân khẩu hộ nghèo (%(poor)s) lớn hơn số nhân khẩu dân cư (%(resident)s): kiểm tra số liệu dân cư đã nhập."
)
OTHER_STANDARD = _(
    "%(count)s hộ có kết quả rà soát theo chuẩn nghèo khác, không tính vào số chỉ số thiếu hụt và các cột chỉ số."
)
RESIDENT_ENTERED = _("Số hộ dân cư: theo số liệu dân cư do xã nhập năm %(year)s.")
RESIDENT_RECORDED = _(
    "Số hộ dân cư: theo số hộ có trong hệ thống (chưa có số liệu dân cư do xã nhập năm %(year)s)."
)
RESIDENT_MIXED = _(
    "Số hộ dân cư: theo số liệu dân cư do xã nhập năm %(year)s; riêng %(units)s: theo số hộ có trong hệ thống."
)
RESIDENT_OWN = _("Dòng %(units)s: theo số liệu dân cư nhập cho cả đơn vị, không phải tổng các dòng bên dưới.")
NAMES_SHOWN = 10


def year_end(unit, year: int) -> date:
    """The day a year's review results are read on: 31 December (30/06/2025 for a pre-2025 unit)."""
    return clamped_end(unit, date(year, 12, 31))


def _base_columns() -> list[t.Column]:
    return [t.Column("number", "TT", "A", t.CODE, 4), t.Column("label", "Đơn vị", "B", t.TEXT, 16)]


def _cells(place: Place) -> dict:
    return {"number": place.number, "label": place.label}


# --- review-summary ----------------------------------------------------------------------------------


@dataclass
class ReviewData:
    unit: UnitRef
    year: int
    end: date
    layout: Layout
    rows: dict  # row unit id (None: no row unit) → recorded figures
    population: dict = field(default_factory=dict)  # unit id → (households, persons) entered for the year


RATES = (
    # (count, rate, denominator)
    ("poor", "poor_rate", "resident_households"),
    ("near_poor", "near_poor_rate", "resident_households"),
    ("medium_farm", "medium_farm_rate", "resident_households"),
    ("poor_persons", "poor_persons_rate", "resident_persons"),
    ("near_poor_persons", "near_poor_persons_rate", "resident_persons"),
    ("medium_farm_persons", "medium_farm_persons_rate", "resident_persons"),
)


def _review_columns() -> tuple[list[t.Column], list]:
    columns = [
        *_base_columns(),
        t.Column("resident_households", "Số hộ dân cư", "1", t.INT, 8),
        t.Column("resident_persons", "Số nhân khẩu dân cư", "2", t.INT, 8),
    ]
    labels = {
        "poor": ("Hộ nghèo", "3", "4=3/1"),
        "near_poor": ("Hộ cận nghèo", "5", "6=5/1"),
        "medium_farm": ("Hộ làm nông, lâm, ngư nghiệp có mức sống trung bình", "7", "8=7/1"),
        "poor_persons": ("Nhân khẩu hộ nghèo", "9", "10=9/2"),
        "near_poor_persons": ("Nhân khẩu hộ cận nghèo", "11", "12=11/2"),
        "medium_farm_persons": (
            "Nhân khẩu hộ làm nông, lâm, ngư nghiệp có mức sống trung bình",
            "13",
            "14=13/2",
        ),
    }
    groups = []
    for count, rate_key, denominator in RATES:
        heading, number, rate_number = labels[count]
        base = "1" if denominator == "resident_households" else "2"
        unit_word = "Số hộ" if denominator == "resident_households" else "Số người"
        columns += [
            t.Column(count, unit_word, number, t.INT, 7),
            t.Column(
                rate_key, "Tỷ lệ (%)", rate_number, t.PERCENT, 6, formula=f"Cột {number} ÷ cột {base} × 100"
            ),
        ]
        groups.append((heading, [count, rate_key]))
    return columns, groups


def _with_resident(population: dict):
    """`prepare` for layout_rows: a row's resident households and persons are its own entry for the
    year, else the households and persons recorded (and whether it was entered, for the note)."""

    def prepare(raw: dict, unit_id) -> dict:
        entry = population.get(unit_id) if unit_id is not None else None
        households, persons = entry or (raw.get("households", 0), raw.get("persons", 0))
        return raw | {
            "resident_households": households,
            "resident_persons": persons,
            "resident_entered": 1 if entry else 0,
        }

    return prepare


def build_review_summary(
    data: ReviewData, *, frame: Frame, issued_on: date | None, preparer: str = ""
) -> t.Document:
    columns, groups = _review_columns()
    own_entries: list[str] = []  # subtotal/total rows whose resident population is their own entry
    recorded: list[str] = []  # data rows falling back to the households recorded
    entered_rows = 0

    def rows_of(raw: dict, place: Place) -> list[t.Row]:
        nonlocal entered_rows
        figures = dict(raw)
        if place.kind == t.DATA:
            if figures.get("resident_entered"):
                entered_rows += 1
            else:
                recorded.append(place.label)
        elif place.unit_id in data.population:
            figures["resident_households"], figures["resident_persons"] = data.population[place.unit_id]
            own_entries.append(place.label)
        cells = {**_cells(place)}
        for key in ("resident_households", "resident_persons"):
            cells[key] = figures.get(key, 0)
        for count, rate_key, denominator in RATES:
            cells[count] = figures.get(count, 0)
            cells[rate_key] = pct(cells[count], cells[denominator])
        issues = []
        if cells["poor"] > cells["resident_households"]:
            issues.append(
                POOR_ABOVE_RESIDENT
                % {"poor": fmt_int(cells["poor"]), "resident": fmt_int(cells["resident_households"])}
            )
        if cells["poor_persons"] > cells["resident_persons"]:
            issues.append(
                POOR_PERSONS_ABOVE_RESIDENT
                % {"poor": fmt_int(cells["poor_persons"]), "resident": fmt_int(cells["resident_persons"])}
            )
        return [t.Row(cells, kind=place.kind, issues=issues, link=place.link)]

    rows = layout_rows(data.layout, data.rows, rows_of, prepare=_with_resident(data.population))
    notes = [_resident_note(data.year, entered_rows, recorded)]
    if own_entries:
        notes.append(RESIDENT_OWN % {"units": ", ".join(own_entries)})
    notes += [
        _(
            "Tỷ lệ (%) = số hộ ÷ số hộ dân cư (cột 1) × 100, số người ÷ số nhân khẩu dân cư (cột 2) × 100, "
            "làm tròn 2 chữ số thập phân; “–”: không có số hộ (nhân khẩu) dân cư."
        ),
        _(
            "Hộ làm nông, lâm, ngư nghiệp có mức sống trung bình: hộ có mức sống trung bình được ghi là hộ làm "
            "nông, lâm, ngư, diêm nghiệp."
        ),
    ]
    table = t.Table(
        "review",
        "",
        columns,
        rows,
        header=t.grouped_header(columns, groups),
        notes=notes,
    )
    return document(
        code=REVIEW_SUMMARY,
        title=_(
            "Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo, hộ làm nông, lâm, ngư nghiệp có mức sống "
            "trung bình năm %(year)s"
        )
        % {"year": data.year},
        tables=[table],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=[data.unit.name, _("Kết quả rà soát đến ngày %(date)s") % {"date": fmt_date(data.end)}],
        meta={"unit": data.unit.id, "year": data.year},
    )


def _resident_note(year: int, entered: int, recorded: list[str]) -> str:
    if not recorded:
        return RESIDENT_ENTERED % {"year": year}
    if not entered:
        return RESIDENT_RECORDED % {"year": year}
    names = ", ".join(recorded[:NAMES_SHOWN])
    if len(recorded) > NAMES_SHOWN:
        names += _(" và %(count)s đơn vị khác") % {"count": fmt_int(len(recorded) - NAMES_SHOWN)}
    return RESIDENT_MIXED % {"year": year, "units": names}


def produce_review_summary(scope, params) -> t.Document:
    unit = params.unit
    end = year_end(unit, params.year)
    layout = summary_layout(unit)
    data = ReviewData(
        unit=UnitRef.of(unit),
        year=params.year,
        end=end,
        layout=layout,
        rows=review_stock_by_row(scope, unit, end, layout),
        population=resident_population(scope, layout.unit_ids, params.year),
    )
    return build_review_summary(
        data, frame=local_frame(unit), issued_on=params.issued_on, preparer=scope.person_name
    )


# --- deprivation-counts, deprivation-rates -----------------------------------------------------------


def class_word(poverty_class: str) -> str:
    """ "hộ nghèo" / "hộ cận nghèo", as the titles and notes name the households counted."""
    return _("hộ nghèo") if poverty_class == PovertyClass.POOR else _("hộ cận nghèo")


@dataclass
class DeprivationData:
    unit: UnitRef
    year: int
    end: date
    layout: Layout
    poverty_class: str
    standard: StandardInfo | None
    rows: dict  # row unit id → households, deprivations, ind_<order>, other_standard


def build_deprivation(
    data: DeprivationData, *, rates: bool, frame: Frame, issued_on: date | None, preparer: str = ""
) -> t.Document:
    word = class_word(data.poverty_class)
    indicators = data.standard.indicators if data.standard else ()
    columns = [
        *_base_columns(),
        t.Column("households", f"Số {word}", "1", t.INT, 7),
        t.Column("deprivations", "Tổng số chỉ số thiếu hụt", "2", t.INT, 8),
    ]
    groups: list[tuple[str, list[str]]] = []
    for position, (order, dimension, name) in enumerate(indicators, start=3):
        key = f"ind_{order}"
        if rates:
            columns.append(
                t.Column(key, name, f"{position}", t.PERCENT, 7, formula="Số hộ thiếu hụt ÷ cột 1 × 100")
            )
        else:
            columns.append(t.Column(key, name, str(position), t.INT, 7))
        if groups and groups[-1][0] == dimension:
            groups[-1][1].append(key)
        else:
            groups.append((dimension, [key]))
    keys = [f"ind_{order}" for order, _dimension, _name in indicators]

    def rows_of(raw: dict, place: Place) -> list[t.Row]:
        households = raw.get("households", 0)
        cells = {**_cells(place), "households": households, "deprivations": raw.get("deprivations", 0)}
        for key in keys:
            cells[key] = pct(raw.get(key, 0), households) if rates else raw.get(key, 0)
        other = raw.get("other_standard", 0)
        issues = [OTHER_STANDARD % {"count": fmt_int(other)}] if other else []
        return [t.Row(cells, kind=place.kind, issues=issues, link=place.link)]

    rows = layout_rows(data.layout, data.rows, rows_of)
    notes = [
        _(
            "Cột 3 trở đi: số %(word)s thiếu hụt từng chỉ số; một hộ có thể thiếu hụt nhiều chỉ số. Cột 2: tổng "
            "số chỉ số thiếu hụt của các hộ (bằng tổng số hộ thiếu hụt của các chỉ số)."
        )
        % {"word": word}
    ]
    if rates:
        notes = [
            _(
                "Cột 3 trở đi: tỷ lệ (%%) = số hộ thiếu hụt chỉ số ÷ số %(word)s của đơn vị (cột 1) × 100, làm "
                "tròn 2 chữ số thập phân; “–”: đơn vị không có %(word)s. Cột 2: tổng số chỉ số thiếu hụt của "
                "các hộ."
            )
            % {"word": word}
        ]
    if data.standard is None:
        notes.append(_("Chưa có chuẩn nghèo áp dụng cho kỳ này: không có danh mục chỉ số."))
    header = t.grouped_header(columns, groups)
    table = t.Table("deprivation", "", columns, rows, header=header, notes=notes)
    subtitle = [data.unit.name, _("Số liệu đến ngày %(date)s") % {"date": fmt_date(data.end)}]
    if data.standard:
        subtitle.append(
            _("Chuẩn nghèo: %(name)s (%(basis)s)")
            % {"name": data.standard.name, "basis": data.standard.legal_basis}
        )
    if rates:
        title = _("Phân tích tỷ lệ các chỉ số thiếu hụt dịch vụ xã hội cơ bản của %(word)s năm %(year)s")
    else:
        title = _("Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản của %(word)s năm %(year)s")
    return document(
        code=DEPRIVATION_RATES if rates else DEPRIVATION_COUNTS,
        title=title % {"word": word, "year": data.year},
        tables=[table],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=subtitle,
        meta={"unit": data.unit.id, "year": data.year, "poverty_class": data.poverty_class},
    )


def _deprivation(scope, params, *, rates: bool) -> t.Document:
    unit = params.unit
    end = year_end(unit, params.year)
    layout = summary_layout(unit)
    standard = class_standard(scope, unit, end, params.poverty_class)
    data = DeprivationData(
        unit=UnitRef.of(unit),
        year=params.year,
        end=end,
        layout=layout,
        poverty_class=params.poverty_class,
        standard=standard,
        rows=deprivation_by_row(scope, unit, end, layout, params.poverty_class, standard),
    )
    return build_deprivation(
        data, rates=rates, frame=local_frame(unit), issued_on=params.issued_on, preparer=scope.person_name
    )


def produce_deprivation_counts(scope, params) -> t.Document:
    return _deprivation(scope, params, rates=False)


def produce_deprivation_rates(scope, params) -> t.Document:
    return _deprivation(scope, params, rates=True)


def estimate_rows(scope, params) -> int:
    return summary_layout(params.unit).row_count + 2
