"""The downloadable template: a data sheet with the exact column headers (the indicators of the
standard that serves the year-end review of the chosen year, in force on 1 January of the next)
and an instruction sheet that explains every column, the accepted values and the lists of policy
groups and causes."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import cell_value

from ..models import Assessment, PolicyGroup, PovertyCause, PovertyStandard
from .columns import COLUMNS, TEMPLATE_INDICATORS_AFTER

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEAD = PatternFill("solid", start_color="DCE6F1")
_THIN = Side(style="thin", color="999999")


def census_standard(year: int) -> PovertyStandard:
    """The national standard of the year-end review of `year` (a 2021 file has NĐ 07's indicators)."""
    return PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, year)


def template_headers(year: int) -> list[str]:
    standard = census_standard(year)
    indicators = list(standard.indicators.order_by("order").values_list("name", flat=True))
    headers = []
    for column in COLUMNS:
        headers.append(column.header)
        if column.key == TEMPLATE_INDICATORS_AFTER:
            headers.extend(indicators)
    return headers


def template_workbook(year: int) -> bytes:
    standard = census_standard(year)
    indicators = list(standard.indicators.order_by("order"))
    headers = template_headers(year)
    book = Workbook()
    data = book.active
    data.title = _("Danh sách hộ")
    data.append(headers)
    for index, header in enumerate(headers, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        data.column_dimensions[get_column_letter(index)].width = max(10, min(28, len(header) + 2))
    data.row_dimensions[1].height = 60
    data.freeze_panes = "B2"
    position = {header: get_column_letter(i) for i, header in enumerate(headers, start=1)}
    text_columns = ["Mã hộ", "Mã xã", "Số CCCD"]
    for header in text_columns:
        for row in range(2, 2001):
            data[f"{position[header]}{row}"].number_format = "@"
    validations = [
        ("Giới tính", '"Nam,Nữ"'),
        ("Khu vực (Thành thị / Nông thôn)", '"Thành thị,Nông thôn"'),
        ("Phân loại", '"Hộ nghèo,Hộ cận nghèo,Hộ có mức sống trung bình,Hộ không nghèo"'),
    ] + [(indicator.name, '"x"') for indicator in indicators]
    for header, formula in validations:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.add(f"{position[header]}2:{position[header]}100000")
        data.add_data_validation(rule)

    guide = book.create_sheet(_("Hướng dẫn"))
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 110
    lines = [
        [_("BIỂU NHẬP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO CUỐI NĂM %(year)s") % {"year": year}],
        [
            _("Chuẩn nghèo áp dụng: %(name)s – %(basis)s")
            % {"name": standard.name, "basis": standard.legal_basis}
        ],
        [
            _(
                "Rà soát cuối năm %(year)s lập danh sách hộ nghèo, hộ cận nghèo năm %(next)s, nên áp dụng "
                "chuẩn nghèo có hiệu lực ngày 01/01/%(next)s."
            )
            % {"year": year, "next": year + 1}
        ],
        [],
        [_("Cách điền")],
        [
            "1",
            _(
                'Mỗi hộ một dòng trên trang "Danh sách hộ". Có thể thêm dòng tiêu đề, tên đơn vị ở phía trên; '
                'dòng trống và dòng "Tổng cộng" được bỏ qua.'
            ),
        ],
        ["2", _("Giữ nguyên tên cột (thứ tự cột có thể thay đổi). Cột không có trong biểu mẫu được bỏ qua.")],
        [
            "3",
            _(
                "Số có thể ghi 1500000 hoặc 1.500.000. Chỉ số thiếu hụt: ghi x (hoặc 1, có) nếu hộ thiếu hụt; "
                "để trống (hoặc 0, không) nếu không thiếu hụt."
            ),
        ],
        [
            "4",
            _(
                'Hệ thống tự phân loại hộ theo chuẩn nghèo của năm rà soát; cột "Phân loại" (nếu có) chỉ để đối chiếu.'
            ),
        ],
        [
            "5",
            _(
                "Trước khi ghi, hệ thống cho xem trước: hộ mới, hộ thay đổi (trường nào thay đổi), hộ không đổi và "
                "các dòng lỗi. Nhập lại cùng tệp không tạo hộ trùng."
            ),
        ],
        [],
        [_("Cột"), _("Cách ghi")],
    ]
    for column in COLUMNS:
        lines.append([column.header, column.help])
        if column.key == TEMPLATE_INDICATORS_AFTER:
            for indicator in indicators:
                lines.append(
                    [indicator.name, f"{indicator.dimension}. {_('Thiếu hụt khi')}: {indicator.definition}"]
                )
    lines += [[], [_("Danh mục đối tượng chính sách")]]
    lines += [[group.name, group.code] for group in PolicyGroup.objects.filter(active=True)]
    lines += [[], [_("Danh mục nguyên nhân nghèo")]]
    lines += [[cause.name, cause.code] for cause in PovertyCause.objects.filter(active=True)]
    for line in lines:
        guide.append([cell_value(value) for value in line])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number in (1, 4, 11):
        guide.cell(row=row_number, column=1).font = Font(bold=True)
        guide.cell(row=row_number, column=2).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
