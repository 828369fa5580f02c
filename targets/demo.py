"""Demo targets and registrations, loaded by `manage.py load_demo` after units.demo and
households.demo. Running it again changes nothing.

Đà Nẵng 2017 (KH 12/KH-BTV of the city Women's Union): the locality's targets per district
(poor / near-poor) and the Union's 20 % share, exactly as the plan's table (420/350 → 84/70 …
totals 4.400/2.300 → 880/460). The plan gives only targets, no baseline: the targets are stored
with an *entered* baseline of zeros and a note saying so (the demo households of Đà Nẵng are a
sample, not the city's population, so a computed baseline would be wrong).

Cam Lộ 2021 (KH 44/KH-UBND of the district People's Committee): the target per commune
(17, 6, 5, 5, 1, 2, 1, 0; total 37) in the plan's row order. Each commune's baseline is computed
from the demo's approved end-2020 reviews when they give exactly the plan's figures; otherwise —
and always for the plan's two inconsistent rows, TT Cam Lộ and Cam Nghĩa, whose groups do not add
up — the plan's figures are stored as printed, marked *imported*, with a note; the target table
then shows those two rows flagged, as the plan's own figures are.

Registrations: the Women's Union registers female-headed poor and near-poor households in both
places, records help (loans from the Bank for Social Policies, livelihood support…), proposes
outcomes, and the commune confirms some of them."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from households.models import Assessment, Household, PovertyClass
from households.selectors import status_on_q
from units.models import AdministrativeUnit, AdminVersion, Organisation
from units.services import organisation_ensure

from . import selectors, services
from .models import AnnualTarget, HelpEntry, Outcome, Registration, SupportMeasure

PRE = AdminVersion.PRE2025

# (district code, locality poor, near-poor) in the plan's order; the Union's share is 20 %.
DA_NANG_2017 = [
    ("492", 420, 350),  # Hải Châu
    ("491", 520, 350),  # Thanh Khê
    ("493", 820, 370),  # Sơn Trà
    ("494", 380, 350),  # Ngũ Hành Sơn
    ("495", 580, 250),  # Cẩm Lệ
    ("490", 870, 350),  # Liên Chiểu
    ("497", 810, 280),  # Hòa Vang
]
DA_NANG_SHARE = Decimal(20)
DA_NANG_NOTE = (
    "Chỉ tiêu theo Kế hoạch số 12/KH-BTV ngày 24/01/2017 của Hội LHPN TP Đà Nẵng. "
    "Kế hoạch không ghi số liệu đầu kỳ nên số liệu đầu kỳ để trống (nhập tay)."
)

# (commune code, name in the plan, households, poor, policy-supported, social protection, reduce)
CAM_LO_2021 = [
    ("19600", "Xã Cam Tuyền", 1458, 99, 44, 55, 17),
    ("19603", "Xã Thanh An", 2706, 99, 16, 83, 6),
    ("19606", "Xã Cam Thủy", 1472, 43, 7, 36, 5),
    ("19615", "Xã Cam Hiếu", 1779, 37, 10, 27, 5),
    ("19612", "Xã Cam Thành", 2212, 38, 1, 37, 1),
    ("19597", "TT Cam Lộ", 2169, 29, 0, 38, 2),
    ("19621", "Xã Cam Nghĩa", 1647, 38, 1, 28, 1),
    ("19618", "Xã Cam Chính", 1489, 22, 0, 22, 0),
]
CAM_LO_TOTAL = (14932, 405, 79, 326, 37)
CAM_LO_NOTE = "Theo Kế hoạch số 44/KH-UBND của UBND huyện Cam Lộ (chỉ tiêu giảm nghèo năm 2021)."
CAM_LO_MISMATCH_NOTE = (
    "Số liệu đầu kỳ ghi như bảng của Kế hoạch 44/KH-UBND; dòng này trong bảng không khớp "
    "(hộ nghèo theo nhóm cộng lại khác tổng hộ nghèo), giữ nguyên để đối chiếu."
)
CAM_LO_IMPORTED_NOTE = (
    "Số liệu đầu kỳ ghi như bảng của Kế hoạch 44/KH-UBND (dữ liệu hộ của bản mẫu không khớp bảng)."
)


def _unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.by_code(code, PRE)


def _upsert_target(*, unit, year, organisation=None, **fields) -> AnnualTarget:
    target, _created = AnnualTarget.objects.update_or_create(
        unit=unit, year=year, organisation=organisation, defaults=fields
    )
    return target


def _entered_zero(year: int) -> dict:
    return {
        "baseline_source": AnnualTarget.BaselineSource.ENTERED,
        "baseline_date": selectors.baseline_date(year),
        **selectors.Baseline().as_target_fields(),
    }


@transaction.atomic
def load_da_nang() -> list[AnnualTarget]:
    city = _unit("48")
    top = _upsert_target(
        unit=city,
        year=2017,
        reduce_poor=sum(row[1] for row in DA_NANG_2017),
        reduce_near_poor=sum(row[2] for row in DA_NANG_2017),
        note=DA_NANG_NOTE,
        **_entered_zero(2017),
    )
    for position, (code, poor, near_poor) in enumerate(DA_NANG_2017, start=1):
        district = _unit(code)
        _upsert_target(
            unit=district,
            year=2017,
            parent=top,
            position=position,
            reduce_poor=poor,
            reduce_near_poor=near_poor,
            note=DA_NANG_NOTE,
            **_entered_zero(2017),
        )
        union = organisation_ensure(unit=district, kind=Organisation.Kind.WOMENS_UNION)
        short = f"Hội LHPN {district.name[0].lower()}{district.name[1:]}"
        if union.short_name != short:
            union.short_name = short
            union.save(update_fields=["short_name"])
    return services.target_share_assign(
        target=top, kind=Organisation.Kind.WOMENS_UNION, percent=DA_NANG_SHARE, user=None
    )


def _computed(unit: AdministrativeUnit, year: int) -> selectors.Baseline:
    return selectors.baseline_of(Assessment.objects.all(), unit, selectors.baseline_date(year))


def _plan_baseline(households: int, poor: int, policy: int, social: int) -> selectors.Baseline:
    return selectors.Baseline(
        households=households, poor=poor, poor_policy=policy, poor_social_protection=social
    )


def _baseline_fields(unit, year, plan: selectors.Baseline, consistent: bool) -> tuple[dict, str]:
    computed = _computed(unit, year)
    same = (computed.households, computed.poor, computed.poor_policy, computed.poor_social_protection) == (
        plan.households,
        plan.poor,
        plan.poor_policy,
        plan.poor_social_protection,
    )
    if consistent and same:
        source, baseline, note = AnnualTarget.BaselineSource.COMPUTED, computed, CAM_LO_NOTE
    else:
        # Keep what the demo households know beyond the plan (near-poor, female heads).
        baseline = selectors.Baseline(
            households=plan.households,
            poor=plan.poor,
            poor_policy=plan.poor_policy,
            poor_social_protection=plan.poor_social_protection,
            near_poor=computed.near_poor,
            poor_female_head=computed.poor_female_head,
            near_poor_female_head=computed.near_poor_female_head,
        )
        source = AnnualTarget.BaselineSource.IMPORTED
        note = f"{CAM_LO_NOTE} {CAM_LO_MISMATCH_NOTE if not consistent else CAM_LO_IMPORTED_NOTE}"
    fields = {"baseline_source": source, "baseline_date": selectors.baseline_date(year), "note": note}
    fields.update(baseline.as_target_fields())
    return fields, source


@transaction.atomic
def load_cam_lo() -> dict:
    district = _unit("468")
    households, poor, policy, social, reduce = CAM_LO_TOTAL
    top_fields, _source = _baseline_fields(
        district, 2021, _plan_baseline(households, poor, policy, social), True
    )
    top = _upsert_target(unit=district, year=2021, reduce_poor=reduce, reduce_near_poor=0, **top_fields)
    sources = {}
    for position, (code, _name, households, poor, policy, social, reduce) in enumerate(CAM_LO_2021, start=1):
        commune = _unit(code)
        consistent = policy + social == poor
        fields, source = _baseline_fields(
            commune, 2021, _plan_baseline(households, poor, policy, social), consistent
        )
        _upsert_target(
            unit=commune,
            year=2021,
            parent=top,
            position=position,
            reduce_poor=reduce,
            reduce_near_poor=0,
            **fields,
        )
        sources[code] = source
    return {"top": top, "sources": sources}


# --- Registrations --------------------------------------------------------------------------------

HELP_PLAN = [
    (HelpEntry.Kind.LOAN, 30_000_000, "Vay vốn hộ nghèo, NHCSXH"),
    (HelpEntry.Kind.LIVELIHOOD, 8_000_000, "Hỗ trợ 1 con bò giống"),
    (HelpEntry.Kind.TRAINING, 2_500_000, "Lớp may công nghiệp 3 tháng"),
    (HelpEntry.Kind.SAVINGS, 0, "Tham gia tổ tiết kiệm của chi hội"),
    (HelpEntry.Kind.HEALTH_INSURANCE, 1_200_000, "Mua thẻ BHYT cho 2 con"),
]
MEASURE_PLAN = [
    ["vay-von-nhcsxh", "sinh-ke"],
    ["dao-tao-nghe", "viec-lam"],
    ["vay-von-nhcsxh", "to-tiet-kiem"],
    ["bhyt", "hoc-tap"],
    ["nha-o", "sinh-ke"],
]
CIRCUMSTANCES = [
    "Chồng mất, một mình nuôi 2 con nhỏ đang đi học.",
    "Chồng bị bệnh nặng, không lao động được; thu nhập chỉ từ làm thuê theo mùa.",
    "Đông con, thiếu đất sản xuất, nhà tạm.",
    "Mẹ già yếu, chủ hộ thường xuyên ốm đau.",
]
NEEDS = [
    "Vay vốn nuôi bò sinh sản.",
    "Học nghề may để có việc làm ổn định.",
    "Hỗ trợ sửa nhà và vay vốn chăn nuôi heo.",
    "Hỗ trợ bảo hiểm y tế và học phí cho con.",
]


def _eligible(
    unit: AdministrativeUnit, on: date, per_commune: int, more: dict[str, int] | None = None
) -> list:
    """Female-headed poor and near-poor households of `unit` by approved status on `on`: a few in
    every commune (`more` gives some communes more), alternating poor and near-poor; each with its
    stage in the demo's story."""
    statuses = (
        Assessment.objects.filter(status_on_q(on))
        .filter(unit.within())
        .filter(result_class__in=[PovertyClass.POOR, PovertyClass.NEAR_POOR], household__female_head=True)
        .select_related("household", "household__commune", "household__village")
        .order_by("commune__code", "household__code")
    )
    by_commune: dict[str, dict[str, list[Household]]] = {}
    for status in statuses:
        by_class = by_commune.setdefault(
            status.commune.code, {PovertyClass.POOR: [], PovertyClass.NEAR_POOR: []}
        )
        by_class[status.result_class].append(status.household)
    chosen: list[tuple[Household, int]] = []
    for index, (code, by_class) in enumerate(sorted(by_commune.items())):
        quota = (more or {}).get(code, per_commune)
        poor, near = by_class[PovertyClass.POOR], by_class[PovertyClass.NEAR_POOR]
        picked = []
        while len(picked) < quota and (poor or near):
            source = poor if ((len(picked) + index) % 2 == 0 and poor) or not near else near
            picked.append(source.pop(0))
        # The stage of each household in the story (see _register): by its place in its commune,
        # or by the commune's place when each commune has one household.
        chosen += [(household, (p if quota > 1 else index) % 5) for p, household in enumerate(picked)]
    return chosen


# Stages of the demo's story, per registered household:
CONFIRMED, AWAITING, HELPED_IN_APRIL_ONLY, NEVER_HELPED, NOT_YET = range(5)


def _help_dates(stage: int, n: int, year: int) -> list[date]:
    if stage == NEVER_HELPED:
        return []
    if stage == HELPED_IN_APRIL_ONLY:
        return [date(year, 4, 15)]
    return [date(year, 4, 15), date(year, 10, 10 + n % 15)]


def _register(*, organisation, households, year, registered_on, confirmers: dict, union_user) -> int:
    """Register each (household, stage): help in spring and autumn, then an escape proposed and
    confirmed by the commune (CONFIRMED), or proposed and waiting for the commune (AWAITING);
    helped only in April or never (both overdue for help); or helped and confirmed "not yet"."""
    measures = {measure.code: measure for measure in SupportMeasure.objects.all()}
    year_end = date(year, 11, 30)
    created = 0
    for n, (household, stage) in enumerate(households):
        if Registration.objects.filter(organisation=organisation, household=household, year=year).exists():
            continue
        place = household.village.name if household.village else household.commune.name
        registration = services.registration_create(
            organisation=organisation,
            household=household,
            year=year,
            user=union_user,
            today=registered_on,
            registered_on=registered_on,
            circumstances=CIRCUMSTANCES[n % len(CIRCUMSTANCES)],
            causes=list(household.causes.all()[:2]),
            needs=NEEDS[n % len(NEEDS)],
            measures=[measures[code] for code in MEASURE_PLAN[n % len(MEASURE_PLAN)] if code in measures],
            responsible_member=f"Chi hội phụ nữ {place}",
        )
        created += 1
        for step, day in enumerate(_help_dates(stage, n, year)):
            kind, value, note = HELP_PLAN[(n + step) % len(HELP_PLAN)]
            services.help_entry_add(
                registration=registration,
                kind=kind,
                value=value,
                date=day,
                note=note,
                user=union_user,
                today=year_end,
            )
        if stage in (HELPED_IN_APRIL_ONLY, NEVER_HELPED):
            continue
        outcome = (
            Outcome.NOT_YET
            if stage == NOT_YET
            else services.OUTCOME_FOR_CLASS[registration.class_at_registration]
        )
        registration = services.registration_propose_outcome(
            registration=registration, outcome=outcome, user=union_user, expected_version=registration.version
        )
        if stage == AWAITING:
            continue
        # Confirmed by the commune: in the product by its leader where the demo has one, else
        # recorded from the commune's signed list of results (no user).
        services.registration_confirm_outcome(
            registration=registration,
            outcome=outcome,
            confirmed_on=year_end,
            user=confirmers.get(household.commune_id),
            expected_version=registration.version,
            today=year_end,
        )
    return created


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_registrations() -> dict:
    counts = {}
    camlo_union = organisation_ensure(unit=_unit("468"), kind=Organisation.Kind.WOMENS_UNION)
    leader = _user("lanhdao.camtuyen")
    counts["cam_lo"] = _register(
        organisation=camlo_union,
        households=_eligible(_unit("468"), date(2021, 3, 20), 2, more={"19600": 5}),
        year=2021,
        registered_on=date(2021, 3, 20),
        confirmers={_unit("19600").pk: leader} if leader else {},
        union_user=_user("hoiphunu.camlo"),
    )
    danang_union = organisation_ensure(unit=_unit("48"), kind=Organisation.Kind.WOMENS_UNION)
    counts["da_nang"] = _register(
        organisation=danang_union,
        households=_eligible(_unit("48"), date(2017, 3, 20), 1),
        year=2017,
        registered_on=date(2017, 3, 20),
        confirmers={},
        union_user=_user("hoiphunu.danang"),
    )
    return counts


def load() -> dict:
    shares = load_da_nang()
    cam_lo = load_cam_lo()
    registrations = load_registrations()
    return {
        "da_nang_2017_targets": 1 + len(DA_NANG_2017) + len(shares),
        "cam_lo_2021_targets": 1 + len(cam_lo["sources"]),
        "cam_lo_2021_baselines_computed": sum(1 for s in cam_lo["sources"].values() if s == "computed"),
        "registrations_cam_lo_2021": registrations["cam_lo"],
        "registrations_da_nang_2017": registrations["da_nang"],
    }
