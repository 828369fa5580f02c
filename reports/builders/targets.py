"""`target-table` (the Cam Lộ layout) and `union-targets` (the Đà Nẵng layout): the targets app's
pure builders (targets/tables.py) fed from the targets in the reader's scope, adapted into a report
document. The figures are the targets' frozen baselines and allocations, never recomputed here."""

from django.utils.translation import gettext as _

from core import tables as t
from units.models import AdministrativeUnit, Level, Organisation

from ..frame import local_frame, organisation_frame
from ..params import ReportParamError
from .common import document

KINDS = {"text": t.TEXT, "int": t.INT, "rate": t.PERCENT}
WIDTHS = {"number": 4, "label": 18}


def adapt(source, *, drill: bool = True) -> t.Table:
    """A targets.tables.Table as a report table (same columns, header, figures, flags and notes)."""
    columns = []
    for column in source.columns:
        kind = KINDS.get(column.kind, t.TEXT)
        if column.key == "number":
            kind = t.CODE
        columns.append(
            t.Column(
                key=column.key,
                label=column.label,
                number=column.number,
                kind=kind,
                width=WIDTHS.get(column.key, 7 if kind == t.PERCENT else 8),
                formula=getattr(column, "formula", ""),
                suffix=getattr(column, "suffix", ""),
            )
        )
    header = [[t.HeaderCell(cell.text, cell.colspan, cell.rowspan) for cell in row] for row in source.header]
    rows = []
    for row in [*source.rows, source.totals]:
        is_total = row is source.totals
        rows.append(
            t.Row(
                {"number": row.number, "label": row.label, **row.values},
                kind=t.TOTAL if is_total else t.DATA,
                issues=list(row.flags),
                link={"unit": row.unit_id} if drill and row.unit_id and not is_total else None,
            )
        )
    return t.Table(source.code, "", columns, rows, header=header, notes=list(source.notes))


def _local_target(scope, unit: AdministrativeUnit, year: int):
    target = scope.targets().filter(unit=unit, year=year, organisation__isnull=True).first()
    if target is None:
        raise ReportParamError(
            _("%(unit)s chưa có chỉ tiêu giảm nghèo năm %(year)s; hãy giao chỉ tiêu trước (mục Chỉ tiêu).")
            % {"unit": unit.name, "year": year}
        )
    return target


def _children(scope, target) -> list:
    from targets.services import children_of

    return list(children_of(target).filter(unit__in=scope.units()))


def produce_target_table(scope, params) -> t.Document:
    from targets import tables

    unit = params.unit
    target = _local_target(scope, unit, params.year)
    rows = [
        tables.TargetTableInput(
            label=child.unit.name,
            households=child.baseline_households,
            poor=child.baseline_poor,
            poor_policy=child.baseline_poor_policy,
            poor_social_protection=child.baseline_poor_social_protection,
            reduce_poor=child.reduce_poor,
            unit_id=child.unit_id,
        )
        for child in _children(scope, target)
    ]
    table = adapt(tables.build_target_table(rows, year=params.year))
    return document(
        code="target-table",
        title=_("Chỉ tiêu giảm nghèo năm %(year)s") % {"year": params.year},
        tables=[table],
        frame=local_frame(unit),
        issued_on=params.issued_on,
        preparer=scope.person_name,
        subtitle=[unit.name],
        meta={"unit": unit.pk, "year": params.year},
    )


def _union_label(kind: str, unit: AdministrativeUnit) -> str:
    short = {Organisation.Kind.WOMENS_UNION: "Hội LHPN"}.get(kind, str(Organisation.Kind(kind).label))
    below = {Level.PROVINCE: "quận/huyện" if unit.is_pre2025 else "xã/phường", Level.DISTRICT: "xã/thị trấn"}
    return f"{short} {below.get(unit.level, 'thôn/tổ dân phố')}"


def produce_union_targets(scope, params) -> t.Document:
    from targets import tables

    unit, organisation = params.unit, params.organisation
    kind = organisation.kind
    target = _local_target(scope, unit, params.year)
    children = _children(scope, target)
    shares = {
        share.unit_id: share
        for share in scope.targets()
        .filter(year=params.year, organisation__kind=kind, unit__in=[child.unit_id for child in children])
        .select_related("organisation")
    }
    rows = []
    for child in children:
        share = shares.get(child.unit_id)
        label = (share.organisation.short_name or share.organisation.name) if share else child.unit.name
        rows.append(
            tables.UnionTableInput(
                label=label,
                locality_poor=child.reduce_poor,
                locality_near_poor=child.reduce_near_poor,
                organisation_poor=share.reduce_poor if share else 0,
                organisation_near_poor=share.reduce_near_poor if share else 0,
                percent=share.share_percent if share else None,
                unit_id=child.unit_id,
            )
        )
    women = kind == Organisation.Kind.WOMENS_UNION
    table = adapt(
        tables.build_union_table(
            rows,
            year=params.year,
            organisation_label=_union_label(kind, unit),
            poor_label="Số hộ PNN" if women else _("Số hộ nghèo"),
            near_poor_label="Số hộ PNCN" if women else _("Số hộ cận nghèo"),
        )
    )
    return document(
        code="union-targets",
        title=_("Chỉ tiêu giảm nghèo năm %(year)s") % {"year": params.year},
        tables=[table],
        frame=organisation_frame(organisation),
        issued_on=params.issued_on,
        preparer=scope.person_name,
        subtitle=[organisation.name],
        landscape=False,
        meta={"unit": unit.pk, "year": params.year},
    )
