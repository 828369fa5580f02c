"""The dry run: what an import would change, computed before anything is written.

For every valid row the household is looked up by its key (commune, Mã hộ) among the households
of the affected communes (one query per chunk of communes, then one per chunk of matched
households for their head, approved assessments and lists). A row is new, updated (with the fields
that change, before → after) or unchanged."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _

from core.formatting import fmt_int

from ..classification import CLASS_LABELS
from ..models import Assessment, Household, Member
from . import values as v
from .validation import ParsedRow

CHUNK = 1000
EFFECTIVE_MONTH_DAY = (12, 15)  # a year-end review takes effect on 15 December (README: "Effective date")


def effective_date(year: int) -> date:
    return date(year, *EFFECTIVE_MONTH_DAY)


@dataclass
class Existing:
    household: tuple  # see HOUSEHOLD_FIELDS
    head: tuple | None  # see MEMBER_FIELDS
    assessments: list[tuple]  # approved, in chain order; see ASSESSMENT_FIELDS
    policy_ids: tuple[int, ...]
    cause_ids: tuple[int, ...]

    @property
    def pk(self) -> int:
        return self.household[0]

    def year_assessment(self, year: int) -> tuple | None:
        """The approved periodic assessment of this review year (the one the import replaces)."""
        found = None
        for assessment in self.assessments:
            if assessment[A_YEAR] == year and assessment[A_KIND] == Assessment.Kind.PERIODIC:
                found = assessment
        return found


HOUSEHOLD_FIELDS = (
    "id",
    "commune_id",
    "code",
    "village_id",
    "area",
    "head_name",
    "female_head",
    "ethnic_minority",
    "member_count",
    "status_class",
    "status_group",
    "status_year",
    "latest_state",
    "version",
)
H = {name: i for i, name in enumerate(HOUSEHOLD_FIELDS)}
MEMBER_FIELDS = ("household_id", "id", "full_name", "sex", "birth_year", "citizen_id", "ethnicity")
ASSESSMENT_FIELDS = (
    "household_id",
    "id",
    "effective_date",
    "review_year",
    "kind",
    "result_class",
    "result_group",
    "previous_id",
    "change",
    "valid_until",
    "import_job_id",
    "standard_id",
    "area",
    "member_count",
    "income_per_capita",
    "deprived_mask",
    "commune_class",
    "version",
)
A = {name: i for i, name in enumerate(ASSESSMENT_FIELDS)}
A_YEAR, A_KIND = A["review_year"], A["kind"]


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    def as_text(self) -> str:
        return f"{self.label}: {self.before or '—'} → {self.after or '—'}"


@dataclass
class Plan:
    year: int
    rows: list[ParsedRow]
    present: frozenset[str]
    created: list[ParsedRow] = field(default_factory=list)
    updated: list[tuple[ParsedRow, Existing, list[FieldChange]]] = field(default_factory=list)
    unchanged: int = 0
    counts: dict = field(default_factory=lambda: {"poor": 0, "near_poor": 0, "medium": 0, "not_poor": 0})
    poor_income: int = 0
    poor_deprivation: int = 0
    changed_fields: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@lru_cache(maxsize=1024)
def ethnic_minority(ethnicity: str) -> bool:
    """Every ethnic group other than the Kinh majority is an ethnic minority."""
    return bool(ethnicity) and v.key(ethnicity) != "kinh"


def _label(cls: str) -> str:
    return CLASS_LABELS.get(cls, "") if cls else ""


def load_existing(keys: set[tuple[int, str]]) -> dict[tuple[int, str], Existing]:
    """Households of the file already in the database, with what the diff compares."""
    by_commune: dict[int, set[str]] = defaultdict(set)
    for commune_id, code in keys:
        by_commune[commune_id].add(code)
    communes = sorted(by_commune)
    households: dict[int, tuple] = {}
    for start in range(0, len(communes), 50):
        chunk = communes[start : start + 50]
        for row in (
            Household.objects.filter(commune_id__in=chunk).values_list(*HOUSEHOLD_FIELDS).iterator(2000)
        ):
            if row[H["code"]] in by_commune[row[H["commune_id"]]]:
                households[row[0]] = row
    ids = sorted(households)
    heads: dict[int, tuple] = {}
    chains: dict[int, list[tuple]] = defaultdict(list)
    policies: dict[int, list[int]] = defaultdict(list)
    causes: dict[int, list[int]] = defaultdict(list)
    policy_through = Household.policy_groups.through
    cause_through = Household.causes.through
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in (
            Member.objects.filter(household_id__in=chunk, relation=Member.Relation.HEAD)
            .order_by("household_id", "order", "pk")
            .values_list(*MEMBER_FIELDS)
        ):
            heads.setdefault(row[0], row)
        for row in (
            Assessment.objects.filter(household_id__in=chunk, state=Assessment.State.APPROVED)
            .order_by("household_id", "effective_date", "pk")
            .values_list(*ASSESSMENT_FIELDS)
        ):
            chains[row[0]].append(row)
        for household_id, pk in policy_through.objects.filter(household_id__in=chunk).values_list(
            "household_id", "policygroup_id"
        ):
            policies[household_id].append(pk)
        for household_id, pk in cause_through.objects.filter(household_id__in=chunk).values_list(
            "household_id", "povertycause_id"
        ):
            causes[household_id].append(pk)
    return {
        (row[H["commune_id"]], row[H["code"]]): Existing(
            row,
            heads.get(pk),
            chains.get(pk, []),
            tuple(sorted(policies.get(pk, ()))),
            tuple(sorted(causes.get(pk, ()))),
        )
        for pk, row in households.items()
    }


SEX_LABELS = {v.MALE: "Nam", v.FEMALE: "Nữ"}


def diff(
    row: ParsedRow, existing: Existing, *, year: int, present: frozenset[str], village_names: dict
) -> list[FieldChange]:
    """The fields of the household, its head and its year-end result that the row changes."""
    changes: list[FieldChange] = []
    household = existing.household

    def compare(label, before, after, shown_before=None, shown_after=None):
        if before != after:
            changes.append(
                FieldChange(
                    label,
                    str(shown_before if shown_before is not None else before or ""),
                    str(shown_after if shown_after is not None else after or ""),
                )
            )

    if "village" in present:
        before = household[H["village_id"]]
        if isinstance(row.village, tuple) or row.village != before:
            changes.append(
                FieldChange(
                    _("Thôn/Tổ dân phố"), village_names.get(before, ""), village_names.get(row.village, "")
                )
            )
    compare(_("Khu vực"), household[H["area"]], row.area, _area(household[H["area"]]), _area(row.area))
    compare(_("Họ và tên chủ hộ"), household[H["head_name"]], row.head_name)
    compare(_("Số nhân khẩu"), household[H["member_count"]], row.member_count)
    if "sex" in present:
        compare(
            _("Chủ hộ là nữ"),
            household[H["female_head"]],
            row.sex == v.FEMALE,
            _("có") if household[H["female_head"]] else _("không"),
            _("có") if row.sex == v.FEMALE else _("không"),
        )
    if "ethnicity" in present:
        compare(
            _("Hộ dân tộc thiểu số"),
            household[H["ethnic_minority"]],
            ethnic_minority(row.ethnicity),
            _("có") if household[H["ethnic_minority"]] else _("không"),
            _("có") if ethnic_minority(row.ethnicity) else _("không"),
        )
    if "policy_groups" in present:
        compare(
            _("Đối tượng chính sách"),
            existing.policy_ids,
            row.policy_ids,
            len(existing.policy_ids),
            len(row.policy_ids),
        )
    if "causes" in present:
        compare(
            _("Nguyên nhân nghèo"),
            existing.cause_ids,
            row.cause_ids,
            len(existing.cause_ids),
            len(row.cause_ids),
        )
    head = existing.head
    if head is None:
        changes.append(FieldChange(_("Chủ hộ (nhân khẩu)"), "", row.head_name))
    else:
        compare(
            _("Giới tính chủ hộ"), head[3], row.sex, SEX_LABELS.get(head[3], ""), SEX_LABELS.get(row.sex, "")
        )
        compare(_("Năm sinh chủ hộ"), head[4], row.birth_year)
        if "citizen_id" in present:
            compare(_("Số CCCD"), head[5], row.citizen_id)
        if "ethnicity" in present:
            compare(_("Dân tộc"), head[6], row.ethnicity)
    current = existing.year_assessment(year)
    if current is None:
        changes.append(
            FieldChange(_("Kết quả rà soát năm %(year)s") % {"year": year}, "", _label(row.result_class))
        )
    else:
        compare(
            _("Khu vực (phiếu)"), current[A["area"]], row.area, _area(current[A["area"]]), _area(row.area)
        )
        compare(_("Số nhân khẩu (phiếu)"), current[A["member_count"]], row.member_count)
        # Figures as the audit log keeps them, whatever the language of the person importing.
        compare(
            _("Thu nhập bình quân"),
            current[A["income_per_capita"]],
            row.income,
            fmt_int(current[A["income_per_capita"]], lang="vi"),
            fmt_int(row.income, lang="vi"),
        )
        compare(
            _("Chỉ số thiếu hụt"),
            current[A["deprived_mask"]],
            row.mask,
            _mask_text(current[A["deprived_mask"]]),
            _mask_text(row.mask),
        )
        compare(_("Chuẩn nghèo"), current[A["standard_id"]], row.standard_id)
        if "commune_class" in present:
            compare(
                _("Phân loại của xã"),
                current[A["commune_class"]],
                row.commune_class,
                _label(current[A["commune_class"]]),
                _label(row.commune_class),
            )
        compare(
            _("Phân loại"),
            (current[A["result_class"]], current[A["result_group"]]),
            (row.result_class, row.result_group),
            _label(current[A["result_class"]]),
            _label(row.result_class),
        )
    return changes


def _area(value: str) -> str:
    return {"rural": "Nông thôn", "urban": "Thành thị"}.get(value, value or "")


def _mask_text(mask: int) -> str:
    bits = [str(i + 1) for i in range(30) if mask >> i & 1]
    return _("số %(list)s") % {"list": ", ".join(bits)} if bits else _("không")


def build_plan(
    rows: list[ParsedRow], *, year: int, present: frozenset[str], village_names: dict | None = None
) -> Plan:
    plan = Plan(year=year, rows=rows, present=present)
    village_names = village_names or {}
    for row in rows:
        plan.counts[row.result_class] += 1
        if row.result_class == "poor" and row.result_group:
            if row.result_group == "income":
                plan.poor_income += 1
            else:
                plan.poor_deprivation += 1
    existing = load_existing({row.key for row in rows})
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            plan.created.append(row)
            continue
        changes = diff(row, found, year=year, present=present, village_names=village_names)
        if changes:
            plan.updated.append((row, found, changes))
            for change in changes:
                plan.changed_fields[change.label] += 1
        else:
            plan.unchanged += 1
    return plan
