"""Writes for targets and registrations. Views, the import command and the demo all call these.

Every function is keyword-only, validates, writes inside one transaction, and returns what it
wrote. Errors users can fix raise `TargetError` / `RegistrationError` with a Vietnamese message."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import save_versioned
from core.formatting import fmt_date, fmt_int
from households.models import Household, PovertyClass
from units import access
from units.models import AdministrativeUnit, Organisation
from units.services import organisation_ensure

from . import selectors
from .allocation import balance, share_of
from .models import AnnualTarget, HelpEntry, Outcome, Registration


class TargetError(ValueError):
    pass


class RegistrationError(ValueError):
    pass


# Messages users see (tests assert them).
DUPLICATE_TARGET = _("{unit} đã có chỉ tiêu năm {year} của {owner}. Hãy mở chỉ tiêu đó để sửa.")
MISMATCH_NEEDS_REASON = _(
    "Tổng chỉ tiêu các đơn vị cấp dưới chưa khớp với {unit}: {details}. "
    "Hãy sửa cho khớp, hoặc ghi lý do chênh lệch rồi lưu lại."
)
MISMATCH_DETAIL = _("{measure} {children} so với {parent} (chênh {difference})")
NEGATIVE_FIGURE = _("Số hộ phải là số nguyên không âm.")
SHARE_NEEDS_LOCALITY = _("Chỉ giao phần cho tổ chức từ chỉ tiêu của địa phương (chính quyền).")
NOT_A_MASS_ORGANISATION = _("Chỉ giao phần chỉ tiêu cho các hội, đoàn thể.")
NOT_ELIGIBLE = _(
    "Hộ không phải hộ nghèo hay hộ cận nghèo trong năm {year} theo kết quả rà soát đã duyệt, "
    "nên không đăng ký giúp thoát nghèo được."
)
DUPLICATE_REGISTRATION = _("{organisation} đã đăng ký giúp hộ này trong năm {year}.")
HELP_IN_FUTURE = _("Ngày hỗ trợ không được sau hôm nay.")
HELP_BEFORE_YEAR = _("Ngày hỗ trợ phải từ 01/01/{year} trở đi: hộ được đăng ký giúp trong năm {year}.")
OUTCOME_NOT_FOR_CLASS = _("Hộ đăng ký là {klass}: kết quả chỉ có thể là “{allowed}” hoặc “Chưa thoát”.")
ALREADY_CONFIRMED = _("Kết quả đã được xã xác nhận ngày {date}; không sửa được đề xuất nữa.")
NOTHING_PROPOSED = _("Tổ chức chưa đề xuất kết quả cho hộ này nên chưa xác nhận được.")
CONFIRMED_IN_FUTURE = _("Ngày xác nhận không được sau hôm nay.")
CONFIRMED_BEFORE_REGISTRATION = _("Ngày xác nhận không được trước ngày đăng ký ({date}).")
CONFIRMS_OWN = _("Bạn đã đề xuất kết quả này nên không tự xác nhận được: một lãnh đạo xã khác cần xác nhận.")


def _owner(organisation: Organisation | None) -> str:
    return organisation.name if organisation else _("chính quyền địa phương")


def _check_counts(*values: int) -> None:
    if any(value is None or value < 0 for value in values):
        raise TargetError(NEGATIVE_FIGURE)


# --- Targets --------------------------------------------------------------------------------------


def baseline_compute(*, assessments: QuerySet, unit: AdministrativeUnit, year: int) -> selectors.Baseline:
    """The unit's households by class on 1 January of `year` from approved assessments."""
    return selectors.baseline_of(assessments, unit, selectors.baseline_date(year))


def _freeze_baseline(
    target: AnnualTarget, computed: selectors.Baseline, entered: selectors.Baseline | None
) -> None:
    target.baseline_date = selectors.baseline_date(target.year)
    if computed.has_data:
        target.baseline_source = AnnualTarget.BaselineSource.COMPUTED
        baseline = computed
    else:
        target.baseline_source = AnnualTarget.BaselineSource.ENTERED
        baseline = entered or selectors.Baseline()
    for name, value in baseline.as_target_fields().items():
        setattr(target, name, value)


def target_create(
    *,
    unit: AdministrativeUnit,
    year: int,
    reduce_poor: int,
    reduce_near_poor: int,
    assessments: QuerySet,
    user,
    organisation: Organisation | None = None,
    entered: selectors.Baseline | None = None,
    parent: AnnualTarget | None = None,
    share_percent: Decimal | None = None,
    position: int = 0,
    note: str = "",
) -> AnnualTarget:
    """A new target with its baseline frozen: computed from approved assessments on 1 January
    when the unit has household data, else the `entered` figures (marked as entered)."""
    _check_counts(reduce_poor, reduce_near_poor)
    duplicate = AnnualTarget.objects.filter(unit=unit, year=year, organisation=organisation).exists()
    if duplicate:
        raise TargetError(DUPLICATE_TARGET.format(unit=unit.name, year=year, owner=_owner(organisation)))
    target = AnnualTarget(
        unit=unit,
        year=year,
        organisation=organisation,
        parent=parent,
        reduce_poor=reduce_poor,
        reduce_near_poor=reduce_near_poor,
        share_percent=share_percent,
        position=position,
        note=note,
        created_by=user,
        updated_by=user,
    )
    _freeze_baseline(target, baseline_compute(assessments=assessments, unit=unit, year=year), entered)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:
        raise TargetError(
            DUPLICATE_TARGET.format(unit=unit.name, year=year, owner=_owner(organisation))
        ) from error
    return target


def target_update(
    *,
    target: AnnualTarget,
    expected_version: int,
    user,
    reduce_poor: int,
    reduce_near_poor: int,
    note: str = "",
    entered: selectors.Baseline | None = None,
    original: dict | None = None,
) -> AnnualTarget:
    """Change a target's figures; an entered baseline may be corrected, a computed one stays frozen."""
    _check_counts(reduce_poor, reduce_near_poor)
    target.reduce_poor = reduce_poor
    target.reduce_near_poor = reduce_near_poor
    target.note = note
    target.updated_by = user
    if entered is not None and target.baseline_source == AnnualTarget.BaselineSource.ENTERED:
        for name, value in entered.as_target_fields().items():
            setattr(target, name, value)
    return save_versioned(target, expected_version=expected_version, original=original)


@dataclass
class ChildAllocation:
    unit: AdministrativeUnit
    reduce_poor: int
    reduce_near_poor: int


def _family_organisation(parent: AnnualTarget, unit: AdministrativeUnit) -> Organisation | None:
    if parent.organisation is None:
        return None
    return organisation_ensure(unit=unit, kind=parent.organisation.kind)


def mismatch_details(parent: AnnualTarget, rows: Sequence[ChildAllocation]) -> list[str]:
    """What does not add up, in words ("hộ nghèo 30 so với 37 (chênh −7)"); empty when balanced."""
    details = []
    for measure, field in ((_("hộ nghèo"), "reduce_poor"), (_("hộ cận nghèo"), "reduce_near_poor")):
        result = balance(getattr(parent, field), [getattr(row, field) for row in rows])
        if not result.balanced:
            details.append(
                MISMATCH_DETAIL.format(
                    measure=measure,
                    children=fmt_int(result.children),
                    parent=fmt_int(result.parent),
                    difference=f"{'+' if result.difference > 0 else ''}{fmt_int(result.difference)}",
                )
            )
    return details


def target_allocate(
    *,
    parent: AnnualTarget,
    rows: Sequence[ChildAllocation],
    mismatch_reason: str,
    assessments: QuerySet,
    user,
    expected_version: int,
) -> list[AnnualTarget]:
    """Set the children's targets in one go. Children that add up to the parent clear its mismatch
    reason; children that do not need a stated reason, kept on the parent. New children get their
    baseline frozen (computed from their households, else entered as 0 to be corrected); a child
    left at 0 and 0 with no target yet gets none, and a child whose figures are unchanged is not
    saved again. The parent's version guards against two people allocating at once. Returns the
    children's targets created or changed."""
    for row in rows:
        _check_counts(row.reduce_poor, row.reduce_near_poor)
    details = mismatch_details(parent, rows)
    reason = mismatch_reason.strip()
    if details and not reason:
        raise TargetError(MISMATCH_NEEDS_REASON.format(unit=parent.unit.name, details="; ".join(details)))
    saved = []
    with transaction.atomic():
        parent.mismatch_reason = reason if details else ""
        parent.updated_by = user
        save_versioned(parent, expected_version=expected_version)
        computed = selectors.baselines_by_child(
            assessments, parent.unit, selectors.baseline_date(parent.year)
        )
        position = 0  # among the children with a target: a unit left without one takes no place
        for row in rows:
            organisation = _family_organisation(parent, row.unit)
            target = AnnualTarget.objects.filter(
                unit=row.unit, year=parent.year, organisation=organisation
            ).first()
            if target is None:
                if not row.reduce_poor and not row.reduce_near_poor:
                    continue
                target = AnnualTarget(
                    unit=row.unit, year=parent.year, organisation=organisation, created_by=user
                )
                _freeze_baseline(target, computed.get(row.unit.pk, selectors.Baseline()), None)
            position += 1
            allocated = {
                "parent_id": parent.pk,
                "position": position,
                "reduce_poor": row.reduce_poor,
                "reduce_near_poor": row.reduce_near_poor,
                "share_percent": parent.share_percent,
            }
            if target.pk and all(getattr(target, name) == value for name, value in allocated.items()):
                continue
            for name, value in allocated.items():
                setattr(target, name, value)
            target.updated_by = user
            if target.pk:
                target.version += 1
            target.save()
            saved.append(target)
    return saved


def target_share_assign(*, target: AnnualTarget, kind: str, percent: Decimal, user) -> list[AnnualTarget]:
    """An organisation's share of a locality's targets: at the target's unit and at each child
    unit the locality allocated to, the organisation of `kind` there gets `percent` of the
    locality's figures, rounded half-up per unit (allocation.share_of). The share at the top is
    the sum of the children's shares when there are children — the source's total row — else the
    share of the top figure itself. Baselines are copied from the locality's targets."""
    if target.organisation_id is not None:
        raise TargetError(SHARE_NEEDS_LOCALITY)
    if kind not in Organisation.MASS_ORGANISATIONS:
        raise TargetError(NOT_A_MASS_ORGANISATION)
    locality_children = list(selectors.children_of(target))
    saved = []
    with transaction.atomic():
        top = _share_target(target, kind, percent, user, parent=None)
        for child in locality_children:
            share = _share_target(child, kind, percent, user, parent=top)
            saved.append(share)
        if saved:
            top.reduce_poor = sum(share.reduce_poor for share in saved)
            top.reduce_near_poor = sum(share.reduce_near_poor for share in saved)
            top.version += 1
            top.save()
    return [top, *saved]


def _share_target(locality: AnnualTarget, kind: str, percent: Decimal, user, parent: AnnualTarget | None):
    organisation = organisation_ensure(unit=locality.unit, kind=kind)
    share = AnnualTarget.objects.filter(
        unit=locality.unit, year=locality.year, organisation=organisation
    ).first()
    if share is None:
        share = AnnualTarget(
            unit=locality.unit, year=locality.year, organisation=organisation, created_by=user
        )
    else:
        share.version += 1
    share.parent = parent if parent is not None else share.parent
    share.position = locality.position
    share.share_percent = percent
    share.reduce_poor = share_of(locality.reduce_poor, percent)
    share.reduce_near_poor = share_of(locality.reduce_near_poor, percent)
    share.baseline_source = locality.baseline_source
    share.baseline_date = locality.baseline_date
    for name, value in selectors.Baseline.of_target(locality).as_target_fields().items():
        setattr(share, name, value)
    share.updated_by = user
    share.save()
    return share


def target_save_imported(
    *,
    unit: AdministrativeUnit,
    year: int,
    baseline: selectors.Baseline,
    reduce_poor: int,
    user,
    parent: AnnualTarget | None = None,
    position: int = 0,
    note: str = "",
) -> tuple[AnnualTarget, bool]:
    """The locality's target of `unit` as read from a target table (baseline marked imported);
    updates the existing target. Returns (target, created)."""
    _check_counts(reduce_poor)
    target = AnnualTarget.objects.filter(unit=unit, year=year, organisation__isnull=True).first()
    created = target is None
    if created:
        target = AnnualTarget(unit=unit, year=year, created_by=user)
    else:
        target.version += 1
    target.reduce_poor = reduce_poor
    target.parent = parent if parent is not None else target.parent
    target.position = position
    target.baseline_source = AnnualTarget.BaselineSource.IMPORTED
    target.baseline_date = selectors.baseline_date(year)
    for name, value in baseline.as_target_fields().items():
        setattr(target, name, value)
    if note:
        target.note = note
    target.updated_by = user
    target.save()
    return target, created


# --- Registrations --------------------------------------------------------------------------------

OUTCOME_FOR_CLASS = {
    PovertyClass.POOR: Outcome.ESCAPED_POVERTY,
    PovertyClass.NEAR_POOR: Outcome.ESCAPED_NEAR_POVERTY,
}


def registration_create(
    *,
    organisation: Organisation,
    household: Household,
    year: int,
    user,
    today: date | None = None,
    registered_on: date | None = None,
    circumstances: str = "",
    causes: Iterable = (),
    needs: str = "",
    measures: Iterable = (),
    responsible_member: str = "",
    note: str = "",
) -> Registration:
    """Register a poor or near-poor household for the organisation to help in `year`; its class
    in that year is recorded with it. The same organisation registers a household once a year."""
    today = today or timezone.localdate()
    klass = selectors.class_in_year(household, year=year, today=today)
    if klass not in OUTCOME_FOR_CLASS:
        raise RegistrationError(NOT_ELIGIBLE.format(year=year))
    if Registration.objects.filter(organisation=organisation, household=household, year=year).exists():
        raise RegistrationError(DUPLICATE_REGISTRATION.format(organisation=organisation.name, year=year))
    registration = Registration(
        organisation=organisation,
        household=household,
        year=year,
        registered_on=registered_on or today,
        class_at_registration=klass,
        circumstances=circumstances,
        needs=needs,
        responsible_member=responsible_member,
        note=note,
        created_by=user,
        updated_by=user,
    )
    try:
        with transaction.atomic():
            registration.save()
            registration.causes.set(causes)
            registration.measures.set(measures)
    except IntegrityError as error:
        raise RegistrationError(
            DUPLICATE_REGISTRATION.format(organisation=organisation.name, year=year)
        ) from error
    return registration


def registration_update(
    *,
    registration: Registration,
    expected_version: int,
    user,
    circumstances: str,
    causes: Iterable,
    needs: str,
    measures: Iterable,
    responsible_member: str,
    note: str,
    original: dict | None = None,
) -> Registration:
    registration.circumstances = circumstances
    registration.needs = needs
    registration.responsible_member = responsible_member
    registration.note = note
    registration.updated_by = user
    with transaction.atomic():
        save_versioned(registration, expected_version=expected_version, original=original)
        registration.causes.set(causes)
        registration.measures.set(measures)
    return registration


def _refresh_last_help(registration: Registration) -> None:
    # A plain update: adding help must not overwrite what someone else is editing on the registration.
    last = registration.help_entries.aggregate(last=Max("date"))["last"]
    Registration.objects.filter(pk=registration.pk).update(last_help_on=last)
    registration.last_help_on = last


def help_entry_add(
    *,
    registration: Registration,
    kind: str,
    value: int,
    date: date,
    user,
    note: str = "",
    today: date | None = None,
) -> HelpEntry:
    """Record help delivered to a registered household (value in đồng)."""
    today = today or timezone.localdate()
    if date > today:
        raise RegistrationError(HELP_IN_FUTURE)
    if date.year < registration.year:
        raise RegistrationError(HELP_BEFORE_YEAR.format(year=registration.year))
    if value is None or value < 0:
        raise RegistrationError(NEGATIVE_FIGURE)
    with transaction.atomic():
        entry = HelpEntry.objects.create(
            registration=registration, kind=kind, value=value, date=date, note=note, created_by=user
        )
        _refresh_last_help(registration)
    return entry


def help_entry_delete(*, entry: HelpEntry, user) -> Registration:
    registration = entry.registration
    with transaction.atomic():
        entry.delete()
        _refresh_last_help(registration)
    return registration


def _check_outcome(registration: Registration, outcome: str) -> None:
    allowed = OUTCOME_FOR_CLASS.get(registration.class_at_registration)
    if outcome not in (allowed, Outcome.NOT_YET):
        raise RegistrationError(
            OUTCOME_NOT_FOR_CLASS.format(
                klass=PovertyClass(registration.class_at_registration).label.lower()
                if registration.class_at_registration in PovertyClass.values
                else registration.class_at_registration,
                allowed=Outcome(allowed).label if allowed else "",
            )
        )


def registration_propose_outcome(
    *, registration: Registration, outcome: str, user, expected_version: int
) -> Registration:
    """The organisation's proposed outcome, to be confirmed by the commune."""
    if registration.confirmed_outcome:
        raise RegistrationError(ALREADY_CONFIRMED.format(date=fmt_date(registration.confirmed_on)))
    _check_outcome(registration, outcome)
    registration.proposed_outcome = outcome
    registration.proposed_by = user
    registration.proposed_at = timezone.now()
    registration.updated_by = user
    return save_versioned(registration, expected_version=expected_version)


def registration_four_eyes(registration: Registration, user) -> access.FourEyes:
    """Whether `user` may confirm the registration's proposed outcome: not its proposer, unless the
    household's commune works with one officer (units.access.four_eyes)."""
    household = registration.household
    return access.four_eyes(
        getattr(user, "pk", None),
        [registration.proposed_by_id],
        one_person_commune=access.is_one_person_commune(household.commune, household.new_commune),
    )


def registration_confirm_outcome(
    *,
    registration: Registration,
    outcome: str,
    confirmed_on: date,
    user,
    expected_version: int,
    today: date | None = None,
) -> Registration:
    """A commune leader confirms the outcome (the one proposed, or corrects it) with a date."""
    today = today or timezone.localdate()
    if not registration.proposed_outcome:
        raise RegistrationError(NOTHING_PROPOSED)
    eyes = registration_four_eyes(registration, user)
    if not eyes.allowed:
        raise RegistrationError(CONFIRMS_OWN)
    _check_outcome(registration, outcome)
    if confirmed_on > today:
        raise RegistrationError(CONFIRMED_IN_FUTURE)
    if confirmed_on < registration.registered_on:
        raise RegistrationError(
            CONFIRMED_BEFORE_REGISTRATION.format(date=fmt_date(registration.registered_on))
        )
    registration.confirmed_outcome = outcome
    registration.confirmed_on = confirmed_on
    registration.confirmed_by = user
    registration.confirmed_alone = eyes.alone
    registration.updated_by = user
    with transaction.atomic():
        saved = save_versioned(registration, expected_version=expected_version)
        if outcome in (Outcome.ESCAPED_POVERTY, Outcome.ESCAPED_NEAR_POVERTY):
            escape_review_open(registration=saved, user=user)
    return saved


ESCAPE_REVIEW_NOTE = _(
    "Rà soát thường xuyên: xã xác nhận hộ được %(organisation)s giúp đỡ đã %(outcome)s ngày %(date)s. "
    "Hãy cập nhật thu nhập, thiếu hụt và gửi duyệt."
)


def escape_review_open(*, registration: Registration, user):
    """The regular review a confirmed escape starts: a draft assessment of the household, filled
    from its current status, listed for the commune officer. The household's status (and every
    figure) changes only when a leader approves it. None when one is already open or the household
    has no approved status to start from."""
    from households import services as household_services
    from households.models import Assessment
    from households.selectors import open_assessment

    household = registration.household
    if open_assessment(household) is not None:
        return None
    latest = (
        household.assessments.filter(state=Assessment.State.APPROVED)
        .order_by("-effective_date", "-pk")
        .select_related("standard")
        .first()
    )
    if latest is None:
        return None
    on = registration.confirmed_on
    data = household_services.AssessmentInput(
        kind=Assessment.Kind.REGULAR,
        review_year=on.year,
        effective_date=on,
        area=latest.area,
        member_count=latest.member_count,
        deprived=frozenset(household_services.codes_of(latest.standard, latest.deprived_mask)),
        income_per_capita=latest.income_per_capita,
        note=ESCAPE_REVIEW_NOTE
        % {
            "organisation": registration.organisation.name,
            "outcome": Outcome(registration.confirmed_outcome).label.lower(),
            "date": fmt_date(on),
        },
    )
    try:
        return household_services.assessment_create(household=household, user=user, data=data, entered=False)
    except household_services.AssessmentError:
        return None  # no standard for that date, say: the officer opens the review by hand
