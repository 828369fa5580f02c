"""The leader's review page (issue 13 §7): the household's members and the figures that decide the
class are on it, "Duyệt" needs "Tôi đã kiểm tra" ticked (no JavaScript needed), and the return
reason is a form of its own, apart from the approval."""

import pytest
from django.urls import reverse

from households.forms import APPROVE_UNCHECKED
from households.models import Assessment
from tests.formdata import page_form
from tests.households import factories as hf

pytestmark = pytest.mark.django_db

A = Assessment.State


def _submitted(world, **kw) -> Assessment:
    household = hf.household(
        world.officer_a,
        world.A,
        head="Hồ Thị Lan",
        others=[hf.member("Hồ Văn Nam", relation="child", birth_year=2012)],
    )
    return hf.assessment(household, world.officer_a, state=A.SUBMITTED, **kw)


def _page(client, assessment):
    return client.get(reverse("households:assessment_detail", args=[assessment.pk]))


def test_the_leader_sees_the_members_and_the_figures_that_decide_the_class(world):
    assessment = _submitted(world, income=1_200_000, year=2024)  # NĐ 07/2021, rural, 3 deprivations
    page = " ".join(_page(world.client_for(world.leader_a), assessment).content.decode().split())
    for name, relation, year in (("Hồ Thị Lan", "Chủ hộ", "1980"), ("Hồ Văn Nam", "Con", "2012")):
        assert f"<td>{name}" in page
        assert f"<td>{relation}</td>" in page
        assert f"<td>{year}</td>" in page
    assert "1.200.000 đ/người/tháng" in page
    assert "Chuẩn nghèo (nông thôn)</dt>" in page
    assert "1.500.000 đ/người/tháng" in page  # NĐ 07/2021's rural line
    assert "Mức sống trung bình, đến</dt>" in page
    assert "2.250.000 đ/người/tháng" in page
    assert "3 chỉ số (hộ nghèo khi thiếu hụt từ 3 chỉ số)" in page
    assert "Chuẩn cận nghèo" not in page  # no near-poverty line after 2021


def test_the_2016_standard_shows_its_near_poverty_line_and_a_count_that_disagrees_is_pointed_out(world):
    assessment = _submitted(world, year=2016, income=800_000, member_count=3)
    page = " ".join(_page(world.client_for(world.leader_a), assessment).content.decode().split())
    assert "Chuẩn nghèo (nông thôn)</dt>" in page
    assert "700.000 đ/người/tháng" in page
    assert "Chuẩn cận nghèo (nông thôn)</dt>" in page
    assert "1.000.000 đ/người/tháng" in page
    assert "Phiếu ghi 3 nhân khẩu, danh sách của hộ có 2 người." in page


def test_approving_without_ticking_the_check_changes_nothing_and_says_so_at_the_box(world):
    assessment = _submitted(world)
    leader = world.client_for(world.leader_a)
    url = reverse("households:assessment_approve", args=[assessment.pk])
    response = leader.post(url, {"version": assessment.version})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Có 1 lỗi cần sửa" in page
    assert 'href="#id_checked"' in page
    assert str(APPROVE_UNCHECKED) in page
    assert 'aria-invalid="true"' in page.split('id="id_checked"')[0].rsplit("<input", 1)[1]
    assessment.refresh_from_db()
    assert assessment.state == A.SUBMITTED

    leader.post(url, {"version": assessment.version, "checked": "on"})
    assessment.refresh_from_db()
    assert assessment.state == A.APPROVED


def test_the_approval_and_the_return_are_separate_forms(world):
    assessment = _submitted(world)
    response = _page(world.client_for(world.leader_a), assessment)
    approve = page_form(response, reverse("households:assessment_approve", args=[assessment.pk]))
    returned = page_form(response, reverse("households:assessment_return", args=[assessment.pk]))
    assert "reason" not in approve.values
    assert "reason" in returned.values
    html = response.content.decode()
    approval = html[html.index('id="approve-title"') : html.index('id="return-title"')]
    assert 'name="checked"' in approval and 'name="reason"' not in approval
    assert "data-confirm=" in approval  # and a JavaScript confirmation on top


def test_the_officer_sees_the_members_and_figures_but_no_decision(world):
    assessment = _submitted(world)
    page = _page(world.client_for(world.officer_a), assessment).content.decode()
    assert "Hồ Văn Nam" in page
    assert "Căn cứ phân loại" in page
    assert 'name="checked"' not in page
    assert reverse("households:assessment_approve", args=[assessment.pk]) not in page
