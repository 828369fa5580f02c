"""The household list as an Excel workbook: every row of the filtered list, written in a streaming
(write-only) workbook, text neutralised so that nothing typed into a form becomes a formula.
Ethnicity columns only for users who may see ethnicity at the unit exported."""

from collections import Counter
from io import BytesIO

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.formatting import fmt_int
from core.xlsx import INT, cell_value

from .forms import SENSITIVE_POLICY_GROUPS
from .models import Assessment, Household, Member, PolicyGroup, PovertyClass
from .selectors import HouseholdFilters

CHUNK = 2000


def household_workbook(rows, *, unit, filters: HouseholdFilters, show_ethnicity: bool) -> bytes:
    """`rows`: the filtered, scoped list (annotated by selectors.household_rows)."""
    groups = (
        PolicyGroup.objects.all()
        if show_ethnicity
        else PolicyGroup.objects.exclude(code__in=SENSITIVE_POLICY_GROUPS)
    )
    rows = (
        rows.select_related("village")
        .prefetch_related(Prefetch("policy_groups", queryset=groups), "causes")
        .order_by("commune_id", "code")
    )
    if show_ethnicity:
        head = Member.objects.filter(household=OuterRef("pk"), relation=Member.Relation.HEAD).values(
            "ethnicity"
        )[:1]
        rows = rows.annotate(head_ethnicity=Subquery(head))

    class_names = dict(PovertyClass.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Danh sách hộ"))
    bold = Font(bold=True)
    title = _("Danh sách hộ gia đình – %(unit)s") % {"unit": unit.name}
    if filters.year:
        title += " – " + _("phân loại tại 31/12/%(year)s") % {"year": filters.year}
    sheet.append([cell_value(title)])
    headers = [
        _("STT"),
        _("Mã hộ"),
        _("Chủ hộ"),
        _("Chủ hộ là nữ"),
        _("Thôn/tổ dân phố"),
        _("Địa chỉ"),
        _("Khu vực"),
        _("Số nhân khẩu"),
        _("Phân loại"),
        _("Nhóm"),
        _("Năm rà soát"),
        _("Trạng thái rà soát"),
        _("Khả năng lao động"),
        _("Đối tượng chính sách"),
        _("Nguyên nhân nghèo"),
    ]
    if show_ethnicity:
        headers += [_("Dân tộc chủ hộ"), _("Hộ dân tộc thiểu số")]
    sheet.append([_header(text, bold, sheet) for text in headers])

    states = {str(k): str(v) for k, v in Assessment.State.choices}
    areas = dict(Household._meta.get_field("area").choices)
    labours = dict(Household.Labour.choices)
    yes, no = _("Có"), ""
    households = members = 0
    by_class: Counter = Counter()
    for number, household in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        households, members = number, members + (household.member_count or 0)
        by_class[household.shown_class or ""] += 1
        line = [
            number,
            household.code,
            household.head_name,
            yes if household.female_head else no,
            household.village.name if household.village else "",
            household.address,
            areas.get(household.area, household.area),
            household.member_count,
            class_names.get(household.shown_class or "", ""),
            {"income": "N1", "deprivation": "N2"}.get(household.shown_group or "", ""),
            household.shown_year,
            states.get(household.latest_state, ""),
            labours.get(household.labour, ""),
            ", ".join(g.name for g in household.policy_groups.all()),
            ", ".join(c.name for c in household.causes.all()),
        ]
        if show_ethnicity:
            line += [household.head_ethnicity or "", yes if household.ethnic_minority else no]
        sheet.append([cell_value(value) for value in line])

    # Totals row: households, members, and households of each class.
    classes = ", ".join(
        f"{fmt_int(by_class[key])} {label.lower()}" for key, label in class_names.items() if by_class[key]
    )
    if by_class[""]:
        classes += (", " if classes else "") + _("%(count)s hộ chưa có kết quả") % {
            "count": fmt_int(by_class[""])
        }
    totals = [None, _("Tổng cộng"), _("%(count)s hộ") % {"count": fmt_int(households)}]
    totals += [None] * 4 + [members, classes]
    cells = [_header(value, bold, sheet) if value is not None else None for value in totals]
    cells[7].number_format = INT
    sheet.append(cells)

    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _header(text, font, sheet):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=cell_value(text))
    cell.font = font
    return cell
