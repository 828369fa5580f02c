"""Year-end review workbooks built in the tests, shaped like the files communes really send."""

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from households.models import Assessment, PovertyStandard

BASE_HEADERS = [
    "Mã hộ",
    "Mã xã",
    "Tỉnh/Thành phố",
    "Huyện",
    "Xã/Phường",
    "Thôn/Tổ dân phố",
    "Họ và tên chủ hộ",
    "Giới tính",
    "Năm sinh",
    "Số CCCD",
    "Dân tộc",
    "Số nhân khẩu",
    "Khu vực (Thành thị / Nông thôn)",
    "Thu nhập bình quân (đồng/người/tháng)",
]
TAIL_HEADERS = ["Đối tượng chính sách", "Nguyên nhân nghèo", "Phân loại", "Năm rà soát"]


def indicator_names(year: int) -> list[str]:
    """The indicator columns of a year-end review file of `year` (the standard of 1 January next)."""
    standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, year)
    return list(standard.indicators.order_by("order").values_list("name", flat=True))


def headers(year: int) -> list[str]:
    return BASE_HEADERS + indicator_names(year) + TAIL_HEADERS


@dataclass
class Household:
    """One row; `deprived` holds 1-based indicator orders."""

    code: str
    commune_code: str = ""
    commune: str = ""
    province: str = ""
    district: str = ""
    village: str = ""
    head: str = "Nguyễn Văn An"
    sex: object = "Nam"
    birth_year: object = 1970
    citizen_id: object = ""
    ethnicity: str = "Kinh"
    members: object = 4
    area: str = "Nông thôn"
    income: object = 1_000_000
    deprived: tuple = ()
    policy: str = ""
    causes: str = ""
    commune_class: str = ""
    year: object = None
    overrides: dict = field(default_factory=dict)

    def cells(self, year: int) -> list:
        names = indicator_names(year)
        marks = ["x" if (i + 1) in self.deprived else None for i in range(len(names))]
        row = [
            self.code,
            self.commune_code,
            self.province,
            self.district,
            self.commune,
            self.village,
            self.head,
            self.sex,
            self.birth_year,
            self.citizen_id,
            self.ethnicity,
            self.members,
            self.area,
            self.income,
            *marks,
            self.policy,
            self.causes,
            self.commune_class,
            self.year,
        ]
        for index, value in self.overrides.items():
            row[index] = value
        return row


def workbook(
    rows: list[list],
    *,
    header: list[str],
    above: list[list] = (),
    below: list[list] = (),
    sheet: str = "Danh sách hộ",
    merges: list[str] = (),
    second_header: list | None = None,
) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for line in above:
        ws.append(line)
    ws.append(header)
    if second_header is not None:
        ws.append(second_header)
    for line in rows:
        ws.append(line)
    for line in below:
        ws.append(line)
    for merge in merges:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def simple(households: list[Household], year: int, **kwargs) -> bytes:
    return workbook([h.cells(year) for h in households], header=headers(year), **kwargs)
