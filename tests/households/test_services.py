"""Writes to households and assessments: codes, denormalised values, the review workflow and the
chain of approved assessments that gives a household its status on any date."""

from datetime import date

import pytest

from core.concurrency import ConcurrentEditError
from households import selectors, services
from households.models import Assessment, Change, Household, Member, PovertyClass
from households.selectors import count_by_class
from tests import factories as f
from tests.households import factories as hf
from units.models import Area, Kind

pytestmark = pytest.mark.django_db

A = Assessment.State


# --- Households ---------------------------------------------------------------------------------


def test_codes_are_generated_per_commune_and_village(world):
    first = hf.household(world.officer_a, world.A, village=world.A1)
    second = hf.household(world.officer_a, world.A, village=world.A1, head="Trần Thị Bình")
    without_village = hf.household(world.officer_a, world.A, head="Lê Văn Cường")
    assert (first.code, second.code, without_village.code) == (
        "90001-01-0001",
        "90001-01-0002",
        "90001-00-0001",
    )


def test_a_commune_code_reused_by_the_reform_never_repeats_a_household_code(world):
    old_commune = f.commune(world.OD, code="77001")
    new_commune = f.commune(world.P, code="77001")
    old = hf.household(world.officer_a, old_commune)
    new = hf.household(world.officer_a, new_commune)
    assert old.code == "77001-00-0001"
    assert new.code == "77001-00-0002"


def test_a_given_code_is_kept_and_must_be_unique_in_the_commune(world):
    hf.household(world.officer_a, world.A, code="AB-1")
    with pytest.raises(services.HouseholdError, match="Mã hộ AB-1 đã có ở Xã An Bình"):
        hf.household(world.officer_a, world.A, code="AB-1")
    assert hf.household(world.officer_b, world.B, code="AB-1").code == "AB-1"  # other commune: fine


def test_generated_codes_continue_after_a_typed_code_in_the_same_pattern(world):
    hf.household(world.officer_a, world.A, code="90001-00-0041")
    assert hf.household(world.officer_a, world.A).code == "90001-00-0042"


def test_place_and_area_come_from_the_commune(world):
    rural = hf.household(world.officer_a, world.A, village=world.A1)
    urban = hf.household(world.officer_b, world.B)
    old = hf.household(world.officer_a, world.OA)
    assert (rural.province_id, rural.district_id, rural.commune_id) == (world.P.pk, None, world.A.pk)
    assert (old.province_id, old.district_id) == (world.OP.pk, world.OD.pk)
    assert rural.area == Area.RURAL
    assert urban.area == Area.URBAN  # a phường


def test_area_defaults_from_the_commune_kind_when_the_unit_has_none(world):
    town = f.commune(world.P, kind=Kind.THI_TRAN, area="")
    assert hf.household(world.officer_a, town).area == Area.URBAN
    assert hf.household(world.officer_a, town, area=Area.RURAL).area == Area.RURAL


def test_head_size_and_flags_follow_the_members(world):
    household = hf.household(
        world.officer_a,
        world.A,
        head="Hồ Thị Lan",
        sex=Member.Sex.FEMALE,
        ethnicity="Bru-Vân Kiều",
        others=[hf.member("Hồ Văn Nam", relation=Member.Relation.CHILD, birth_year=2010)],
    )
    household.refresh_from_db()
    assert (
        household.head_name,
        household.female_head,
        household.ethnic_minority,
        household.member_count,
    ) == (
        "Hồ Thị Lan",
        True,
        True,
        2,
    )
    assert household.head_search == "ho thi lan"


def test_a_household_needs_exactly_one_head(world):
    with pytest.raises(services.HouseholdError, match="đúng một người là chủ hộ"):
        hf.household(world.officer_a, world.A, others=[hf.member("Người Thứ Hai")])
    with pytest.raises(services.HouseholdError, match="ít nhất một nhân khẩu"):
        services.household_create(user=world.officer_a, commune=world.A, members=[])


def test_a_citizen_id_that_disagrees_with_the_member_is_refused(world):
    with pytest.raises(services.HouseholdError, match="năm sinh 1986"):
        hf.household(
            world.officer_a,
            world.A,
            others=[hf.member("Con", relation="child", citizen_id="045086000123", birth_year=1985)],
        )
    assert not Household.objects.exists()


def test_the_same_citizen_id_twice_in_one_household_is_refused(world):
    twin = {"relation": "sibling", "citizen_id": "045080000123"}
    with pytest.raises(services.HouseholdError, match="hai người trong cùng một hộ"):
        hf.household(world.officer_a, world.A, others=[hf.member("A", **twin), hf.member("B", **twin)])


def test_duplicate_citizen_ids_in_other_households_are_found(world):
    first = hf.household(
        world.officer_a, world.A, others=[hf.member("Con", relation="child", citizen_id="045080000123")]
    )
    second = hf.household(
        world.officer_b, world.B, others=[hf.member("Con B", relation="child", citizen_id="045080000123")]
    )
    found = selectors.duplicate_citizen_ids(second)
    assert [m.household_id for m in found["045080000123"]] == [first.pk]


def test_update_changes_members_and_keeps_the_summary_in_step(world):
    household = hf.household(
        world.officer_a, world.A, others=[hf.member("Lê Thị Hoa", sex="female", relation="spouse")]
    )
    head, spouse = household.members.order_by("order")
    edits = [
        services.MemberEdit(head, hf.member("Nguyễn Văn An", relation=Member.Relation.SPOUSE)),
        services.MemberEdit(
            spouse, hf.member("Lê Thị Hoa", sex="female", relation=Member.Relation.HEAD, ethnicity="Tày")
        ),
        services.MemberEdit(
            None, hf.member("Nguyễn Thị Nhỏ", sex="female", relation="child", birth_year=2015)
        ),
    ]
    services.household_update(
        household=household,
        user=world.officer_a,
        expected_version=household.version,
        members=edits,
        address="Thôn Một",
    )
    household.refresh_from_db()
    assert (
        household.head_name,
        household.female_head,
        household.ethnic_minority,
        household.member_count,
    ) == (
        "Lê Thị Hoa",
        True,
        True,
        3,
    )
    assert household.address == "Thôn Một"
    assert household.version == 2


def test_an_emptied_code_stays_and_a_taken_one_is_refused(world):
    household = hf.household(world.officer_a, world.A)
    other = hf.household(world.officer_a, world.A, head="Hộ Khác")
    services.household_update(household=household, user=world.officer_a, expected_version=1, code="")
    household.refresh_from_db()
    assert household.code == "90001-00-0001"
    with pytest.raises(services.HouseholdError, match="đã có ở Xã An Bình"):
        services.household_update(
            household=household, user=world.officer_a, expected_version=2, code=other.code
        )


def test_a_member_whose_ethnicity_was_not_given_keeps_it(world):
    household = hf.household(world.officer_a, world.A, ethnicity="Tày")
    head = household.members.get()
    data = hf.member("Nguyễn Văn An")  # ethnicity None: the form did not show it
    services.member_update(member=head, user=world.officer_a, expected_version=household.version, data=data)
    head.refresh_from_db()
    assert head.ethnicity == "Tày"


def test_the_head_cannot_be_removed(world):
    household = hf.household(world.officer_a, world.A)
    with pytest.raises(services.HouseholdError, match="Không thể xóa chủ hộ"):
        services.member_remove(
            member=household.members.get(), user=world.officer_a, expected_version=household.version
        )


def test_a_stale_household_save_is_refused_and_lists_the_other_persons_changes(world):
    household = hf.household(
        world.officer_a, world.A, others=[hf.member("Lê Thị Hoa", sex="female", relation="spouse")]
    )
    seen = services.household_snapshot(household)
    opened_at = household.version
    spouse = household.members.get(relation="spouse")

    other_copy = Household.objects.get(pk=household.pk)
    services.household_update(
        household=other_copy,
        user=world.admin_p,
        expected_version=opened_at,
        original=seen,
        address="Xóm Bãi",
        members=[services.MemberEdit(spouse, hf.member("Lê Thị Hoà Bình", sex="female", relation="spouse"))],
    )

    mine = Household.objects.get(pk=household.pk)
    with pytest.raises(ConcurrentEditError) as caught:
        services.household_update(
            household=mine,
            user=world.officer_a,
            expected_version=opened_at,
            original=seen,
            address="Xóm Trên",
            note="x",
        )
    changes = {c.label: (c.theirs, c.yours) for c in caught.value.changes}
    assert changes["địa chỉ"] == ("Xóm Bãi", "Xóm Trên")
    assert changes["Lê Thị Hoa – họ và tên"][0] == "Lê Thị Hoà Bình"
    assert "ghi chú" not in changes  # the other person did not change the note
    household.refresh_from_db()
    assert household.address == "Xóm Bãi"  # nothing of theirs was overwritten
    assert household.version == opened_at + 1


# --- Assessments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "effective", "standard"),
    [
        ("periodic", 2015, date(2015, 12, 15), "qd59-2015"),  # lists of 2016
        ("periodic", 2020, date(2020, 12, 15), "qd59-2015"),  # lists of 2021 (QĐ 59 extended)
        ("periodic", 2021, date(2021, 12, 15), "nd07-2021"),  # lists of 2022
        ("periodic", 2021, date(2022, 1, 10), "nd07-2021"),
        ("periodic", 2025, date(2025, 12, 15), "nd07-2021"),  # lists of 2026 (NĐ 07 kept)
        ("periodic", 2026, date(2026, 12, 15), "nd351-2025"),  # lists of 2027
        ("regular", 2021, date(2021, 12, 31), "qd59-2015"),
        ("regular", 2022, date(2022, 1, 1), "nd07-2021"),
        ("regular", 2026, date(2026, 12, 31), "nd07-2021"),
        ("regular", 2027, date(2027, 1, 1), "nd351-2025"),
    ],
)
def test_the_standard_is_the_one_that_serves_the_review(world, kind, year, effective, standard):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(
        household, world.officer_a, kind=kind, year=year, effective=effective, deprived=frozenset()
    )
    assert assessment.standard.code == standard


def test_a_rural_household_reviewed_at_the_end_of_2021_is_near_poor_under_decree_07(world):
    household = hf.household(world.officer_a, world.A)
    inputs = {"year": 2021, "area": "rural", "income": 1_200_000, "deprived": frozenset()}
    year_end = hf.assessment(household, world.officer_a, effective=date(2021, 12, 15), **inputs)
    assert (year_end.standard.code, year_end.result_class) == ("nd07-2021", PovertyClass.NEAR_POOR)
    assert "chuẩn nghèo nông thôn 1.500.000 đ" in year_end.reasons
    # The same household in a regular review of mid-2021 was still under QĐ 59/2015.
    during = hf.assessment(
        hf.household(world.officer_a, world.A, head="Trần Văn Bình"),
        world.officer_a,
        kind="regular",
        effective=date(2021, 6, 15),
        **inputs,
    )
    assert (during.standard.code, during.result_class) == ("qd59-2015", PovertyClass.MEDIUM)


def test_changing_a_draft_to_a_regular_review_moves_it_to_the_standard_of_its_date(world):
    household = hf.household(world.officer_a, world.A)
    draft = hf.assessment(household, world.officer_a, year=2021, income=1_200_000, deprived=frozenset())
    assert draft.standard.code == "nd07-2021"
    data = hf.assessment_input(
        household,
        year=2021,
        kind="regular",
        effective=date(2021, 9, 15),
        income=1_200_000,
        deprived=frozenset(),
    )
    services.assessment_update(
        assessment=draft, user=world.officer_a, data=data, expected_version=draft.version
    )
    draft.refresh_from_db()
    assert (draft.standard.code, draft.result_class) == ("qd59-2015", PovertyClass.MEDIUM)


def test_a_periodic_review_without_a_standard_for_the_next_year_is_refused(world):
    household = hf.household(world.officer_a, world.A)
    data = hf.assessment_input(household, year=2030, deprived=frozenset())
    with pytest.raises(services.AssessmentError) as caught:
        services.assessment_create(household=household, user=world.officer_a, data=data)
    assert str(caught.value) == services.NO_STANDARD % {
        "date": "01/01/2031",
        "kind": "rà soát định kỳ (hằng năm)",
        "year": 2030,
    }
    assert not Assessment.objects.exists()


def test_an_assessment_records_the_classification_and_why(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, year=2024, poverty="poor")
    assert assessment.result_class == PovertyClass.POOR
    assert assessment.deprived_count == 3
    # NĐ 07 order: bảo hiểm y tế is 4th, nguồn nước 9th, nhà tiêu 10th.
    assert assessment.deprived_mask == (1 << 3) | (1 << 8) | (1 << 9)
    assert "Thu nhập 1.000.000 đ/người/tháng ≤ chuẩn nghèo nông thôn 1.500.000 đ" in assessment.reasons
    assert "thiếu hụt 3 chỉ số" in assessment.reasons


def test_the_2016_standard_records_the_poor_group(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, year=2019, income=650_000, deprived=frozenset())
    assert (assessment.result_class, assessment.poor_group_label) == (PovertyClass.POOR, "N1")


def test_income_per_person_is_computed_from_the_yearly_income(world):
    household = hf.household(world.officer_a, world.A)
    data = hf.assessment_input(household, income=None, annual_income=69_600_000, member_count=4)
    assessment = services.assessment_create(household=household, user=world.officer_a, data=data)
    assert (assessment.annual_income, assessment.income_per_capita) == (69_600_000, 1_450_000)


def test_the_yearly_income_follows_a_per_person_income_typed_last(world):
    household = hf.household(world.officer_a, world.A)
    data = hf.assessment_input(
        household,
        income=1_250_000,
        annual_income=60_000_000,
        member_count=2,
        income_basis="per_capita",
        deprived=frozenset(),
    )
    assessment = services.assessment_create(household=household, user=world.officer_a, data=data)
    assert (assessment.annual_income, assessment.income_per_capita) == (30_000_000, 1_250_000)
    assert assessment.result_class == "near_poor"


def test_without_any_income_the_assessment_is_refused(world):
    household = hf.household(world.officer_a, world.A)
    with pytest.raises(services.AssessmentError, match="Hãy nhập thu nhập"):
        services.assessment_create(
            household=household, user=world.officer_a, data=hf.assessment_input(household, income=None)
        )


@pytest.mark.parametrize(
    ("kind", "effective", "ok"),
    [
        ("periodic", date(2024, 12, 15), True),
        ("periodic", date(2025, 1, 10), True),
        ("periodic", date(2023, 12, 31), False),
        ("regular", date(2024, 6, 15), True),
        ("regular", date(2025, 1, 15), False),
    ],
)
def test_the_effective_date_must_fit_the_review_year(world, kind, effective, ok):
    household = hf.household(world.officer_a, world.A)
    data = hf.assessment_input(household, year=2024, kind=kind, effective=effective)
    if ok:
        services.assessment_create(household=household, user=world.officer_a, data=data)
    else:
        with pytest.raises(services.AssessmentError, match="Ngày hiệu lực"):
            services.assessment_create(household=household, user=world.officer_a, data=data)


def test_only_one_open_assessment_per_household(world):
    household = hf.household(world.officer_a, world.A)
    hf.assessment(household, world.officer_a, state=A.SUBMITTED)
    with pytest.raises(services.AssessmentError, match="đang có phiếu rà soát chưa duyệt"):
        hf.assessment(household, world.officer_a, year=2025)


def test_the_review_workflow(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a)
    household.refresh_from_db()
    assert household.latest_state == A.DRAFT

    services.assessment_submit(assessment=assessment, user=world.officer_a)
    with pytest.raises(services.AssessmentError, match="không sửa được"):
        services.assessment_update(
            assessment=assessment,
            user=world.officer_a,
            data=hf.assessment_input(household),
            expected_version=assessment.version,
        )
    with pytest.raises(services.AssessmentError, match="lý do trả lại"):
        services.assessment_return(assessment=assessment, user=world.leader_a, reason="  ")
    services.assessment_return(assessment=assessment, user=world.leader_a, reason="Kiểm tra lại thu nhập")
    household.refresh_from_db()
    assert (household.latest_state, household.status_class) == (A.RETURNED, "")

    services.assessment_update(
        assessment=assessment,
        user=world.officer_a,
        data=hf.assessment_input(household, poverty="near_poor"),
        expected_version=assessment.version,
    )
    assert assessment.state == A.RETURNED and assessment.result_class == PovertyClass.NEAR_POOR
    with pytest.raises(services.AssessmentError, match="đang chờ duyệt"):
        services.assessment_approve(assessment=assessment, user=world.leader_a)
    services.assessment_submit(assessment=assessment, user=world.officer_a)
    services.assessment_approve(assessment=assessment, user=world.leader_a)

    assessment.refresh_from_db()
    household.refresh_from_db()
    assert (assessment.state, assessment.decided_by, assessment.change) == (
        A.APPROVED,
        world.leader_a,
        Change.NEW_NEAR_POOR,
    )
    assert (household.status_class, household.status_year, household.latest_state) == (
        "near_poor",
        2024,
        A.APPROVED,
    )


def test_a_submitted_assessment_can_be_withdrawn_to_draft_but_not_an_approved_one(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, state=A.SUBMITTED)
    services.assessment_withdraw(assessment=assessment, user=world.officer_a)
    assessment.refresh_from_db()
    household.refresh_from_db()
    assert (assessment.state, assessment.submitted_at, household.latest_state) == (A.DRAFT, None, A.DRAFT)
    with pytest.raises(services.AssessmentError, match="đang chờ duyệt"):
        services.assessment_withdraw(assessment=assessment, user=world.officer_a)
    approved = hf.assessment(
        hf.household(world.officer_a, world.A), world.officer_a, state=A.APPROVED, leader=world.leader_a
    )
    with pytest.raises(services.AssessmentError, match="thường xuyên"):
        services.assessment_withdraw(assessment=approved, user=world.officer_a)
    assert Assessment.objects.get(pk=approved.pk).state == A.APPROVED


def test_a_stale_approval_is_refused(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, state=A.SUBMITTED)
    seen_version = assessment.version
    services.assessment_return(
        assessment=Assessment.objects.get(pk=assessment.pk), user=world.leader_a, reason="Sai"
    )
    services.assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk), user=world.officer_a)
    with pytest.raises(ConcurrentEditError):
        services.assessment_approve(
            assessment=Assessment.objects.get(pk=assessment.pk),
            user=world.leader_a,
            expected_version=seen_version,
        )


def test_a_draft_can_be_discarded_but_not_an_approved_assessment(world):
    household = hf.household(world.officer_a, world.A)
    draft = hf.assessment(household, world.officer_a)
    services.assessment_delete(assessment=draft, user=world.officer_a)
    household.refresh_from_db()
    assert household.latest_state == ""
    approved = hf.assessment(household, world.officer_a, state=A.APPROVED, leader=world.leader_a)
    with pytest.raises(services.AssessmentError):
        services.assessment_delete(assessment=approved, user=world.officer_a)


# --- The chain of approved assessments ----------------------------------------------------------


def _approve(household, world, year, poverty, **kw):
    return hf.assessment(
        household, world.officer_a, state=A.APPROVED, leader=world.leader_a, year=year, poverty=poverty, **kw
    )


def _chain(household):
    rows = Assessment.objects.filter(household=household, state=A.APPROVED).order_by("effective_date", "pk")
    return [
        (a.review_year, a.change, a.previous.review_year if a.previous else None, a.valid_until) for a in rows
    ]


def test_changes_along_a_households_history_include_relapse(world):
    household = hf.household(world.officer_a, world.A)
    _approve(household, world, 2022, "poor")
    _approve(household, world, 2023, "not_poor")
    _approve(household, world, 2024, "poor")
    _approve(household, world, 2025, "near_poor")
    _approve(household, world, 2026, "near_poor")
    assert _chain(household) == [
        (2022, Change.NEW_POOR, None, date(2023, 12, 15)),
        (2023, Change.ESCAPED_POVERTY, 2022, date(2024, 12, 15)),
        (2024, Change.RELAPSED_POOR, 2023, date(2025, 12, 15)),
        (2025, Change.ESCAPED_TO_NEAR_POOR, 2024, date(2026, 12, 15)),
        (2026, Change.UNCHANGED, 2025, None),
    ]
    household.refresh_from_db()
    assert (household.status_class, household.status_year) == ("near_poor", 2026)


def test_an_approval_with_an_earlier_effective_date_fits_into_the_chain(world):
    household = hf.household(world.officer_a, world.A)
    _approve(household, world, 2022, "near_poor")
    _approve(household, world, 2024, "poor")  # near-poor → poor, never poor before
    assert _chain(household)[1][1] == Change.NEAR_POOR_TO_POOR

    # A mid-2023 regular review, approved later, found the household poor and then not poor.
    _approve(household, world, 2023, "poor", kind="regular", effective=date(2023, 6, 15))
    assert _chain(household) == [
        (2022, Change.NEW_NEAR_POOR, None, date(2023, 6, 15)),
        (2023, Change.NEAR_POOR_TO_POOR, 2022, date(2024, 12, 15)),
        (2024, Change.UNCHANGED, 2023, None),
    ]
    household.refresh_from_db()
    assert (household.status_class, household.status_year) == ("poor", 2024)  # still the latest by date


def test_an_inserted_earlier_poor_status_turns_a_later_return_into_relapse(world):
    household = hf.household(world.officer_a, world.A)
    _approve(household, world, 2023, "not_poor")
    _approve(household, world, 2024, "poor")
    assert _chain(household)[1][1] == Change.NEW_POOR
    _approve(household, world, 2022, "poor")
    assert [row[1] for row in _chain(household)] == [
        Change.NEW_POOR,
        Change.ESCAPED_POVERTY,
        Change.RELAPSED_POOR,
    ]


def test_two_approvals_on_the_same_date_the_later_one_holds(world):
    household = hf.household(world.officer_a, world.A)
    first = _approve(household, world, 2024, "poor")
    second = _approve(household, world, 2024, "near_poor")
    first.refresh_from_db()
    assert first.valid_until == first.effective_date  # superseded the same day: never the status
    assert second.valid_until is None
    counts = count_by_class(Assessment.objects.filter(household=household), date(2025, 1, 1))
    assert (counts.households, counts.near_poor) == (1, 1)


def test_status_on_a_date_follows_the_chain(world):
    household = hf.household(world.officer_a, world.A)
    _approve(household, world, 2022, "poor")
    _approve(household, world, 2024, "not_poor")
    scoped = Assessment.objects.filter(household=household)
    assert count_by_class(scoped, date(2022, 12, 14)).households == 0
    assert count_by_class(scoped, date(2022, 12, 15)).poor == 1
    assert count_by_class(scoped, date(2024, 12, 14)).poor == 1
    assert count_by_class(scoped, date(2024, 12, 15)).not_poor == 1


def test_a_first_status_loaded_by_an_import_stays_a_baseline(world):
    from core.models import Job

    household = hf.household(world.officer_a, world.A)
    job = Job.objects.create(owner=world.admin_p, kind=Job.Kind.CENSUS_IMPORT, title="Nhập 2020")
    f.AssessmentFactory(household=household, review_year=2020, import_job=job, result_class=PovertyClass.POOR)
    services.assessment_chain_rebuild(household=household)
    _approve(household, world, 2022, "not_poor")
    assert [row[1] for row in _chain(household)] == [Change.FIRST, Change.ESCAPED_POVERTY]
    household.refresh_from_db()
    assert household.status_class == PovertyClass.NOT_POOR
