"""Forms Mẫu 01–03 that a mass organisation (the Women's Union above all) sends twice a year: the
plan with its registration table and list by 25/03, the results table and list, confirmed by the
commune, by 25/10 (KH 12/KH-BTV, Đà Nẵng, 2017 — ../shared/seeds/000_c8f44cb09febb647.txt).

mau01  registration table, per child unit: poor and near-poor households headed by women at the
       start of the year, the organisation's target, households registered, % of target
mau02  list of registered households, grouped by commune with subtotals
mau03  results per unit (registered, helped, escaped poverty / near-poverty as confirmed by the
       commune, % of target, resources mobilised in đồng), then the list of outcomes

Figures cover registrations of the year by organisations of the chosen organisation's kind for
households in the chosen unit's subtree (a district Union's own registrations and its communes')."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from core import tables as t
from core.formatting import fmt_int
from households.models import PovertyClass
from units.models import Organisation

from ..frame import Frame, organisation_frame, organisation_preparer
from ..selectors import (
    ListItem,
    UnitRef,
    children_of,
    female_headed_by_child,
    help_values_by_child,
    org_registrations,
    org_targets_by_child,
    registration_list,
    registrations_by_child,
)
from .common import add, document, pct

CLASS_SHORT = {PovertyClass.POOR: "Nghèo", PovertyClass.NEAR_POOR: "Cận nghèo"}
OUTCOME_LABELS = {
    "escaped_poverty": "Thoát nghèo",
    "escaped_near_poverty": "Thoát cận nghèo",
    "not_yet": "Chưa thoát",
}
LOAN = "loan"
LIVELIHOOD = "livelihood"


def _is_women(kind: str) -> bool:
    return kind == Organisation.Kind.WOMENS_UNION


def _households_word(kind: str) -> str:
    return "hộ phụ nữ nghèo, hộ phụ nữ cận nghèo" if _is_women(kind) else "hộ nghèo, hộ cận nghèo"


def _subtitle(organisation_name: str, unit_name: str, year: int, form: str) -> list[str]:
    lines = [f"({form})", organisation_name]
    if unit_name:
        lines.append(_("Địa bàn: %(unit)s – năm %(year)s") % {"unit": unit_name, "year": year})
    return lines


def _link(child: UnitRef) -> dict | None:
    return {"unit": child.id} if child.id and child.level and child.level < 4 else None


# --- Mẫu 01 ------------------------------------------------------------------------------------------


@dataclass
class RegistrationTableData:
    unit: UnitRef
    organisation_kind: str
    organisation_name: str
    year: int
    children: list[UnitRef]
    baseline: dict  # child id → {"poor": n, "near_poor": n} (female-headed for the Women's Union)
    targets: dict  # child id → (poor, near_poor)
    registered: dict  # child id → {"poor": n, "near_poor": n, …}


def build_mau01(
    data: RegistrationTableData, *, frame: Frame, issued_on: date | None, preparer: str = ""
) -> t.Document:
    women = _is_women(data.organisation_kind)
    baseline_heading = (
        _("Hộ do phụ nữ làm chủ hộ đầu năm %(year)s") if women else _("Hộ nghèo, cận nghèo đầu năm %(year)s")
    ) % {"year": data.year}
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 18),
        t.Column("base_poor", "Hộ nghèo", "1", t.INT, 8),
        t.Column("base_near_poor", "Hộ cận nghèo", "2", t.INT, 8),
        t.Column("target_poor", "Giúp thoát nghèo", "3", t.INT, 8),
        t.Column("target_near_poor", "Giúp thoát cận nghèo", "4", t.INT, 8),
        t.Column("reg_poor", "Hộ nghèo", "5", t.INT, 8),
        t.Column("reg_near_poor", "Hộ cận nghèo", "6", t.INT, 8),
        t.Column("rate_poor", "Hộ nghèo", "7=5/3", t.PERCENT, 7),
        t.Column("rate_near_poor", "Hộ cận nghèo", "8=6/4", t.PERCENT, 7),
    ]
    header = t.grouped_header(
        columns,
        [
            (baseline_heading, ["base_poor", "base_near_poor"]),
            (_("Chỉ tiêu của tổ chức"), ["target_poor", "target_near_poor"]),
            (_("Số hộ đăng ký giúp đỡ"), ["reg_poor", "reg_near_poor"]),
            (_("Tỷ lệ đăng ký so với chỉ tiêu (%)"), ["rate_poor", "rate_near_poor"]),
        ],
    )

    def cells(baseline: dict, target, registered: dict) -> dict:
        values = {
            "base_poor": baseline.get("poor", 0),
            "base_near_poor": baseline.get("near_poor", 0),
            "target_poor": target[0] if target else None,
            "target_near_poor": target[1] if target else None,
            "reg_poor": registered.get("poor", 0),
            "reg_near_poor": registered.get("near_poor", 0),
        }
        values["rate_poor"] = pct(values["reg_poor"], values["target_poor"])
        values["rate_near_poor"] = pct(values["reg_near_poor"], values["target_near_poor"])
        return values

    rows = []
    targets_seen = []
    for index, child in enumerate(data.children, start=1):
        target = data.targets.get(child.id)
        if target:
            targets_seen.append(target)
        rows.append(
            t.Row(
                {
                    "number": str(index),
                    "label": child.name,
                    **cells(data.baseline.get(child.id, {}), target, data.registered.get(child.id, {})),
                },
                link=_link(child),
            )
        )
    orphan = data.registered.get(None) or data.baseline.get(None)
    if orphan:
        rows.append(
            t.Row(
                {
                    "number": "",
                    "label": _("Chưa ghi đơn vị"),
                    **cells(data.baseline.get(None, {}), None, data.registered.get(None, {})),
                }
            )
        )
    total_target = (
        (sum(p for p, _n in targets_seen), sum(n for _p, n in targets_seen)) if targets_seen else None
    )
    rows.append(
        t.Row(
            {
                "number": "",
                "label": _("Tổng cộng"),
                **cells(
                    add(data.baseline.values(), ["poor", "near_poor"]),
                    total_target,
                    add(data.registered.values(), ["poor", "near_poor"]),
                ),
            },
            kind=t.TOTAL,
        )
    )
    notes = [_("Tỷ lệ (%) = số hộ đăng ký ÷ chỉ tiêu × 100.")]
    if women:
        notes.append(
            _(
                "Cột 1, 2: hộ nghèo, hộ cận nghèo có chủ hộ là nữ theo kết quả rà soát đã duyệt đến ngày 01/01/%(year)s."
            )
            % {"year": data.year}
        )
    table = t.Table("registration", "", columns, rows, header=header, notes=notes)
    return document(
        code="mau01",
        title=_("Bảng đăng ký giúp %(households)s thoát nghèo năm %(year)s")
        % {"households": _households_word(data.organisation_kind), "year": data.year},
        tables=[table],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=_subtitle(data.organisation_name, data.unit.name, data.year, "Mẫu 01"),
        meta={"unit": data.unit.id, "year": data.year},
    )


# --- Mẫu 02 ------------------------------------------------------------------------------------------


def _list_columns() -> list[t.Column]:
    return [
        t.Column("number", "TT", "1", t.CODE, 4),
        t.Column("label", "Họ và tên chủ hộ", "2", t.TEXT, 16),
        t.Column("village", "Thôn, tổ dân phố", "3", t.TEXT, 10),
        t.Column("commune", "Xã, phường", "4", t.TEXT, 10),
        t.Column("class", "Diện hộ", "5", t.TEXT, 7),
    ]


def _grouped_rows(items: Sequence[ListItem], cells_of, subtotal_of) -> list[t.Row]:
    rows: list[t.Row] = []
    current = None
    group: list[ListItem] = []

    def close():
        if group:
            rows.append(
                t.Row(
                    {
                        "number": "",
                        "label": _("Cộng %(commune)s") % {"commune": group[0].commune},
                        **subtotal_of(group),
                    },
                    kind=t.SUBTOTAL,
                )
            )

    for number, item in enumerate(items, start=1):
        if item.commune_id != current:
            close()
            group = []
            current = item.commune_id
            rows.append(t.Row({}, kind=t.GROUP, label=item.commune))
        group.append(item)
        rows.append(
            t.Row(
                {
                    "number": str(number),
                    "label": item.head,
                    "village": item.village,
                    "commune": item.commune,
                    "class": CLASS_SHORT.get(item.poverty_class, item.poverty_class),
                    **cells_of(item),
                }
            )
        )
    close()
    return rows


def _household_list(
    key: str, title: str, extra: list[t.Column], items: Sequence[ListItem], cells_of, subtotal_of
) -> t.Table:
    """A list of registered households (TT, head, address, class, then `extra` columns), grouped by
    commune with a subtotal each and a total; `subtotal_of(items)` fills a subtotal or the total."""
    columns = _list_columns() + extra
    header = t.grouped_header(columns, [(_("Địa chỉ"), ["village", "commune"])])
    rows = _grouped_rows(items, cells_of, subtotal_of)
    rows.append(t.Row({"number": "", "label": _("Tổng cộng"), **subtotal_of(items)}, kind=t.TOTAL))
    return t.Table(key, title, columns, rows, header=header)


def _count_text(items: Sequence[ListItem]) -> str:
    poor = sum(1 for item in items if item.poverty_class == PovertyClass.POOR)
    near = sum(1 for item in items if item.poverty_class == PovertyClass.NEAR_POOR)
    return _("%(total)s hộ (%(poor)s nghèo, %(near)s cận nghèo)") % {
        "total": fmt_int(len(items)),
        "poor": fmt_int(poor),
        "near": fmt_int(near),
    }


@dataclass
class ListData:
    unit: UnitRef
    organisation_kind: str
    organisation_name: str
    year: int
    items: list[ListItem] = field(default_factory=list)


def build_mau02(data: ListData, *, frame: Frame, issued_on: date | None, preparer: str = "") -> t.Document:
    extra = [
        t.Column("circumstances", "Hoàn cảnh", "6", t.TEXT, 18),
        t.Column("causes", "Nguyên nhân nghèo", "7", t.TEXT, 13),
        t.Column("needs", "Nhu cầu", "8", t.TEXT, 14),
        t.Column("measures", "Biện pháp giúp đỡ", "9", t.TEXT, 15),
        t.Column("responsible", "Người phụ trách giúp đỡ", "10", t.TEXT, 11),
        t.Column("note", "Ghi chú", "11", t.TEXT, 7),
    ]

    def cells(item: ListItem) -> dict:
        return {
            "circumstances": item.circumstances,
            "causes": "; ".join(item.causes),
            "needs": item.needs,
            "measures": "; ".join(item.measures),
            "responsible": item.responsible,
            "note": item.note,
        }

    table = _household_list(
        "list", "", extra, data.items, cells, lambda group: {"circumstances": _count_text(group)}
    )
    return document(
        code="mau02",
        title=_("Danh sách %(households)s được đăng ký giúp thoát nghèo năm %(year)s")
        % {"households": _households_word(data.organisation_kind), "year": data.year},
        tables=[table],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=_subtitle(data.organisation_name, data.unit.name, data.year, "Mẫu 02"),
        meta={"unit": data.unit.id, "year": data.year},
    )


# --- Mẫu 03 ------------------------------------------------------------------------------------------


@dataclass
class ResultsData:
    unit: UnitRef
    organisation_kind: str
    organisation_name: str
    year: int
    children: list[UnitRef]
    registered: dict  # child id → counts (registered, poor, near_poor, helped, escaped…)
    help_values: dict  # child id → {kind: value}
    targets: dict  # child id → (poor, near_poor)
    items: list[ListItem] = field(default_factory=list)


def _results_table(data: ResultsData) -> t.Table:
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 15),
        t.Column("reg_poor", "Hộ nghèo", "1", t.INT, 7),
        t.Column("reg_near_poor", "Hộ cận nghèo", "2", t.INT, 7),
        t.Column("helped", "Số hộ đã được giúp đỡ", "3", t.INT, 8),
        t.Column("escaped_poverty", "Thoát nghèo", "4", t.INT, 7),
        t.Column("escaped_near_poverty", "Thoát cận nghèo", "5", t.INT, 7),
        t.Column("rate_poor", "Thoát nghèo", "6=4/chỉ tiêu", t.PERCENT, 7),
        t.Column("rate_near_poor", "Thoát cận nghèo", "7=5/chỉ tiêu", t.PERCENT, 7),
        t.Column("loans", "Vốn vay ưu đãi", "8", t.MONEY, 11),
        t.Column("livelihood", "Phương tiện sinh kế", "9", t.MONEY, 10),
        t.Column("other_help", "Hỗ trợ khác", "10", t.MONEY, 10),
        t.Column("help_total", "Tổng cộng", "11=8+9+10", t.MONEY, 11),
    ]
    header = t.grouped_header(
        columns,
        [
            (_("Số hộ đăng ký"), ["reg_poor", "reg_near_poor"]),
            (_("Kết quả (xã đã xác nhận)"), ["escaped_poverty", "escaped_near_poverty"]),
            (_("Tỷ lệ so với chỉ tiêu (%)"), ["rate_poor", "rate_near_poor"]),
            (_("Nguồn lực huy động (đồng)"), ["loans", "livelihood", "other_help", "help_total"]),
        ],
    )

    def cells(counts: dict, values: dict, target) -> dict:
        loans = values.get(LOAN, 0)
        livelihood = values.get(LIVELIHOOD, 0)
        other = sum(v for k, v in values.items() if k not in (LOAN, LIVELIHOOD))
        result = {
            "reg_poor": counts.get("poor", 0),
            "reg_near_poor": counts.get("near_poor", 0),
            "helped": counts.get("helped", 0),
            "escaped_poverty": counts.get("escaped_poverty", 0),
            "escaped_near_poverty": counts.get("escaped_near_poverty", 0),
            "loans": loans,
            "livelihood": livelihood,
            "other_help": other,
            "help_total": loans + livelihood + other,
        }
        result["rate_poor"] = pct(result["escaped_poverty"], target[0] if target else None)
        result["rate_near_poor"] = pct(result["escaped_near_poverty"], target[1] if target else None)
        return result

    rows = []
    seen = []
    keys = ["poor", "near_poor", "helped", "escaped_poverty", "escaped_near_poverty"]
    for index, child in enumerate(data.children, start=1):
        target = data.targets.get(child.id)
        if target:
            seen.append(target)
        rows.append(
            t.Row(
                {
                    "number": str(index),
                    "label": child.name,
                    **cells(data.registered.get(child.id, {}), data.help_values.get(child.id, {}), target),
                },
                link=_link(child),
            )
        )
    if data.registered.get(None):
        rows.append(
            t.Row(
                {
                    "number": "",
                    "label": _("Chưa ghi đơn vị"),
                    **cells(data.registered[None], data.help_values.get(None, {}), None),
                }
            )
        )
    total_values: dict = {}
    for values in data.help_values.values():
        for kind, value in values.items():
            total_values[kind] = total_values.get(kind, 0) + value
    total_target = (sum(p for p, _n in seen), sum(n for _p, n in seen)) if seen else None
    rows.append(
        t.Row(
            {
                "number": "",
                "label": _("Tổng cộng"),
                **cells(add(data.registered.values(), keys), total_values, total_target),
            },
            kind=t.TOTAL,
        )
    )
    notes = [
        _(
            "Cột 4, 5: hộ đã được UBND xã, phường xác nhận thoát nghèo, thoát cận nghèo; cột 6, 7 so với chỉ tiêu của tổ chức tại đơn vị."
        )
    ]
    awaiting = sum(1 for item in data.items if item.awaiting_review)
    if awaiting:
        notes.append(
            _(
                "Trong số hộ ở cột 4, 5 có %(n)s hộ chưa được rà soát công nhận (tình trạng hộ chưa đổi); "
                "số hộ thoát nghèo của địa phương chỉ tính hộ đã được công nhận qua rà soát."
            )
            % {"n": fmt_int(awaiting)}
        )
    return t.Table(
        "results", _("Biểu 1. Kết quả giúp đỡ theo đơn vị"), columns, rows, header=header, notes=notes
    )


def _outcome_text(item: ListItem) -> str:
    if item.awaiting_review:
        return _("%(outcome)s (chờ rà soát công nhận)") % {"outcome": OUTCOME_LABELS[item.outcome]}
    if item.outcome:
        return OUTCOME_LABELS.get(item.outcome, item.outcome)
    if item.proposed:
        return _("Đề xuất: %(outcome)s (chưa xác nhận)") % {
            "outcome": OUTCOME_LABELS.get(item.proposed, item.proposed).lower()
        }
    return _("Đang giúp đỡ")


def _outcomes_table(data: ResultsData) -> t.Table:
    extra = [
        t.Column("help", "Hỗ trợ đã nhận", "6", t.TEXT, 22),
        t.Column("help_value", "Giá trị (đồng)", "7", t.MONEY, 10),
        t.Column("outcome", "Kết quả", "8", t.TEXT, 12),
        t.Column("confirmed_on", "Ngày xã xác nhận", "9", t.DATE, 9),
        t.Column("note", "Ghi chú", "10", t.TEXT, 8),
    ]

    def cells(item: ListItem) -> dict:
        return {
            "help": "; ".join(
                f"{label} {fmt_int(value)} đ" if value else label for label, value in item.help
            ),
            "help_value": sum(value for _label, value in item.help),
            "outcome": _outcome_text(item),
            "confirmed_on": item.confirmed_on if item.outcome else None,
            "note": item.note,
        }

    def subtotal(group: Sequence[ListItem]) -> dict:
        escaped = sum(1 for item in group if item.outcome in ("escaped_poverty", "escaped_near_poverty"))
        return {
            "help": _count_text(group),
            "help_value": sum(value for item in group for _label, value in item.help),
            "outcome": _("%(n)s hộ thoát") % {"n": fmt_int(escaped)},
        }

    return _household_list(
        "outcomes",
        _("Biểu 2. Danh sách kết quả giúp đỡ (có xác nhận của UBND xã, phường)"),
        extra,
        data.items,
        cells,
        subtotal,
    )


def build_mau03(data: ResultsData, *, frame: Frame, issued_on: date | None, preparer: str = "") -> t.Document:
    return document(
        code="mau03",
        title=_("Bảng tổng hợp kết quả giúp %(households)s thoát nghèo năm %(year)s")
        % {"households": _households_word(data.organisation_kind), "year": data.year},
        tables=[_results_table(data), _outcomes_table(data)],
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=_subtitle(data.organisation_name, data.unit.name, data.year, "Mẫu 03"),
        meta={"unit": data.unit.id, "year": data.year},
    )


# --- From the database -------------------------------------------------------------------------------


def produce_mau01(scope, params) -> t.Document:
    unit, organisation = params.unit, params.organisation
    registrations = org_registrations(scope, unit, organisation, params.year)
    data = RegistrationTableData(
        unit=UnitRef.of(unit),
        organisation_kind=organisation.kind,
        organisation_name=organisation.name,
        year=params.year,
        children=children_of(unit),
        baseline=female_headed_by_child(
            scope, unit, date(params.year, 1, 1), female_only=_is_women(organisation.kind)
        ),
        targets=org_targets_by_child(scope, unit, organisation, params.year),
        registered=registrations_by_child(registrations, unit),
    )
    return build_mau01(
        data,
        frame=organisation_frame(organisation),
        issued_on=params.issued_on,
        preparer=organisation_preparer(organisation, scope),
    )


def produce_mau02(scope, params) -> t.Document:
    unit, organisation = params.unit, params.organisation
    registrations = org_registrations(scope, unit, organisation, params.year)
    data = ListData(
        UnitRef.of(unit), organisation.kind, organisation.name, params.year, registration_list(registrations)
    )
    return build_mau02(
        data,
        frame=organisation_frame(organisation),
        issued_on=params.issued_on,
        preparer=organisation_preparer(organisation, scope),
    )


def produce_mau03(scope, params) -> t.Document:
    unit, organisation = params.unit, params.organisation
    registrations = org_registrations(scope, unit, organisation, params.year)
    data = ResultsData(
        unit=UnitRef.of(unit),
        organisation_kind=organisation.kind,
        organisation_name=organisation.name,
        year=params.year,
        children=children_of(unit),
        registered=registrations_by_child(registrations, unit),
        help_values=help_values_by_child(registrations, unit),
        targets=org_targets_by_child(scope, unit, organisation, params.year),
        items=registration_list(registrations, with_help=True),
    )
    return build_mau03(
        data,
        frame=organisation_frame(organisation),
        issued_on=params.issued_on,
        preparer=organisation_preparer(organisation, scope),
    )


def estimate_list_rows(scope, params) -> int:
    return org_registrations(scope, params.unit, params.organisation, params.year).count()
