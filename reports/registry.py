"""The report codes. They are stable: officials' scheduled jobs and links use them (README).

    mau01          registration table of a mass organisation (Mẫu 01)
    mau02          list of registered households (Mẫu 02)
    mau03          results table and list of outcomes (Mẫu 03)
    target-table   a locality's targets per child unit, the Cam Lộ layout
    union-targets  a locality's targets and an organisation's share, the Đà Nẵng layout
    quarterly      the consolidated report of a quarter

Each entry names its builder (`produce(scope, params) -> Document`) and a cheap row estimate that
decides whether a download is rendered at once or by the background worker."""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.tables import Document
from units.models import Level
from units.periods import history_note

from .params import ReportParams
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
]

REGISTRY: dict[str, ReportType] = {spec.code: spec for spec in sorted(_TYPES, key=lambda s: s.order)}
CODES = tuple(REGISTRY)


def get(code: str) -> ReportType | None:
    return REGISTRY.get(code)
