"""Creating, allocating and sharing targets."""

from decimal import Decimal

import pytest

from core.concurrency import ConcurrentEditError
from households.models import Assessment, PovertyClass
from targets import services
from targets.models import AnnualTarget
from tests import factories as f
from units.models import Organisation

from .factories import households
from .sources import DA_NANG_2017, DA_NANG_2017_TOTAL

POOR, NEAR, NOT = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.NOT_POOR
ALL = Assessment.objects.all


def _target(world, unit=None, **kwargs):
    return services.target_create(
        unit=unit or world.P,
        year=2026,
        reduce_poor=kwargs.pop("reduce_poor", 10),
        reduce_near_poor=kwargs.pop("reduce_near_poor", 4),
        assessments=ALL(),
        user=world.province_officer,
        **kwargs,
    )


def test_a_target_freezes_its_computed_baseline(world):
    households(world.A, {POOR: 3, NEAR: 2, NOT: 5})
    target = _target(world)
    assert target.baseline_source == AnnualTarget.BaselineSource.COMPUTED
    assert (target.baseline_households, target.baseline_poor, target.baseline_near_poor) == (10, 3, 2)
    assert target.baseline_date.isoformat() == "2026-01-01"
    households(world.A, {POOR: 4})  # later data does not move a frozen baseline
    target.refresh_from_db()
    assert target.baseline_poor == 3


def test_a_unit_without_household_data_takes_an_entered_baseline(world):
    entered = services.selectors.Baseline(households=1458, poor=99, near_poor=40)
    target = _target(world, unit=world.C, entered=entered)
    assert target.baseline_source == AnnualTarget.BaselineSource.ENTERED
    assert (target.baseline_households, target.baseline_poor) == (1458, 99)


def test_one_locality_target_per_unit_and_year(world):
    _target(world)
    with pytest.raises(services.TargetError) as error:
        _target(world)
    assert (
        str(error.value)
        == "Tỉnh Thử đã có chỉ tiêu năm 2026 của chính quyền địa phương. Hãy mở chỉ tiêu đó để sửa."
    )
    # The Women's Union's target at the same unit is another target.
    assert _target(world, organisation=world.union_p).organisation == world.union_p


def test_negative_figures_are_refused(world):
    with pytest.raises(services.TargetError):
        _target(world, reduce_poor=-1)


def _rows(world, poor_a, poor_b, near_a=0, near_b=0):
    return [
        services.ChildAllocation(unit=world.A, reduce_poor=poor_a, reduce_near_poor=near_a),
        services.ChildAllocation(unit=world.B, reduce_poor=poor_b, reduce_near_poor=near_b),
    ]


def test_allocation_that_adds_up_creates_children_with_their_own_baselines(world):
    households(world.A, {POOR: 6, NOT: 4})
    households(world.B, {POOR: 2, NEAR: 4})
    parent = _target(world, reduce_poor=4, reduce_near_poor=2)
    children = services.target_allocate(
        parent=parent,
        rows=_rows(world, 3, 1, 0, 2),
        mismatch_reason="",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=parent.version,
    )
    assert [(c.unit, c.reduce_poor, c.reduce_near_poor, c.parent) for c in children] == [
        (world.A, 3, 0, parent),
        (world.B, 1, 2, parent),
    ]
    assert (children[0].baseline_households, children[0].baseline_poor) == (10, 6)
    assert children[1].baseline_near_poor == 4
    parent.refresh_from_db()
    assert parent.mismatch_reason == ""
    assert parent.version == 2


def test_allocation_that_does_not_add_up_needs_a_reason_and_changes_nothing_without_one(world):
    parent = _target(world, reduce_poor=10, reduce_near_poor=4)
    with pytest.raises(services.TargetError) as error:
        services.target_allocate(
            parent=parent,
            rows=_rows(world, 5, 3, 4, 0),
            mismatch_reason="  ",
            assessments=ALL(),
            user=world.province_officer,
            expected_version=parent.version,
        )
    assert str(error.value) == (
        "Tổng chỉ tiêu các đơn vị cấp dưới chưa khớp với Tỉnh Thử: hộ nghèo 8 so với 10 (chênh -2). "
        "Hãy sửa cho khớp, hoặc ghi lý do chênh lệch rồi lưu lại."
    )
    assert AnnualTarget.objects.count() == 1
    parent.refresh_from_db()
    assert parent.version == 1

    services.target_allocate(
        parent=parent,
        rows=_rows(world, 5, 3, 4, 0),
        mismatch_reason="Xã C chưa có dữ liệu",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=parent.version,
    )
    parent.refresh_from_db()
    assert parent.mismatch_reason == "Xã C chưa có dữ liệu"
    assert AnnualTarget.objects.filter(parent=parent).count() == 2


def test_reallocating_updates_children_and_skips_empty_new_ones(world):
    parent = _target(world, reduce_poor=4, reduce_near_poor=0)
    services.target_allocate(
        parent=parent,
        rows=_rows(world, 4, 0),
        mismatch_reason="",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=1,
    )
    assert list(AnnualTarget.objects.filter(parent=parent).values_list("unit", flat=True)) == [world.A.pk]
    services.target_allocate(
        parent=parent,
        rows=_rows(world, 1, 3),
        mismatch_reason="",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=2,
    )
    child_a = AnnualTarget.objects.get(unit=world.A, year=2026)
    assert (child_a.reduce_poor, child_a.version) == (1, 2)
    assert AnnualTarget.objects.get(unit=world.B, year=2026).reduce_poor == 3


def test_two_people_allocating_at_once_the_second_is_told(world):
    parent = _target(world, reduce_poor=4, reduce_near_poor=0)
    services.target_allocate(
        parent=parent,
        rows=_rows(world, 4, 0),
        mismatch_reason="",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=1,
    )
    stale = AnnualTarget.objects.get(pk=parent.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.target_allocate(
            parent=stale,
            rows=_rows(world, 2, 2),
            mismatch_reason="",
            assessments=ALL(),
            user=world.admin_p,
            expected_version=1,
        )
    assert AnnualTarget.objects.get(unit=world.A, year=2026).reduce_poor == 4


def test_an_organisation_target_allocates_to_the_same_kind_of_organisation_below(world):
    parent = _target(world, organisation=world.union_p, reduce_poor=2, reduce_near_poor=0)
    [child] = services.target_allocate(
        parent=parent,
        rows=_rows(world, 2, 0),
        mismatch_reason="",
        assessments=ALL(),
        user=world.province_officer,
        expected_version=1,
    )
    assert child.organisation.kind == Organisation.Kind.WOMENS_UNION
    assert child.organisation.unit == world.A


def test_the_womens_union_share_reproduces_the_da_nang_plan(world):
    city = f.province(name="Thành phố Đà Nẵng", code="48", admin_version="pre2025")
    districts = [f.district(city, name=f"Quận {name}") for name, *_ in DA_NANG_2017]
    top = services.target_create(
        unit=city,
        year=2017,
        reduce_poor=4400,
        reduce_near_poor=2300,
        assessments=ALL(),
        user=world.national_admin,
    )
    rows = [
        services.ChildAllocation(unit=district, reduce_poor=poor, reduce_near_poor=near)
        for district, (_, poor, near, _pnn, _pncn) in zip(districts, DA_NANG_2017, strict=True)
    ]
    services.target_allocate(
        parent=top,
        rows=rows,
        mismatch_reason="",
        assessments=ALL(),
        user=world.national_admin,
        expected_version=1,
    )

    shares = services.target_share_assign(
        target=top, kind=Organisation.Kind.WOMENS_UNION, percent=Decimal("20"), user=world.national_admin
    )

    union_top, *union_districts = shares
    assert union_top.organisation.unit == city
    assert (union_top.reduce_poor, union_top.reduce_near_poor) == DA_NANG_2017_TOTAL[2:]
    assert [(s.reduce_poor, s.reduce_near_poor) for s in union_districts] == [
        (row[3], row[4]) for row in DA_NANG_2017
    ]
    assert all(s.parent == union_top and s.share_percent == 20 for s in union_districts)
    assert union_districts[0].organisation.name == "Hội Liên hiệp Phụ nữ quận Hải Châu"
    assert union_districts[0].baseline_source == AnnualTarget.BaselineSource.ENTERED
    # Assigning again updates the same rows.
    services.target_share_assign(
        target=top, kind=Organisation.Kind.WOMENS_UNION, percent=Decimal("15"), user=world.national_admin
    )
    assert AnnualTarget.objects.filter(year=2017, organisation__isnull=False).count() == 8
    assert AnnualTarget.objects.get(pk=union_districts[0].pk).reduce_poor == 63  # 15 % of 420


def test_share_only_from_a_locality_target_and_to_a_mass_organisation(world):
    union_target = _target(world, organisation=world.union_p)
    with pytest.raises(services.TargetError):
        services.target_share_assign(
            target=union_target, kind="hlhpn", percent=Decimal(20), user=world.admin_p
        )
    with pytest.raises(services.TargetError):
        services.target_share_assign(
            target=_target(world), kind="ubnd", percent=Decimal(20), user=world.admin_p
        )


def test_share_of_a_target_without_children(world):
    target = _target(world, reduce_poor=13, reduce_near_poor=3)
    [share] = services.target_share_assign(
        target=target, kind="hlhpn", percent=Decimal(20), user=world.admin_p
    )
    assert (share.reduce_poor, share.reduce_near_poor) == (3, 1)  # 2,6 → 3; 0,6 → 1


def test_the_rates_that_follow_from_a_target():
    target = AnnualTarget(
        reduce_poor=17, reduce_near_poor=5, baseline_households=1458, baseline_poor=99, baseline_near_poor=65
    )
    assert (target.reduce_rate, target.year_end_poor, target.year_end_poor_rate) == (
        Decimal("1.17"),
        82,
        Decimal("5.62"),
    )
    assert (target.year_end_near_poor, target.year_end_near_poor_rate) == (60, Decimal("4.12"))
    assert AnnualTarget(reduce_poor=1).reduce_rate is None
