"""Demo households (loaded by `manage.py load_demo`, idempotently). Three sets:

1. Cam Lộ district (pre-2025 Quảng Trị, district 468): every household of its eight communes with an
   approved end-of-2020 review (QĐ 59/2015) that reproduces, per commune, the baseline of the
   district's 2021 plan (../shared/seeds/003_687e9664585b8d5d.txt): households, poor households, and
   poor households by group — policy-supported ("Hộ CS GN") and social-protection ("HN cứng",
   households in the policy group `bao-tro-xa-hoi`).

   Two rows of the source do not add up: TT Cam Lộ (29 poor, groups 0 + 38) and Xã Cam Nghĩa
   (38 poor, groups 1 + 28). The demo keeps every row's households and poor counts as printed and
   keeps the printed policy-supported count (0 and 1); the social-protection count is the rest of the
   poor (29 and 37). With this choice the district totals of both groups are exactly the source's
   (79 and 326). The near-poor total (663) is spread over the communes in proportion to their
   households; the 99 ethnic-minority households (40 poor, 44 near-poor) are in Xã Cam Tuyền.

2. Đà Nẵng (pre-2025 city 48): two wards or communes per district, with poor and near-poor
   households, many headed by women, reviewed at the end of 2016 (status for 2017).

3. Xã Cam Lộ (2025 tree, code 19597, new Quảng Trị 44): households reviewed at the end of 2025 under
   NĐ 07/2021, regular reviews approved during 2026 (some poor households escaped poverty; NĐ 07 is
   kept for 2026), and the 2026 periodic review in progress (drafts and submissions waiting for the
   commune leader), which draws up the lists of 2027 under NĐ 351/2025.

4. Xã Hòa Liên (Hòa Vang, Đà Nẵng) was split on 01/07/2025 between Phường Hải Vân and Phường Liên
   Chiểu: its villages 1 and 2 are assigned to Hải Vân, village 3 to Liên Chiểu, and village 4 is
   left unassigned, so the new city's reports show a row "chưa xác định đơn vị mới".

Each household's income and deprivations are generated so that the legal rule (classify) yields
the intended class; the stored class is the classifier's result, never typed in."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.text import search_key
from units.models import AdministrativeUnit, AdminVersion, Area, Kind, Level
from units.placement import place_objects

from . import indicators
from .classification import DEPRIVATION, INCOME, MEDIUM, NEAR_POOR, NOT_POOR, POOR, classify
from .models import Assessment, Household, Member, PolicyGroup, PovertyStandard
from .transitions import FIRST, change_between

# (commune code, households, poor, policy-supported poor, social-protection poor) — source table rows,
# with the documented choice for TT Cam Lộ (19597) and Xã Cam Nghĩa (19621).
CAM_LO_2020 = [
    ("19600", 1458, 99, 44, 55),  # Xã Cam Tuyền
    ("19603", 2706, 99, 16, 83),  # Xã Thanh An
    ("19606", 1472, 43, 7, 36),  # Xã Cam Thủy
    ("19615", 1779, 37, 10, 27),  # Xã Cam Hiếu
    ("19612", 2212, 38, 1, 37),  # Xã Cam Thành
    ("19597", 2169, 29, 0, 29),  # TT Cam Lộ: source groups 0 + 38 for 29 poor
    ("19621", 1647, 38, 1, 37),  # Xã Cam Nghĩa: source groups 1 + 28 for 38 poor
    ("19618", 1489, 22, 0, 22),  # Xã Cam Chính
]
CAM_LO_NEAR_POOR = 663
CAM_TUYEN = "19600"
CAM_LO_2025_OFFICER = "canbo.camlo"
CAM_TUYEN_ETHNIC = {"poor": 40, "near_poor": 44, "other": 15}

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
]
MALE_MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thành",
    "Tuấn",
    "Việt",
]
FEMALE_GIVEN = [
    "Anh",
    "Bích",
    "Châu",
    "Dung",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Mai",
    "Nga",
    "Nhung",
    "Phương",
    "Thảo",
    "Trang",
    "Yến",
]
MINORITY_ETHNICITIES = ["Vân Kiều", "Pa Kô"]

REVIEW_DAY = (12, 15)  # the commune's decision after the review season (1/9–14/12)


def _rng(key: str) -> random.Random:
    return random.Random(f"povertyplan-demo-{key}")


@dataclass
class Plan:
    """One household to create: intended class and group, and attributes."""

    poverty_class: str
    group: str = ""  # INCOME/DEPRIVATION for poor under QĐ 59
    social_protection: bool = False
    ethnic_minority: bool = False
    female_head: bool = False
    merit: bool = False


def _name(rng: random.Random, female: bool) -> str:
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return f"{rng.choice(FAMILY)} {middle} {given}"


def _citizen_id(rng: random.Random, province_code: str, birth_year: int, female: bool) -> str:
    century = (birth_year // 100) - 19
    digit = century * 2 + (1 if female else 0)
    return f"{province_code[-3:].zfill(3)}{digit}{birth_year % 100:02d}{rng.randrange(10**6):06d}"


def _inputs_for(rng: random.Random, rules, area: str, plan: Plan) -> tuple[int, list[str]]:
    """Income and deprivations that make the legal rule give the planned class."""
    codes = list(rules.indicators)
    line = rules.poverty_line[area]
    near = rules.near_poverty_line.get(area)
    medium = rules.medium_upper.get(area)
    few = rng.sample(codes, rng.randrange(0, 3))
    many = rng.sample(codes, rng.randrange(3, 6))
    if plan.poverty_class == POOR:
        if plan.group == INCOME or (near is None and plan.group != DEPRIVATION):
            low = int(line * 0.55) if near is not None else int(line * 0.6)
            return rng.randrange(low, line + 1) // 1000 * 1000, (few if near is not None else many)
        return rng.randrange(line + 1000, near + 1) // 1000 * 1000, many
    if plan.poverty_class == NEAR_POOR:
        if near is None:
            return rng.randrange(int(line * 0.7), line + 1) // 1000 * 1000, few
        return rng.randrange(line + 1000, near + 1) // 1000 * 1000, few
    floor = near if near is not None else line
    if plan.poverty_class == MEDIUM:
        return rng.randrange(floor + 1000, medium + 1) // 1000 * 1000, rng.sample(codes, rng.randrange(0, 3))
    return rng.randrange(medium + 1000, medium * 3) // 1000 * 1000, rng.sample(codes, rng.randrange(0, 2))


def _villages(commune: AdministrativeUnit, count: int) -> list[AdministrativeUnit]:
    existing = list(AdministrativeUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("code"))
    if existing:
        return existing
    urban = commune.kind in (Kind.PHUONG, Kind.THI_TRAN)
    villages = []
    for number in range(1, count + 1):
        name = f"Khu phố {number}" if urban else f"Thôn {number}"
        village = AdministrativeUnit(
            admin_version=commune.admin_version,
            code=f"{commune.code}-{number:03d}",
            name=name,
            short_name=name,
            kind=Kind.TO_DAN_PHO if urban else Kind.THON,
            level=Level.VILLAGE,
            parent=commune,
            area=commune.area,
            valid_from=commune.valid_from,
            valid_to=commune.valid_to,
        )
        village.save()
        villages.append(village)
    return villages


class _Builder:
    """Collects rows for bulk inserts (a whole district in a few queries)."""

    def __init__(self):
        self.households: list[Household] = []
        self.members: list[tuple[Household, list[Member]]] = []
        self.assessments: dict[int, tuple[Household, list[Assessment]]] = {}
        self.groups: list[tuple[Household, list[str]]] = []

    def household(
        self,
        *,
        rng: random.Random,
        commune: AdministrativeUnit,
        village: AdministrativeUnit,
        code: str,
        plan: Plan,
        province_code: str,
    ) -> Household:
        size = (
            rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6])
            if plan.poverty_class == POOR
            else rng.choice([2, 3, 4, 4, 5, 6])
        )
        head_year = rng.randrange(1940, 1996)
        head_name = _name(rng, plan.female_head)
        area = commune.area or Area.RURAL
        household = Household(
            code=code,
            province_id=commune.province_id,
            district_id=commune.district_id,
            commune=commune,
            village=village,
            area=area,
            labour=Household.Labour.NO_LABOUR
            if plan.social_protection and rng.random() < 0.7
            else Household.Labour.HAS_LABOUR,
            head_name=head_name,
            female_head=plan.female_head,
            ethnic_minority=plan.ethnic_minority,
            member_count=size,
            address=f"{village.name}, {commune.name}",
        )
        ethnicity = rng.choice(MINORITY_ETHNICITIES) if plan.ethnic_minority else "Kinh"
        members = [
            Member(
                full_name=head_name,
                sex=Member.Sex.FEMALE if plan.female_head else Member.Sex.MALE,
                birth_year=head_year,
                relation=Member.Relation.HEAD,
                citizen_id=_citizen_id(rng, province_code, head_year, plan.female_head),
                ethnicity=ethnicity,
                health_insurance=rng.random() > 0.1,
                work=Member.Work.EMPLOYED
                if household.labour == Household.Labour.HAS_LABOUR
                else Member.Work.UNABLE,
                order=0,
            )
        ]
        for order in range(1, size):
            female = rng.random() < 0.5
            if order == 1 and size > 2:
                relation, year = Member.Relation.SPOUSE, head_year + rng.randrange(-5, 6)
                female = not plan.female_head
            else:
                relation, year = Member.Relation.CHILD, min(2020, head_year + rng.randrange(20, 40))
            members.append(
                Member(
                    full_name=_name(rng, female),
                    sex=Member.Sex.FEMALE if female else Member.Sex.MALE,
                    birth_year=year,
                    relation=relation,
                    citizen_id=_citizen_id(rng, province_code, year, female) if year <= 2006 else "",
                    ethnicity=ethnicity,
                    health_insurance=rng.random() > 0.15,
                    schooling=Member.Schooling.IN_SCHOOL if 2020 - year < 18 else "",
                    order=order,
                )
            )
        codes = []
        if plan.social_protection:
            codes.append("bao-tro-xa-hoi")
        if plan.ethnic_minority:
            codes.append("dan-toc-thieu-so")
        if plan.merit:
            codes.append("nguoi-co-cong")
        self.households.append(household)
        self.members.append((household, members))
        self.groups.append((household, codes))
        return household

    def assessment(self, household: Household, **fields) -> Assessment:
        assessment = Assessment(
            province_id=household.province_id,
            district_id=household.district_id,
            commune_id=household.commune_id,
            village_id=household.village_id,
            area=household.area,
            member_count=household.member_count,
            **fields,
        )
        rows = self.assessments.setdefault(id(household), (household, []))[1]
        approved = [a for a in rows if a.state == Assessment.State.APPROVED]
        if assessment.state == Assessment.State.APPROVED:
            if approved:
                approved[-1].valid_until = assessment.effective_date
                assessment.previous = approved[-1]
            household.status_class = assessment.result_class
            household.status_group = assessment.result_group
            household.status_year = assessment.review_year
        household.latest_state = assessment.state
        rows.append(assessment)
        return assessment

    def save(self) -> dict:
        for household in self.households:
            household.head_search = search_key(household.head_name)
        place_objects(AdministrativeUnit, self.households)  # what save() does, for bulk_create
        Household.objects.bulk_create(self.households, batch_size=1000)
        members = []
        for household, rows in self.members:
            for member in rows:
                member.household = household
                members.append(member)
        for member in members:
            member.search_name = search_key(member.full_name)
        Member.objects.bulk_create(members, batch_size=2000)

        # First statuses, then later ones pointing to them (ids exist after the first insert).
        waves: list[list[Assessment]] = [[], []]
        for household, rows in self.assessments.values():
            for index, assessment in enumerate(rows):
                assessment.household = household
                waves[min(index, 1)].append(assessment)
        for wave in waves:
            place_objects(AdministrativeUnit, wave)
            for assessment in wave:
                if assessment.previous is not None:
                    assessment.previous_id = assessment.previous.pk
            Assessment.objects.bulk_create(wave, batch_size=1000)
        ordered = waves[0] + waves[1]

        group_ids = dict(PolicyGroup.objects.values_list("code", "pk"))
        through = Household.policy_groups.through
        through.objects.bulk_create(
            [
                through(household_id=household.pk, policygroup_id=group_ids[code])
                for household, codes in self.groups
                for code in codes
            ],
            batch_size=2000,
        )
        return {"households": len(self.households), "members": len(members), "assessments": len(ordered)}


_ORDERS: dict[int, dict[str, int]] = {}


def _orders_of(standard) -> dict[str, int]:
    """Indicator code → order of a standard (read once per standard per load)."""
    if standard.pk not in _ORDERS:
        _ORDERS[standard.pk] = dict(standard.indicators.values_list("code", "order"))
    return _ORDERS[standard.pk]


def _periodic(
    builder,
    household,
    rng,
    standard,
    rules,
    year,
    plan,
    state=Assessment.State.APPROVED,
    previous_class=None,
    **workflow,
):
    income, deprived = _inputs_for(rng, rules, household.area, plan)
    result = classify(rules, household.area, income, deprived)
    assert result.poverty_class == plan.poverty_class, (plan, income, deprived, result)
    mask = indicators.encode(result.deprived, _orders_of(standard))
    change = ""
    if state == Assessment.State.APPROVED:
        change = (
            FIRST
            if previous_class is None
            else change_between(previous_class, result.poverty_class, ever_poor=previous_class == POOR)
        )
    return builder.assessment(
        household,
        kind=Assessment.Kind.PERIODIC,
        review_year=year,
        effective_date=date(year, *REVIEW_DAY),
        standard=standard,
        income_per_capita=income,
        annual_income=income * household.member_count * 12,
        deprived_mask=mask,
        deprived_count=result.deprived_count,
        result_class=result.poverty_class,
        result_group=result.group,
        reasons=result.reason_text,
        state=state,
        change=change,
        **workflow,
    )


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    floors = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - floors[i], reverse=True)
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def _already_loaded(commune: AdministrativeUnit) -> bool:
    return Household.objects.filter(commune=commune, code__startswith=f"{commune.code}-").exists()


def load_cam_lo() -> dict:
    standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2020)
    rules = standard.rules()
    communes = {
        c.code: c
        for c in AdministrativeUnit.objects.filter(admin_version=AdminVersion.PRE2025, district__code="468")
    }
    near_counts = _largest_remainder(CAM_LO_NEAR_POOR, [row[1] for row in CAM_LO_2020])
    builder = _Builder()
    for (code, households, poor, policy, _social), near in zip(CAM_LO_2020, near_counts, strict=True):
        commune = communes[code]
        if _already_loaded(commune):
            continue
        rng = _rng(code)
        plans = [Plan(POOR, social_protection=i >= policy) for i in range(poor)]
        plans += [Plan(NEAR_POOR) for _ in range(near)]
        rest = households - len(plans)
        plans += [Plan(MEDIUM) for _ in range(rest // 5)]
        plans += [Plan(NOT_POOR) for _ in range(households - len(plans))]
        if code == CAM_TUYEN:
            for index, plan in enumerate(p for p in plans if p.poverty_class == POOR):
                plan.ethnic_minority = index < CAM_TUYEN_ETHNIC["poor"]
            for index, plan in enumerate(p for p in plans if p.poverty_class == NEAR_POOR):
                plan.ethnic_minority = index < CAM_TUYEN_ETHNIC["near_poor"]
            for index, plan in enumerate(p for p in plans if p.poverty_class == NOT_POOR):
                plan.ethnic_minority = index < CAM_TUYEN_ETHNIC["other"]
        for plan in plans:
            plan.female_head = rng.random() < 0.28
            plan.merit = rng.random() < 0.03
            if plan.poverty_class == POOR:
                plan.group = INCOME if rng.random() < 0.6 else DEPRIVATION
        rng.shuffle(plans)
        villages = _villages(commune, max(4, households // 250))
        for number, plan in enumerate(plans, start=1):
            village_index = (number - 1) % len(villages)
            household = builder.household(
                rng=rng,
                commune=commune,
                village=villages[village_index],
                code=f"{commune.code}-{village_index + 1:02d}-{number:04d}",
                plan=plan,
                province_code="045",
            )
            _periodic(builder, household, rng, standard, rules, 2020, plan)
    return builder.save()


DA_NANG_DISTRICTS = 2  # communes per district


def load_da_nang() -> dict:
    standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2016)
    rules = standard.rules()
    builder = _Builder()
    districts = AdministrativeUnit.objects.filter(
        admin_version=AdminVersion.PRE2025, level=Level.DISTRICT, province__code="48"
    )
    for district in districts.order_by("code"):
        for commune in AdministrativeUnit.objects.filter(parent=district).order_by("code")[
            :DA_NANG_DISTRICTS
        ]:
            if _already_loaded(commune):
                continue
            rng = _rng(commune.code)
            plans = [Plan(POOR, female_head=i % 2 == 0) for i in range(12)]
            plans += [Plan(NEAR_POOR, female_head=i % 3 != 0) for i in range(9)]
            plans += [Plan(MEDIUM, female_head=rng.random() < 0.3) for _ in range(8)]
            plans += [Plan(NOT_POOR, female_head=rng.random() < 0.25) for _ in range(31)]
            for plan in plans:
                if plan.poverty_class == POOR:
                    plan.group = INCOME if rng.random() < 0.5 else DEPRIVATION
                    plan.social_protection = rng.random() < 0.4
            rng.shuffle(plans)
            villages = _villages(commune, 4)
            for number, plan in enumerate(plans, start=1):
                village_index = (number - 1) % len(villages)
                household = builder.household(
                    rng=rng,
                    commune=commune,
                    village=villages[village_index],
                    code=f"{commune.code}-{village_index + 1:02d}-{number:04d}",
                    plan=plan,
                    province_code="048",
                )
                _periodic(builder, household, rng, standard, rules, 2016, plan)
    return builder.save()


def load_cam_lo_2025() -> dict:
    """Xã Cam Lộ (2025 tree): end-2025 review, changes approved in 2026, the 2026 review in progress."""
    commune = AdministrativeUnit.objects.by_code("19597", AdminVersion.V2025)
    if _already_loaded(commune):
        return {"households": 0, "members": 0, "assessments": 0}
    standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2025)  # NĐ 07, kept for 2026
    rules = standard.rules()
    orders = _orders_of(standard)
    # The end-2026 review draws up the lists of 2027: NĐ 351/2025.
    standard_2027 = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2026)
    rules_2027 = standard_2027.rules()
    rng = _rng("2025-19597")
    officer = get_user_model().objects.filter(username=CAM_LO_2025_OFFICER).first()  # units.demo
    now = timezone.now()
    plans = [Plan(POOR, social_protection=rng.random() < 0.5) for _ in range(24)]
    plans += [Plan(NEAR_POOR) for _ in range(30)]
    plans += [Plan(MEDIUM) for _ in range(40)]
    plans += [Plan(NOT_POOR) for _ in range(146)]
    for plan in plans:
        plan.female_head = rng.random() < 0.3
    rng.shuffle(plans)
    villages = _villages(commune, 6)
    builder = _Builder()
    for number, plan in enumerate(plans, start=1):
        village_index = (number - 1) % len(villages)
        household = builder.household(
            rng=rng,
            commune=commune,
            village=villages[village_index],
            code=f"{commune.code}-{village_index + 1:02d}-{number:04d}",
            plan=plan,
            province_code="045",
        )
        first = _periodic(builder, household, rng, standard, rules, 2025, plan)
        # During 2026: a few poor households escape (regular reviews), one near-poor one falls back.
        if plan.poverty_class == POOR and number % 4 == 0:
            later = Plan(NEAR_POOR if number % 8 == 0 else MEDIUM)
            income, deprived = _inputs_for(rng, rules, household.area, later)
            result = classify(rules, household.area, income, deprived)
            builder.assessment(
                household,
                kind=Assessment.Kind.REGULAR,
                review_year=2026,
                effective_date=date(2026, 3 + number % 6, 15),
                standard=standard,
                income_per_capita=income,
                annual_income=income * household.member_count * 12,
                deprived_mask=indicators.encode(result.deprived, orders),
                deprived_count=result.deprived_count,
                result_class=result.poverty_class,
                result_group=result.group,
                reasons=result.reason_text,
                state=Assessment.State.APPROVED,
                change=change_between(first.result_class, result.poverty_class, ever_poor=True),
            )
        elif plan.poverty_class in (POOR, NEAR_POOR) and number % 3 == 0:
            # The 2026 periodic review: drafts and submissions waiting for the leader.
            # The commune officer's own work: it shows in their "Phiếu của tôi" and the leader's queue
            # says who sent each one and when.
            state = Assessment.State.SUBMITTED if number % 2 else Assessment.State.DRAFT
            workflow = {"created_by": officer}
            if state == Assessment.State.SUBMITTED:
                workflow.update(submitted_by=officer, submitted_at=now - timedelta(days=1 + number % 7))
            _periodic(
                builder,
                household,
                rng,
                standard_2027,
                rules_2027,
                2026,
                Plan(plan.poverty_class),
                state=state,
                **workflow,
            )
    return builder.save()


SPLIT_COMMUNE = "20296"  # Xã Hòa Liên → Phường Hải Vân (20194), Phường Liên Chiểu (20197)
SPLIT_VILLAGES = {1: "20194", 2: "20194", 3: "20197"}  # village number → 2025 commune; 4: unassigned


def assign_split_villages() -> int:
    """Assign the villages of the demo's split commune (idempotent)."""
    from units.services import village_assign

    commune = AdministrativeUnit.objects.filter(
        admin_version=AdminVersion.PRE2025, code=SPLIT_COMMUNE
    ).first()
    if commune is None:
        return 0
    assigned = 0
    for number, village in enumerate(commune.children.order_by("code"), start=1):
        code = SPLIT_VILLAGES.get(number)
        if code is None or village.new_commune_id:
            continue
        village_assign(
            village=village, new_commune=AdministrativeUnit.objects.by_code(code, AdminVersion.V2025)
        )
        assigned += 1
    return assigned


@transaction.atomic
def load() -> dict:
    _ORDERS.clear()
    summary = {}
    for name, loader in (
        ("cam_lo_2020", load_cam_lo),
        ("da_nang_2016", load_da_nang),
        ("cam_lo_2025", load_cam_lo_2025),
    ):
        summary[name] = loader()["households"]
    summary["split_villages"] = assign_split_villages()
    return summary
