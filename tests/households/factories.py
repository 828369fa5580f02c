"""Households made through the services, as the product makes them, and assessments taken
through the review workflow to any state."""

from datetime import date

from households import services
from households.models import Assessment, Member

# Income and deprivations that give each class under NĐ 07/2021 (2022–2026), rural and urban alike
# (rural line 1.500.000, urban 2.000.000; medium up to 2.250.000 / 3.000.000).
THREE = frozenset({"bao-hiem-y-te", "nguon-nuoc", "nha-tieu"})
INPUTS = {
    "poor": (1_000_000, THREE),
    "near_poor": (1_000_000, frozenset()),
    "medium": (2_100_000, frozenset()),
    "not_poor": (5_000_000, frozenset()),
}


def member(
    full_name="Nguyễn Văn An", *, sex=Member.Sex.MALE, birth_year=1980, relation=Member.Relation.HEAD, **kw
):
    return services.MemberInput(full_name=full_name, sex=sex, birth_year=birth_year, relation=relation, **kw)


def household(user, commune, *, village=None, head="Nguyễn Văn An", sex=Member.Sex.MALE, others=(), **kw):
    members = [member(head, sex=sex, ethnicity=kw.pop("ethnicity", "Kinh"))] + list(others)
    return services.household_create(user=user, commune=commune, village=village, members=members, **kw)


def assessment_input(household, *, year=2024, poverty="poor", kind="periodic", effective=None, **kw):
    income, deprived = INPUTS[poverty]
    values = {
        "kind": kind,
        "review_year": year,
        "effective_date": effective or date(year, 12, 15),
        "area": household.area,
        "member_count": household.member_count or 1,
        "deprived": deprived,
        "income_per_capita": kw.pop("income", income),
    }
    return services.AssessmentInput(**(values | kw))


def second_pair_of_eyes():
    """A person other than the officer, to decide what the officer entered (four eyes)."""
    from tests.factories import UserFactory

    return UserFactory(username="lanhdao.khac", first_name="Khác", last_name="Lãnh đạo")


def assessment(household, officer, *, state=Assessment.State.DRAFT, leader=None, **kw) -> Assessment:
    """An assessment of `household` taken to `state`, decided by `leader` (by default someone other
    than the officer: nobody decides their own survey)."""
    result = services.assessment_create(
        household=household, user=officer, data=assessment_input(household, **kw)
    )
    if state in (Assessment.State.SUBMITTED, Assessment.State.APPROVED, Assessment.State.RETURNED):
        services.assessment_submit(assessment=result, user=officer)
    if state == Assessment.State.APPROVED:
        services.assessment_approve(assessment=result, user=leader or second_pair_of_eyes())
    if state == Assessment.State.RETURNED:
        services.assessment_return(
            assessment=result, user=leader or second_pair_of_eyes(), reason="Thiếu thông tin thu nhập"
        )
    result.refresh_from_db()
    return result
