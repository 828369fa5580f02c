"""The poverty classification of one household, exactly as the legal texts word it. Pure: no ORM,
no clock. The rule *shape* is code; its numbers come from a PovertyStandard row (see
`PovertyStandard.rules()`), so an administrator can correct a line without a deploy.

QĐ 59/2015 (2016–2021), shape "either_2016", with I = income per person per month, D = number of
deprived indicators, P/C/M = poverty, near-poverty and medium lines of the household's area:
    poor by income (N1)        I ≤ P                      ("từ đủ … trở xuống": inclusive)
    poor by deprivation (N2)   P < I ≤ C and D ≥ 3        ("trên … đến …", "từ 03 chỉ số trở lên")
    near-poor                  P < I ≤ C and D < 3
    medium                     C < I ≤ M
NĐ 07/2021 Art. 3 (2022–2026) and NĐ 351/2025 (2027–2030), shape "income_and_deprivation":
    poor                       I ≤ P and D ≥ 3
    near-poor                  I ≤ P and D < 3
    medium                     P < I ≤ M                  (no band when M is unknown)
Otherwise the household is not poor."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.formatting import fmt_money

POOR = "poor"
NEAR_POOR = "near_poor"
MEDIUM = "medium"
NOT_POOR = "not_poor"

INCOME = "income"  # N1
DEPRIVATION = "deprivation"  # N2

EITHER_2016 = "either_2016"
INCOME_AND_DEPRIVATION = "income_and_deprivation"

RURAL = "rural"
URBAN = "urban"
AREA_NAMES = {RURAL: "nông thôn", URBAN: "thành thị"}

# Vietnamese, as records and import files keep them; `Classification.label` translates for pages.
CLASS_LABELS = {
    POOR: gettext_noop("Hộ nghèo"),
    NEAR_POOR: gettext_noop("Hộ cận nghèo"),
    MEDIUM: gettext_noop("Hộ có mức sống trung bình"),
    NOT_POOR: gettext_noop("Hộ không nghèo"),
}


class ClassificationError(ValueError):
    """The inputs cannot be classified (unknown area, negative income, unknown indicator)."""


@dataclass(frozen=True)
class StandardRules:
    """The numbers of one standard, detached from the database."""

    rule: str
    poverty_line: Mapping[str, int]
    near_poverty_line: Mapping[str, int | None]
    medium_upper: Mapping[str, int | None]
    deprivation_threshold: int
    indicators: Mapping[str, str]  # code → Vietnamese name, in legal order
    name: str = ""


@dataclass(frozen=True)
class Classification:
    poverty_class: str
    group: str  # INCOME / DEPRIVATION under QĐ 59/2015 when poor, else ""
    rules: StandardRules
    area: str
    income: int
    deprived: tuple[str, ...]  # indicator codes, in legal order

    @property
    def label(self) -> str:
        """The class in the reader's language ("Hộ nghèo", "Poor household")."""
        return _(CLASS_LABELS[self.poverty_class])

    @property
    def group_label(self) -> str:
        return {INCOME: "N1", DEPRIVATION: "N2"}.get(self.group, "")

    @property
    def deprived_count(self) -> int:
        return len(self.deprived)

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """Why, in Vietnamese whatever the page's language (the assessment keeps them as written), e.g. ("Thu nhập 1.450.000 đ/người/tháng ≤ chuẩn nghèo nông thôn
        1.500.000 đ", "thiếu hụt 3 chỉ số: Bảo hiểm y tế, Nguồn nước sinh hoạt, Nhà tiêu hợp vệ sinh")."""
        return _explain(self)

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def classify(rules: StandardRules, area: str, income: int, deprived: Iterable[str]) -> Classification:
    """Classify one household. `deprived` holds the codes of the indicators it is deprived on."""
    if area not in (RURAL, URBAN):
        raise ClassificationError(
            _("Khu vực không hợp lệ: %(area)r (phải là nông thôn hoặc thành thị).") % {"area": area}
        )
    if income is None or income < 0:
        raise ClassificationError(_("Thu nhập bình quân phải là số không âm."))
    codes = set(deprived)
    unknown = codes - rules.indicators.keys()
    if unknown:
        raise ClassificationError(
            _("Chỉ số không thuộc chuẩn %(standard)s: %(codes)s.")
            % {"standard": rules.name, "codes": ", ".join(sorted(unknown))}
        )
    ordered = tuple(code for code in rules.indicators if code in codes)
    count = len(ordered)
    line = rules.poverty_line[area]
    medium = rules.medium_upper.get(area)
    poverty_class, group = NOT_POOR, ""

    if rules.rule == EITHER_2016:
        near = rules.near_poverty_line[area]
        if income <= line:
            poverty_class, group = POOR, INCOME
        elif income <= near:
            if count >= rules.deprivation_threshold:
                poverty_class, group = POOR, DEPRIVATION
            else:
                poverty_class = NEAR_POOR
        elif medium is not None and income <= medium:
            poverty_class = MEDIUM
    elif rules.rule == INCOME_AND_DEPRIVATION:
        if income <= line:
            poverty_class = POOR if count >= rules.deprivation_threshold else NEAR_POOR
        elif medium is not None and income <= medium:
            poverty_class = MEDIUM
    else:
        raise ClassificationError(_("Dạng quy tắc không được hỗ trợ: %(rule)r.") % {"rule": rules.rule})
    return Classification(poverty_class, group, rules, area, income, ordered)


@dataclass(frozen=True)
class Lines:
    """The figures of a standard that decide a household's class in one area (đ/người/tháng)."""

    poverty: int
    near_poverty: int | None  # only the 2016 shape has a near-poverty line
    medium: int | None  # None when the standard sets no medium band
    deprivation_threshold: int  # poor from this many deprived indicators on


def lines_for(rules: StandardRules, area: str) -> Lines:
    """The lines `classify` compares a household of `area` with."""
    if area not in (RURAL, URBAN):
        raise ClassificationError(
            _("Khu vực không hợp lệ: %(area)r (phải là nông thôn hoặc thành thị).") % {"area": area}
        )
    return Lines(
        poverty=rules.poverty_line[area],
        near_poverty=rules.near_poverty_line.get(area) if rules.rule == EITHER_2016 else None,
        medium=rules.medium_upper.get(area),
        deprivation_threshold=rules.deprivation_threshold,
    )


def _money(value: int) -> str:
    return fmt_money(value, lang="vi")  # reasons are kept on the assessment: Vietnamese figures


def _deprivation_sentence(result: Classification) -> str:
    names = [result.rules.indicators[code] for code in result.deprived]
    threshold = result.rules.deprivation_threshold
    if not names:
        return "không thiếu hụt chỉ số nào"
    listed = ", ".join(names)
    if len(names) >= threshold:
        return f"thiếu hụt {len(names)} chỉ số: {listed}"
    return f"thiếu hụt {len(names)} chỉ số (dưới {threshold}): {listed}"


def _explain(result: Classification) -> tuple[str, ...]:
    rules, area, income = result.rules, result.area, result.income
    where = AREA_NAMES[area]
    line = rules.poverty_line[area]
    medium = rules.medium_upper.get(area)
    i = f"Thu nhập {_money(income)}/người/tháng"
    deprivation = _deprivation_sentence(result)

    if rules.rule == EITHER_2016:
        near = rules.near_poverty_line[area]
        if income <= line:
            return (f"{i} ≤ chuẩn nghèo {where} {_money(line)} (nghèo về thu nhập, N1)",)
        if income <= near:
            band = f"{i} > chuẩn nghèo {where} {_money(line)} và ≤ chuẩn cận nghèo {_money(near)}"
            if result.poverty_class == POOR:
                return (band, f"{deprivation} (nghèo do thiếu hụt dịch vụ xã hội cơ bản, N2)")
            return (band, deprivation)
        above = f"{i} > chuẩn cận nghèo {where} {_money(near)}"
    else:
        if income <= line:
            return (f"{i} ≤ chuẩn nghèo {where} {_money(line)}", deprivation)
        above = f"{i} > chuẩn nghèo {where} {_money(line)}"

    if medium is None:
        return (above, "chuẩn này chưa quy định mức sống trung bình")
    if income <= medium:
        return (f"{above} và ≤ mức sống trung bình {_money(medium)}",)
    return (f"{i} > mức sống trung bình {where} {_money(medium)}",)
