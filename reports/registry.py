"""The report codes. They are stable: officials' scheduled jobs and links use them (README).

    mau01          registration table of a mass organisation (Mẫu 01)
    mau02          list of registered households (Mẫu 02)
    mau03          results table and list of outcomes (Mẫu 03)
    target-table   a locality's targets per child unit, the Cam Lộ layout
    union-targets  a locality's targets and an organisation's share, the Đà Nẵng layout
    quarterly      the consolidated report of a quarter
    review-summary       the year's review results per child unit (the national system's summary)
    poor-changes         stock and flows of poor households, in households and persons
    near-poor-changes    the same for near-poor households
    deprivation-counts   poor (or near-poor) households deprived on each indicator
    deprivation-rates    the same as % of the unit's poor (near-poor) households

Each entry names its builder (`produce(scope, params) -> Document`) and a cheap row estimate that
decides whether a download is rendered at once or by the background worker. `resolve` checks a
request's parameters against the entry and the reader's scope (params.py holds the parameters
alone, so that neither module imports the other's caller)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module

from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.tables import Document
from households.models import PovertyClass
from units.models import AdministrativeUnit, Level, Organisation
from units.periods import history_note, period_refusal

from .params import MAX_YEAR, MIN_YEAR, REPORT_CLASSES, ReportParamError, ReportParams, organisation_for
from .scope import ReportScope


def _resolve(path: str) -> Callable:
    module, name = path.split(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class ReportType:
    code: str
    title: Promise
    description: Promise
    builder: str  # "module:function"
    estimator: str = ""  # "module:function" → rows; empty: small report
    needs_quarter: bool = False
    accepts_quarter: bool = False  # a year, or one of its quarters when given
    accepts_class: bool = False  # poor (default) or near-poor households: ReportParams.poverty_class
    needs_organisation: bool = False
    levels: tuple[int, ...] = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    order: int = 50

    def produce(self, scope: ReportScope, params: ReportParams) -> Document:
        if params.issued_on is None:
            from dataclasses import replace

            params = replace(params, issued_on=timezone.localdate())
        document = _resolve(self.builder)(scope, params)
        note = history_note(params.unit, params.start)
        if note and document.locked is None and note not in document.notes:
            document.notes.insert(0, note)
        return document

    def estimate_rows(self, scope: ReportScope, params: ReportParams) -> int:
        return _resolve(self.estimator)(scope, params) if self.estimator else 0


_TYPES = [
    ReportType(
        code="quarterly",
        title=_("Báo cáo tổng hợp quý"),
        description=_(
            "Hộ nghèo, cận nghèo và tỷ lệ; hộ nghèo theo nhóm; thiếu hụt theo chỉ số; biến động trong quý; tiến độ chỉ tiêu."
        ),
        builder="reports.builders.quarterly:produce",
        estimator="reports.builders.quarterly:estimate_rows",
        needs_quarter=True,
        order=10,
    ),
    ReportType(
        code="target-table",
        title=_("Bảng chỉ tiêu giảm nghèo"),
        description=_(
            "Chỉ tiêu giảm nghèo năm của các đơn vị trực thuộc, theo mẫu kế hoạch huyện (số hộ, hộ nghèo theo nhóm, hộ giảm, hộ nghèo cuối năm)."
        ),
        builder="reports.builders.targets:produce_target_table",
        order=20,
    ),
    ReportType(
        code="union-targets",
        title=_("Chỉ tiêu của hội, đoàn thể"),
        description=_(
            "Chỉ tiêu giảm hộ nghèo, cận nghèo của các địa phương và phần của hội, đoàn thể (mẫu Hội LHPN)."
        ),
        builder="reports.builders.targets:produce_union_targets",
        needs_organisation=True,
        order=30,
    ),
    ReportType(
        code="mau01",
        title=_("Mẫu 01 – Bảng đăng ký"),
        description=_(
            "Hộ nghèo, cận nghèo do phụ nữ làm chủ đầu năm, chỉ tiêu, số hộ đăng ký giúp và tỷ lệ so với chỉ tiêu."
        ),
        builder="reports.builders.organisation:produce_mau01",
        needs_organisation=True,
        order=40,
    ),
    ReportType(
        code="mau02",
        title=_("Mẫu 02 – Danh sách hộ đăng ký"),
        description=_(
            "Danh sách hộ được đăng ký giúp: hoàn cảnh, nguyên nhân, nhu cầu, biện pháp, người phụ trách; theo từng xã."
        ),
        builder="reports.builders.organisation:produce_mau02",
        estimator="reports.builders.organisation:estimate_list_rows",
        needs_organisation=True,
        order=50,
    ),
    ReportType(
        code="mau03",
        title=_("Mẫu 03 – Kết quả giúp đỡ"),
        description=_(
            "Kết quả theo đơn vị (đã giúp, thoát nghèo, nguồn lực huy động) và danh sách kết quả có xác nhận của xã."
        ),
        builder="reports.builders.organisation:produce_mau03",
        estimator="reports.builders.organisation:estimate_list_rows",
        needs_organisation=True,
        order=60,
    ),
    ReportType(
        code="review-summary",
        title=_("Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo"),
        description=_(
            "Hộ dân cư, hộ nghèo, hộ cận nghèo, hộ làm nông, lâm, ngư nghiệp có mức sống trung bình và tỷ lệ, theo hộ và nhân khẩu, đến 31/12."
        ),
        builder="reports.builders.review:produce_review_summary",
        estimator="reports.builders.review:estimate_rows",
        order=70,
    ),
    ReportType(
        code="poor-changes",
        title=_("Tổng hợp diễn biến hộ nghèo"),
        description=_(
            "Hộ nghèo đầu kỳ, giảm (thoát nghèo, giảm khác), tăng (từ cận nghèo, tái nghèo, phát sinh mới, tăng khác) và cuối kỳ; theo hộ và nhân khẩu."
        ),
        builder="reports.builders.changes:produce_poor_changes",
        estimator="reports.builders.changes:estimate_rows",
        accepts_quarter=True,
        order=80,
    ),
    ReportType(
        code="near-poor-changes",
        title=_("Tổng hợp diễn biến hộ cận nghèo"),
        description=_(
            "Hộ cận nghèo đầu kỳ, giảm (thành hộ nghèo, thoát cận nghèo, giảm khác), tăng và cuối kỳ; theo hộ và nhân khẩu."
        ),
        builder="reports.builders.changes:produce_near_poor_changes",
        estimator="reports.builders.changes:estimate_rows",
        accepts_quarter=True,
        order=90,
    ),
    ReportType(
        code="deprivation-counts",
        title=_("Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản"),
        description=_(
            "Số hộ nghèo (hoặc cận nghèo), tổng số chỉ số thiếu hụt và số hộ thiếu hụt từng chỉ số của chuẩn nghèo đang áp dụng."
        ),
        builder="reports.builders.review:produce_deprivation_counts",
        estimator="reports.builders.review:estimate_rows",
        accepts_class=True,
        order=100,
    ),
    ReportType(
        code="deprivation-rates",
        title=_("Phân tích tỷ lệ các chỉ số thiếu hụt dịch vụ xã hội cơ bản"),
        description=_(
            "Tỷ lệ hộ nghèo (hoặc cận nghèo) thiếu hụt từng chỉ số so với số hộ nghèo (cận nghèo) của đơn vị."
        ),
        builder="reports.builders.review:produce_deprivation_rates",
        estimator="reports.builders.review:estimate_rows",
        accepts_class=True,
        order=110,
    ),
]

REGISTRY: dict[str, ReportType] = {spec.code: spec for spec in sorted(_TYPES, key=lambda s: s.order)}
CODES = tuple(REGISTRY)


def get(code: str) -> ReportType | None:
    return REGISTRY.get(code)


def resolve(
    scope: ReportScope,
    *,
    code: str,
    unit: AdministrativeUnit,
    year: int,
    quarter: int | None = None,
    organisation: Organisation | None = None,
    issued_on: date | None = None,
    poverty_class: str | None = None,
) -> ReportParams:
    """Checked parameters, or Http404 (unknown report, unit out of scope) / ReportParamError."""
    spec = REGISTRY.get(code)
    if spec is None:
        raise Http404
    if not scope.can_view(unit):
        raise Http404
    if unit.level not in spec.levels:
        raise ReportParamError(
            gettext("Báo cáo “%(report)s” lập cho %(levels)s; hãy chọn đơn vị khác.")
            % {
                "report": spec.title,
                "levels": ", ".join(str(Level(level).label).lower() for level in spec.levels),
            }
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportParamError(gettext("Năm %(year)s không hợp lệ.") % {"year": year})
    if spec.needs_quarter:
        if quarter not in (1, 2, 3, 4):
            raise ReportParamError(gettext("Hãy chọn quý (1 đến 4)."))
    elif spec.accepts_quarter:
        if quarter not in (None, 1, 2, 3, 4):
            raise ReportParamError(gettext("Hãy chọn quý (1 đến 4) hoặc cả năm."))
    else:
        quarter = None
    if spec.accepts_class:
        poverty_class = poverty_class or PovertyClass.POOR
        if poverty_class not in REPORT_CLASSES:
            raise ReportParamError(gettext("Hãy chọn hộ nghèo hoặc hộ cận nghèo."))
    else:
        poverty_class = PovertyClass.POOR
    if spec.needs_organisation:
        if organisation is None:
            organisation = organisation_for(unit, Organisation.Kind.WOMENS_UNION)
        if organisation is None:
            raise ReportParamError(gettext("Hãy chọn tổ chức (hội, đoàn thể) lập báo cáo."))
        if not organisation.is_mass_organisation:
            raise ReportParamError(gettext("Báo cáo này do hội, đoàn thể lập; hãy chọn một hội, đoàn thể."))
        if not _is_within(unit, organisation.unit):
            raise ReportParamError(
                gettext("%(org)s không phụ trách %(unit)s; hãy chọn đơn vị thuộc địa bàn của tổ chức.")
                % {"org": organisation.name, "unit": unit.name}
            )
    else:
        organisation = None
    params = ReportParams(
        code=code,
        unit=unit,
        year=year,
        quarter=quarter,
        organisation=organisation,
        issued_on=issued_on,
        poverty_class=poverty_class,
    )
    refusal = period_refusal(unit, params.start)
    if refusal:
        raise ReportParamError(refusal)
    return params


def _is_within(unit: AdministrativeUnit, ancestor: AdministrativeUnit) -> bool:
    if unit.admin_version != ancestor.admin_version:
        return False
    return ancestor.pk in (unit.pk, unit.province_id, unit.district_id, unit.commune_id)
