"""The assessment (survey) workflow: create and update a draft (classified under the standard that
serves its review: `PovertyStandard.objects.for_review`), submit, withdraw, return, approve, delete."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import save_versioned
from core.formatting import fmt_date
from units import access

from .. import indicators
from ..classification import Classification, ClassificationError, classify
from ..income import ANNUAL, NEEDS_INCOME, NEEDS_MEMBER_COUNT, Income, IncomeError, income_figures
from ..models import Assessment, Household, PovertyStandard, review_standard_date
from ..selectors import open_assessment
from .chain import _chain_update, _refresh_latest_state, _save_chain, household_refresh_status
from .households import _snapshot_value

__all__ = [
    "OPEN_ASSESSMENT_EXISTS",
    "NOT_EDITABLE",
    "CANNOT_SUBMIT",
    "CANNOT_DECIDE",
    "DECIDES_OWN",
    "CANNOT_DELETE",
    "CANNOT_WITHDRAW",
    "RETURN_NEEDS_REASON",
    "NO_STANDARD",
    "NEEDS_INCOME",
    "NEEDS_MEMBER_COUNT",
    "EFFECTIVE_DATE_PERIODIC",
    "EFFECTIVE_DATE_REGULAR",
    "AssessmentError",
    "AssessmentInput",
    "Assessed",
    "standard_for",
    "assessment_classify",
    "mask_of",
    "codes_of",
    "assessment_create",
    "assessment_update",
    "assessment_snapshot",
    "assessment_submit",
    "assessment_withdraw",
    "assessment_return",
    "assessment_approve",
    "assessment_four_eyes",
    "assessment_delete",
]


OPEN_ASSESSMENT_EXISTS = _(
    "Hộ này đang có phiếu rà soát chưa duyệt (năm %(year)s, %(state)s). Hãy hoàn thành hoặc hủy phiếu đó trước."
)
NOT_EDITABLE = _(
    "Phiếu đang ở trạng thái “%(state)s” nên không sửa được. Chỉ sửa được phiếu nháp hoặc bị trả lại."
)
CANNOT_SUBMIT = _(
    "Chỉ gửi duyệt được phiếu nháp hoặc phiếu bị trả lại (phiếu đang ở trạng thái “%(state)s”)."
)
CANNOT_DECIDE = _("Chỉ duyệt hoặc trả lại được phiếu đang chờ duyệt (phiếu đang ở trạng thái “%(state)s”).")
CANNOT_DELETE = _("Chỉ hủy được phiếu nháp hoặc phiếu bị trả lại.")
CANNOT_WITHDRAW = _(
    "Chỉ rút lại được phiếu đang chờ duyệt (phiếu đang ở trạng thái “%(state)s”). "
    "Phiếu đã duyệt không sửa được: hãy lập phiếu rà soát thường xuyên nếu hộ có thay đổi."
)
DECIDES_OWN = _(
    "Bạn đã nhập hoặc gửi duyệt phiếu này nên không tự duyệt hay trả lại được: "
    "một lãnh đạo xã khác cần quyết định."
)
RETURN_NEEDS_REASON = _("Hãy ghi lý do trả lại để cán bộ biết cần sửa gì.")
NO_STANDARD = _(
    "Chưa có chuẩn nghèo nào có hiệu lực ngày %(date)s để áp dụng cho %(kind)s năm %(year)s. "
    "Hãy báo quản trị viên."
)
EFFECTIVE_DATE_PERIODIC = _(
    "Ngày hiệu lực của rà soát định kỳ năm %(year)s phải trong năm %(year)s hoặc năm %(next)s."
)
EFFECTIVE_DATE_REGULAR = _("Ngày hiệu lực của rà soát thường xuyên năm %(year)s phải trong năm %(year)s.")


class AssessmentError(ValueError):
    """An assessment write that breaks a rule; the message says how to fix it."""


# --- Assessments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInput:
    kind: str
    review_year: int
    effective_date: date
    area: str
    member_count: int
    deprived: frozenset[str]
    income_per_capita: int | None = None
    annual_income: int | None = None
    income_basis: str = ANNUAL  # which income figure the officer gave last (households.income)
    note: str = ""


@dataclass(frozen=True)
class Assessed:
    """What an assessment records from its inputs: the income pair and the classification."""

    income: Income
    classification: Classification


def standard_for(
    household: Household, *, kind: str, review_year: int, effective_date: date | None = None
) -> PovertyStandard:
    """The standard that serves this review of `household` (periodic: in force on 1 January of the
    next year; regular: in force on its effective date)."""
    try:
        return PovertyStandard.objects.for_review(kind, review_year, effective_date, household.province_id)
    except PovertyStandard.DoesNotExist:
        day = review_standard_date(kind, review_year, effective_date)
        raise AssessmentError(
            NO_STANDARD
            % {
                "date": fmt_date(day),
                "kind": Assessment.Kind(kind).label.lower(),
                "year": review_year,
            }
        ) from None


def _standard_of(household: Household, data: AssessmentInput) -> PovertyStandard:
    _check_dates(data)
    return standard_for(
        household, kind=data.kind, review_year=data.review_year, effective_date=data.effective_date
    )


def assessment_classify(
    *,
    standard: PovertyStandard,
    area: str,
    member_count: int | None,
    deprived: Iterable[str],
    annual_income: int | None,
    income_per_capita: int | None,
    income_basis: str = ANNUAL,
    rules=None,
) -> Assessed:
    """The income pair and the classification an assessment records from these inputs: what a
    save stores and what the live preview shows while the officer types."""
    try:
        income = income_figures(
            annual_income=annual_income,
            income_per_capita=income_per_capita,
            member_count=member_count,
            basis=income_basis,
        )
        result = classify(rules or standard.rules(), area, income.per_capita, deprived)
    except (IncomeError, ClassificationError) as error:
        raise AssessmentError(str(error)) from None
    return Assessed(income, result)


def _check_dates(data: AssessmentInput) -> None:
    year = data.effective_date.year
    if data.kind == Assessment.Kind.REGULAR and year != data.review_year:
        raise AssessmentError(EFFECTIVE_DATE_REGULAR % {"year": data.review_year})
    if data.kind == Assessment.Kind.PERIODIC and year not in (data.review_year, data.review_year + 1):
        raise AssessmentError(
            EFFECTIVE_DATE_PERIODIC % {"year": data.review_year, "next": data.review_year + 1}
        )


def _orders(standard: PovertyStandard) -> list[tuple[str, int]]:
    return list(standard.indicators.order_by("order").values_list("code", "order"))


def mask_of(standard: PovertyStandard, codes: Iterable[str]) -> int:
    known = dict(_orders(standard))
    return indicators.encode((code for code in codes if code in known), known)


def codes_of(standard: PovertyStandard, mask: int) -> list[str]:
    return indicators.decode(mask, _orders(standard))


def _fill(assessment: Assessment, data: AssessmentInput, standard: PovertyStandard) -> None:
    assessed = assessment_classify(
        standard=standard,
        area=data.area,
        member_count=data.member_count,
        deprived=data.deprived,
        annual_income=data.annual_income,
        income_per_capita=data.income_per_capita,
        income_basis=data.income_basis,
    )
    result = assessed.classification
    order = dict(_orders(standard))
    assessment.kind = data.kind
    assessment.review_year = data.review_year
    assessment.effective_date = data.effective_date
    assessment.standard = standard
    assessment.area = data.area
    assessment.member_count = data.member_count
    assessment.annual_income = assessed.income.annual
    assessment.income_per_capita = assessed.income.per_capita
    assessment.deprived_mask = indicators.encode(result.deprived, order)
    assessment.deprived_count = result.deprived_count
    assessment.result_class = result.poverty_class
    assessment.result_group = result.group
    assessment.reasons = "\n".join(result.reasons)
    assessment.note = data.note


@transaction.atomic
def assessment_create(
    *, household: Household, user, data: AssessmentInput, entered: bool = True
) -> Assessment:
    """A draft assessment, classified under the standard that serves its review. `entered=False`:
    a draft the system opens from the approved status (a confirmed escape), whose figures its
    opener did not enter, so that the opener may still decide it once an officer has done so."""
    Household.objects.select_for_update().filter(pk=household.pk).first()
    pending = open_assessment(household)
    if pending is not None:
        raise AssessmentError(
            OPEN_ASSESSMENT_EXISTS
            % {"year": pending.review_year, "state": pending.get_state_display().lower()}
        )
    standard = _standard_of(household, data)
    assessment = Assessment(
        household=household,
        province_id=household.province_id,
        district_id=household.district_id,
        commune_id=household.commune_id,
        village_id=household.village_id,
        state=Assessment.State.DRAFT,
        created_by=user,
        updated_by=user,
    )
    _fill(assessment, data, standard)
    assessment.save()
    if entered:
        assessment.entered_by.add(user)
    _refresh_latest_state(household.pk)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    user,
    data: AssessmentInput,
    expected_version: int,
    original: dict | None = None,
) -> Assessment:
    """Change a draft or returned assessment (reclassified). A returned one stays returned until
    it is submitted again, so the reason stays visible while the officer corrects it."""
    if not assessment.is_editable:
        raise AssessmentError(NOT_EDITABLE % {"state": assessment.get_state_display()})
    standard = _standard_of(assessment.household, data)
    _fill(assessment, data, standard)
    assessment.updated_by = user
    saved = save_versioned(assessment, expected_version=expected_version, original=original)
    assessment.entered_by.add(user)
    return saved


def assessment_snapshot(assessment: Assessment) -> dict:
    """What an assessment form shows when opened (JSON-ready)."""
    editable = [f for f in Assessment._meta.concrete_fields if f.editable and f.name not in ("id", "version")]
    return {f.attname: _snapshot_value(getattr(assessment, f.attname)) for f in editable}


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, expected_version: int | None = None) -> Assessment:
    if not assessment.is_editable:
        raise AssessmentError(CANNOT_SUBMIT % {"state": assessment.get_state_display()})
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.updated_by = user
    save_versioned(assessment, expected_version=_version(assessment, expected_version))
    _refresh_latest_state(assessment.household_id)
    return assessment


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, user, expected_version: int | None = None) -> Assessment:
    """Take a submitted assessment back to draft before the leader decides (the officer noticed a
    mistake): it can be edited and submitted again."""
    if assessment.state != Assessment.State.SUBMITTED:
        raise AssessmentError(CANNOT_WITHDRAW % {"state": assessment.get_state_display()})
    assessment.state = Assessment.State.DRAFT
    assessment.submitted_by = None
    assessment.submitted_at = None
    assessment.updated_by = user
    save_versioned(assessment, expected_version=_version(assessment, expected_version))
    _refresh_latest_state(assessment.household_id)
    return assessment


def assessment_four_eyes(assessment: Assessment, user) -> access.FourEyes:
    """Whether `user` may approve or return `assessment`: not when they entered or submitted it,
    unless its commune works with one officer (units.access.four_eyes)."""
    involved = [*(person.pk for person in assessment.entered_by.all()), assessment.submitted_by_id]
    return access.four_eyes(
        getattr(user, "pk", None),
        involved,
        one_person_commune=access.is_one_person_commune(assessment.commune, assessment.new_commune),
    )


def _require_four_eyes(assessment: Assessment, user) -> access.FourEyes:
    eyes = assessment_four_eyes(assessment, user)
    if not eyes.allowed:
        raise AssessmentError(DECIDES_OWN)
    return eyes


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, user, reason: str, expected_version: int | None = None
) -> Assessment:
    """Send a submitted assessment back to the officer with what to correct."""
    if assessment.state != Assessment.State.SUBMITTED:
        raise AssessmentError(CANNOT_DECIDE % {"state": assessment.get_state_display()})
    eyes = _require_four_eyes(assessment, user)
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(RETURN_NEEDS_REASON)
    assessment.state = Assessment.State.RETURNED
    assessment.returned_reason = reason
    assessment.decided_by = user
    assessment.decided_at = timezone.now()
    assessment.decided_alone = eyes.alone
    assessment.updated_by = user
    save_versioned(assessment, expected_version=_version(assessment, expected_version))
    _refresh_latest_state(assessment.household_id)
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user, expected_version: int | None = None) -> Assessment:
    """Approve a submitted assessment: it now counts. Its place among the household's approved
    assessments (by effective date) sets its predecessor, the change it made and how long it
    holds; the assessments after it are recomputed, and the household's current status follows."""
    if assessment.state != Assessment.State.SUBMITTED:
        raise AssessmentError(CANNOT_DECIDE % {"state": assessment.get_state_display()})
    eyes = _require_four_eyes(assessment, user)
    Household.objects.select_for_update().filter(pk=assessment.household_id).first()
    assessment.state = Assessment.State.APPROVED
    assessment.returned_reason = ""
    assessment.decided_by = user
    assessment.decided_at = timezone.now()
    assessment.decided_alone = eyes.alone
    assessment.updated_by = user
    others = _chain_update(assessment.household_id, including=assessment)
    save_versioned(assessment, expected_version=_version(assessment, expected_version))
    _save_chain(others)
    household_refresh_status(household_id=assessment.household_id)
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, user) -> None:
    """Discard a draft or returned assessment (the audit log keeps what it said)."""
    if not assessment.is_editable:
        raise AssessmentError(CANNOT_DELETE)
    household_id = assessment.household_id
    assessment.delete()
    _refresh_latest_state(household_id)


def _version(assessment: Assessment, expected_version: int | None) -> int:
    return assessment.version if expected_version is None else expected_version
