"""The targets and registration pages, through the people who use them."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from households.models import Assessment, PovertyClass
from targets import services
from targets.models import AnnualTarget, HelpEntry, Outcome, Registration
from tests import factories as f
from units.models import Organisation, Role

from .factories import household

POOR, NEAR = PovertyClass.POOR, PovertyClass.NEAR_POOR
YEAR = timezone.localdate().year


def _target(world, unit, reduce_poor=10, reduce_near_poor=4, **kwargs):
    return services.target_create(
        unit=unit,
        year=YEAR,
        reduce_poor=reduce_poor,
        reduce_near_poor=reduce_near_poor,
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        **kwargs,
    )


def _current(world, commune, klass=POOR, **kwargs):
    """A household whose status from last year's review holds this year."""
    return household(commune, klass, on=date(YEAR - 1, 12, 15), **kwargs)


# --- Targets ----------------------------------------------------------------------------------


def test_province_officer_gives_a_target_and_its_baseline_is_computed(world):
    for _ in range(3):
        _current(world, world.A)
    client = world.client_for(world.province_officer)
    page = client.get(reverse("targets:create", args=[world.P.pk]))
    assert "Tính từ phiếu rà soát đã duyệt" in page.text
    response = client.post(
        reverse("targets:create", args=[world.P.pk]),
        {"year": YEAR, "org": "", "reduce_poor": 2, "reduce_near_poor": 0},
    )
    target = AnnualTarget.objects.get(unit=world.P, year=YEAR)
    assert response.url == reverse("targets:detail", args=[target.pk])
    assert (target.baseline_source, target.baseline_poor, target.created_by) == (
        "computed",
        3,
        world.province_officer,
    )


def test_a_commune_officer_may_look_but_not_give_targets(world):
    target = _target(world, world.A)
    client = world.client_for(world.officer_a)
    assert client.get(reverse("targets:detail", args=[target.pk])).status_code == 200
    assert client.get(reverse("targets:create", args=[world.A.pk])).status_code == 403
    assert (
        client.post(
            reverse("targets:edit", args=[target.pk]),
            {"version": 1, "reduce_poor": 99, "reduce_near_poor": 0},
        ).status_code
        == 403
    )
    target.refresh_from_db()
    assert target.reduce_poor == 10


def test_allocation_screen_shows_each_child_with_its_baseline_and_suggests_in_proportion(world):
    for _ in range(3):
        _current(world, world.A)
    _current(world, world.B)
    target = _target(world, world.P, reduce_poor=7, reduce_near_poor=0)
    client = world.client_for(world.province_officer)
    url = reverse("targets:allocate", args=[target.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert world.A.name in page.text and world.B.name in page.text
    assert 'data-parent="poor" data-value="7"' in page.text

    suggested = client.post(
        url,
        {
            "version": 1,
            "action": "suggest_poor",
            f"poor_{world.A.pk}": 0,
            f"poor_{world.B.pk}": 0,
            f"near_{world.A.pk}": 0,
            f"near_{world.B.pk}": 0,
        },
    )
    # A has 3 poor households on 1 January, B 1: 7 × 3/4 = 5,25 and 7 × 1/4 = 1,75 → 5 and 2.
    fields = suggested.context["form"]
    assert (fields[f"poor_{world.A.pk}"].value(), fields[f"poor_{world.B.pk}"].value()) == ("5", "2")
    assert "Đã chia số hộ nghèo giảm theo tỷ lệ hộ nghèo" in suggested.text
    assert not AnnualTarget.objects.filter(parent=target).exists()  # a suggestion saves nothing


def test_saving_an_allocation_that_does_not_add_up_needs_a_reason(world):
    target = _target(world, world.P, reduce_poor=10, reduce_near_poor=0)
    client = world.client_for(world.province_officer)
    url = reverse("targets:allocate", args=[target.pk])
    data = {
        "version": 1,
        "action": "save",
        f"poor_{world.A.pk}": 6,
        f"poor_{world.B.pk}": 3,
        f"near_{world.A.pk}": 0,
        f"near_{world.B.pk}": 0,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "hộ nghèo 9 so với 10 (chênh -1)" in refused.text
    assert not AnnualTarget.objects.filter(parent=target).exists()

    saved = client.post(url, data | {"mismatch_reason": "Phường Bắc Sơn đã đạt chỉ tiêu năm trước"})
    assert saved.status_code == 302
    target.refresh_from_db()
    assert target.mismatch_reason == "Phường Bắc Sơn đã đạt chỉ tiêu năm trước"
    assert sorted(AnnualTarget.objects.filter(parent=target).values_list("reduce_poor", flat=True)) == [3, 6]
    detail = client.get(reverse("targets:detail", args=[target.pk]))
    assert "Phường Bắc Sơn đã đạt chỉ tiêu năm trước" in detail.text


def _row_of(page: str, name: str) -> str:
    """The opening tag of the table row of a unit named `name`."""
    start = page.rindex("<tr", 0, page.index(f"{name}\n"))
    return page[start : page.index(">", start) + 1]


def test_allocation_folds_units_without_figures_and_counts_what_changed(world):
    _current(world, world.A)
    _current(world, world.B)
    empty = f.commune(world.P, name="Xã Chưa Có")
    target = _target(world, world.P, reduce_poor=10, reduce_near_poor=0)
    client = world.client_for(world.province_officer)
    url = reverse("targets:allocate", args=[target.pk])

    page = client.get(url).text
    assert "hidden" in _row_of(page, empty.name) and "hidden" not in _row_of(page, world.A.name)
    assert "Hiện cả đơn vị chưa có số liệu (1)" in page and 'href="?all=1"' in page
    unfolded = client.get(url, {"all": "1"}).text
    assert "hidden" not in _row_of(unfolded, empty.name)
    assert "Ẩn các đơn vị chưa có số liệu (1)" in unfolded

    data = {"version": 1, "action": "save", f"near_{world.A.pk}": 0, f"near_{world.B.pk}": 0}
    data |= {f"near_{empty.pk}": 0, f"poor_{empty.pk}": 0}
    first = client.post(url, data | {f"poor_{world.A.pk}": 6, f"poor_{world.B.pk}": 4}, follow=True)
    assert "Đã lưu phân bổ cho 2 đơn vị." in first.text  # not 3: the empty commune got nothing
    a_target = AnnualTarget.objects.get(parent=target, unit=world.A)
    again = client.post(
        url,
        data | {"version": 2, f"poor_{world.A.pk}": 5, f"poor_{world.B.pk}": 4, "mismatch_reason": "Bớt 1"},
        follow=True,
    )
    assert "Đã lưu phân bổ cho 1 đơn vị." in again.text, [m.message for m in again.context["messages"]]
    a_target.refresh_from_db()
    b_target = AnnualTarget.objects.get(parent=target, unit=world.B)
    assert (a_target.reduce_poor, a_target.version, b_target.version) == (5, 2, 1)  # B not saved again
    unchanged = client.post(
        url,
        data | {"version": 3, f"poor_{world.A.pk}": 5, f"poor_{world.B.pk}": 4, "mismatch_reason": "Bớt 1"},
    )
    assert unchanged.status_code == 302
    assert "Phân bổ không thay đổi." in client.get(unchanged.url).text


def test_bad_figures_are_refused_in_plain_vietnamese(world):
    target = _target(world, world.P, reduce_poor=10, reduce_near_poor=0)
    client = world.client_for(world.province_officer)
    data = {"version": 1, "action": "save", f"near_{world.A.pk}": 0, f"near_{world.B.pk}": 0}
    refused = client.post(
        reverse("targets:allocate", args=[target.pk]),
        data | {f"poor_{world.A.pk}": -5, f"poor_{world.B.pk}": "mười"},
    )
    assert "Số hộ không được âm." in refused.text
    assert "Hãy nhập số hộ bằng chữ số, ví dụ 420." in refused.text
    assert not AnnualTarget.objects.filter(parent=target).exists()
    for percent in ("150", "-1", "hai mươi"):
        page = client.post(reverse("targets:share", args=[target.pk]), {"kind": "hlhpn", "percent": percent})
        assert page.status_code == 200
        assert "Tỷ lệ phải từ 0 đến 100%." in page.text or "ví dụ 20 hoặc 12,5" in page.text
    assert not AnnualTarget.objects.filter(organisation__isnull=False).exists()


def test_a_unit_with_no_children_has_nothing_to_allocate(world):
    target = _target(world, world.B)
    page = world.client_for(world.province_officer).get(reverse("targets:allocate", args=[target.pk]))
    assert "không có đơn vị cấp dưới" in page.text


def test_share_and_union_table(world):
    target = _target(world, world.P, reduce_poor=10, reduce_near_poor=5)
    services.target_allocate(
        parent=target,
        rows=[services.ChildAllocation(world.A, 6, 5), services.ChildAllocation(world.B, 4, 0)],
        mismatch_reason="",
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        expected_version=1,
    )
    client = world.client_for(world.province_officer)
    response = client.post(reverse("targets:share", args=[target.pk]), {"kind": "hlhpn", "percent": "20"})
    assert response.status_code == 302
    page = client.get(response.url)
    table = page.context["table"]
    keys = ["locality_poor", "locality_near_poor", "organisation_poor", "organisation_near_poor"]
    rows = [[row.cells[key] for key in keys] for row in table.data_rows]
    assert rows == [[6, 5, 1, 1], [4, 0, 1, 0]]  # 1,2 → 1; 0,8 → 1
    assert "Chỉ tiêu giảm 20% hộ PNN, hộ PNCN" in page.text


def test_target_table_page_writes_the_formulas(world):
    target = _target(world, world.P)
    services.target_allocate(
        parent=target,
        rows=[services.ChildAllocation(world.A, 6, 4), services.ChildAllocation(world.B, 4, 0)],
        mismatch_reason="",
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        expected_version=1,
    )
    page = world.client_for(world.province_officer).get(reverse("targets:table", args=[target.pk]))
    assert "10=2-8" in page.text
    assert [row.cells["label"] for row in page.context["table"].data_rows] == [world.A.name, world.B.name]
    # A commune officer does not see the province's target, only their own commune's.
    assert (
        world.client_for(world.officer_a).get(reverse("targets:table", args=[target.pk])).status_code == 404
    )


# --- Registrations ------------------------------------------------------------------------------


def test_union_officer_registers_from_the_eligible_list(world):
    poor = _current(world, world.A, female_head=True)
    _current(world, world.A, NEAR)
    _current(world, world.A, PovertyClass.NOT_POOR)
    client = world.client_for(world.union_officer_p)
    page = client.get(reverse("targets:eligible"), {"female_head": "1"})
    assert [h.pk for h in page.context["page"]] == [poor.pk]
    response = client.post(
        reverse("targets:registration_create", args=[poor.pk]),
        {
            "organisation": world.union_p.pk,
            "year": YEAR,
            "circumstances": "Mẹ đơn thân",
            "measures": ["1"],
            "responsible_member": "Chi hội Thôn Một",
        },
    )
    registration = Registration.objects.get()
    assert response.url == reverse("targets:registration_detail", args=[registration.pk])
    assert (registration.organisation, registration.class_at_registration) == (world.union_p, POOR)
    eligible = reverse("targets:eligible")
    assert client.get(eligible).context["page"].paginator.count == 1  # the near-poor one left
    assert client.get(eligible, {"year": YEAR}).context["page"].paginator.count == 1
    assert client.get(eligible, {"year": YEAR, "registered": ""}).context["page"].paginator.count == 2
    assert [h.pk for h in client.get(eligible, {"registered": "1"}).context["page"]] == [poor.pk]
    again = client.post(
        reverse("targets:registration_create", args=[poor.pk]),
        {"organisation": world.union_p.pk, "year": YEAR},
    )
    assert "Hội LHPN tỉnh Thử đã đăng ký giúp hộ này" in again.text
    assert Registration.objects.count() == 1


def test_an_organisation_officer_of_one_district_cannot_register_or_see_households_of_another(world):
    # union_officer works for the Women's Union of district OD (pre-2025); A is elsewhere.
    item = _current(world, world.A)
    other_district_household = _current(world, world.OA)
    client = world.client_for(world.union_officer)
    assert client.get(reverse("targets:registration_create", args=[item.pk])).status_code == 404
    assert (
        client.post(
            reverse("targets:registration_create", args=[item.pk]),
            {"organisation": world.union_od.pk, "year": YEAR},
        ).status_code
        == 404
    )
    assert not Registration.objects.exists()
    listed = client.get(reverse("targets:eligible")).context["page"]
    assert [h.pk for h in listed] == [other_district_household.pk]
    registration = services.registration_create(
        organisation=world.union_p, household=item, year=YEAR, user=world.union_officer_p
    )
    assert client.get(reverse("targets:registration_detail", args=[registration.pk])).status_code == 404
    assert client.get(reverse("targets:registration_list")).context["page"].paginator.count == 0


def test_another_organisation_reads_but_does_not_change_the_unions_registration(world):
    farmers = f.OrganisationFactory(
        unit=world.P, kind=Organisation.Kind.FARMERS_UNION, name="Hội Nông dân tỉnh Thử"
    )
    farmer = f.UserFactory(username="nongdan")
    f.member_of(farmer, world.P, Role.ORG_OFFICER, farmers)
    registration = services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    client = world.client_for(farmer)
    assert client.get(reverse("targets:registration_detail", args=[registration.pk])).status_code == 200
    assert (
        client.post(
            reverse("targets:help_add", args=[registration.pk]),
            {"kind": "loan", "value": "1", "date": "01/01/2026"},
        ).status_code
        == 403
    )
    assert not HelpEntry.objects.exists()


def test_help_outcome_and_confirmation_through_the_pages(world):
    registration = services.registration_create(
        organisation=world.union_p,
        household=_current(world, world.A),
        year=YEAR,
        user=world.union_officer_p,
        registered_on=date(YEAR, 1, 2),
    )
    union = world.client_for(world.union_officer_p)
    detail = reverse("targets:registration_detail", args=[registration.pk])
    today = timezone.localdate()
    union.post(
        reverse("targets:help_add", args=[registration.pk]),
        {"kind": "loan", "value": "30.000.000", "date": today.strftime("%d/%m/%Y"), "note": "NHCSXH"},
    )
    registration.refresh_from_db()
    assert registration.last_help_on == today
    assert registration.help_entries.get().value == 30_000_000
    bad = union.post(
        reverse("targets:help_add", args=[registration.pk]),
        {"kind": "loan", "value": "1", "date": (today + timedelta(days=1)).strftime("%d/%m/%Y")},
        follow=True,
    )
    assert "Ngày hỗ trợ không được sau hôm nay." in bad.text
    for value, day, message in [
        ("-30.000.000", today, "Số tiền không được âm; nhập 0 nếu không quy ra tiền."),
        ("ba triệu", today, "Hãy nhập số tiền bằng chữ số, ví dụ 30.000.000."),
        ("99999999999999999999", today, "Số tiền quá lớn (tối đa 10.000.000.000 đ)"),
        ("1", date(YEAR - 1, 12, 31), f"Ngày hỗ trợ phải từ 01/01/{YEAR} trở đi"),
    ]:
        refused = union.post(
            reverse("targets:help_add", args=[registration.pk]),
            {"kind": "loan", "value": value, "date": day.strftime("%d/%m/%Y")},
            follow=True,
        )
        assert message in refused.text
    assert registration.help_entries.count() == 1

    union.post(
        reverse("targets:propose", args=[registration.pk]), {"version": 1, "outcome": Outcome.ESCAPED_POVERTY}
    )
    leader = world.client_for(world.leader_a)
    page = leader.get(detail)
    assert "Xác nhận kết quả" in page.text
    leader.post(
        reverse("targets:confirm", args=[registration.pk]),
        {"version": 2, "outcome": Outcome.ESCAPED_POVERTY, "confirmed_on": today.strftime("%d/%m/%Y")},
    )
    registration.refresh_from_db()
    assert (registration.confirmed_outcome, registration.confirmed_by) == (
        Outcome.ESCAPED_POVERTY,
        world.leader_a,
    )
    # The union cannot confirm, the leader cannot propose.
    assert union.post(reverse("targets:confirm", args=[registration.pk]), {}).status_code == 403
    assert leader.post(reverse("targets:propose", args=[registration.pk]), {}).status_code == 403


def test_outcome_steps_say_what_went_wrong_and_change_nothing(world):
    registration = services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    union, leader = world.client_for(world.union_officer_p), world.client_for(world.leader_a)
    propose = reverse("targets:propose", args=[registration.pk])
    confirm = reverse("targets:confirm", args=[registration.pk])
    assert "Hãy chọn kết quả đề xuất." in union.post(propose, {"version": 1}, follow=True).text
    no_date = leader.post(confirm, {"version": 1, "outcome": Outcome.ESCAPED_POVERTY}, follow=True)
    assert "Chưa xác nhận được: Ngày xác nhận" in no_date.text
    registration.refresh_from_db()
    assert (registration.proposed_outcome, registration.confirmed_outcome, registration.version) == (
        "",
        "",
        1,
    )
    union.post(propose, {"version": 1, "outcome": Outcome.ESCAPED_POVERTY})
    stale = union.post(propose, {"version": 1, "outcome": Outcome.NOT_YET}, follow=True)
    assert "vừa sửa bản ghi này" in stale.text
    registration.refresh_from_db()
    assert (registration.proposed_outcome, registration.version) == (Outcome.ESCAPED_POVERTY, 2)


def test_a_stale_form_tells_who_changed_what(world):
    registration = services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    client = world.client_for(world.union_officer_p)
    url = reverse("targets:registration_edit", args=[registration.pk])
    client.post(url, {"version": 1, "circumstances": "Lần một"})
    response = client.post(url, {"version": 1, "circumstances": "Lần hai"}, follow=True)
    assert "vừa sửa bản ghi này (hoàn cảnh)" in response.text
    registration.refresh_from_db()
    assert registration.circumstances == "Lần một"


def test_registrations_without_help_for_90_days_are_highlighted(world):
    old = services.registration_create(
        organisation=world.union_p,
        household=_current(world, world.A),
        year=YEAR,
        user=world.union_officer_p,
        registered_on=timezone.localdate() - timedelta(days=120),
    )
    services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    client = world.client_for(world.union_officer_p)
    page = client.get(reverse("targets:registration_list"))
    stale = [r.pk for r in page.context["page"] if r.stale]
    assert stale == [old.pk]
    assert page.text.count('class="stale-row table-warning"') == 1
    only = client.get(reverse("targets:registration_list"), {"state": "stale", "year": YEAR})
    assert [r.pk for r in only.context["page"]] == [old.pk]
    home = client.get(reverse("home"))
    assert "Hộ cần được hỗ trợ" in home.text
    assert old.household.head_name in home.text


def test_the_household_page_fragment_offers_registration_to_organisation_officers(world):
    item = _current(world, world.A)
    template = Template('{% include "targets/_household_registrations.html" %}')
    for user, shown in ((world.union_officer_p, True), (world.officer_a, False)):
        request = RequestFactory().get("/")
        request.user = user
        html = template.render(Context({"household": item, "request": request}))
        assert ("Đăng ký giúp đỡ" in html) is shown
        assert "Chưa có hội, đoàn thể nào đăng ký giúp hộ này." in html


def test_progress_page_drills_down_and_home_shows_the_chart(world):
    target = _target(world, world.P, reduce_poor=2, reduce_near_poor=0)
    services.target_allocate(
        parent=target,
        rows=[services.ChildAllocation(world.A, 2, 0)],
        mismatch_reason="",
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        expected_version=1,
    )
    client = world.client_for(world.province_officer)
    page = client.get(reverse("targets:progress", args=[world.P.pk]), {"year": YEAR})
    assert page.context["own"].target_poor == 2
    assert [row.unit for row in page.context["rows"]] == [world.A]
    assert page.context["chart"]["links"] == [
        reverse("targets:progress", args=[world.A.pk]) + f"?year={YEAR}"
    ]
    assert f"Toàn {world.P.name}" in page.text  # the table's totals row
    home = client.get(reverse("home"))
    assert 'data-chart="home-progress-chart"' in home.text
    assert f"Toàn {world.P.name}" in home.text


@pytest.mark.parametrize("persona", ["leader_a"])
def test_commune_leader_sees_outcomes_waiting_on_the_home_page(world, persona):
    registration = services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    services.registration_propose_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        user=world.union_officer_p,
        expected_version=1,
    )
    home = world.client_for(getattr(world, persona)).get(reverse("home"))
    assert "Kết quả chờ xã xác nhận" in home.text
    assert reverse("targets:registration_detail", args=[registration.pk]) in home.text


def test_province_officer_checks_then_imports_a_target_table(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        "Bảng chỉ tiêu\n\nTT\tĐơn vị\tDân số (hộ)\tHộ nghèo\tTỷ lệ\tHộ giảm\n"
        "A\tB\t1\t2\t3\t8\n"
        f"1\t{world.A.name}\t100\t10\t10,00\t3\n"
        f"2\t{world.B.name}\t50\t5\t12,00\t1\n"
        "\tTổng cộng\t150\t15\t10,00\t4\n"
    )
    client = world.client_for(world.province_officer)
    url = reverse("targets:import", args=[world.P.pk])
    checked = client.post(url, {"year": YEAR, "file": SimpleUploadedFile("bang.tsv", text.encode())})
    assert checked.status_code == 200
    assert "Cột 3 (tỷ lệ hộ nghèo) ghi 12,00%, nhưng 5 ÷ 50 hộ × 100 = 10,00%." in checked.text
    assert not AnnualTarget.objects.exists()  # checking writes nothing
    payload = checked.context["payload"]
    done = client.post(url, {"payload": payload})
    top = AnnualTarget.objects.get(unit=world.P, year=YEAR)
    assert done.url == reverse("targets:detail", args=[top.pk])
    assert list(AnnualTarget.objects.filter(parent=top).values_list("unit", "reduce_poor")) == [
        (world.A.pk, 3)
    ]
    # A tampered or foreign payload is refused.
    assert client.post(url, {"payload": payload + "x"}).status_code == 302
    assert (
        world.client_for(world.admin_p)
        .post(reverse("targets:import", args=[world.A.pk]), {"payload": payload})
        .status_code
        == 403
    )


def test_home_lists_and_eligible_households_open_on_one_year_shown_with_a_picker(world):
    """A registration made ahead for next year moves neither the home page's progress nor the
    lists beside it; the home page's picker shows another year."""
    services.registration_create(
        organisation=world.union_p, household=_current(world, world.A), year=YEAR, user=world.union_officer_p
    )
    services.registration_create(
        organisation=world.union_p,
        household=_current(world, world.A),
        year=YEAR + 1,
        user=world.union_officer_p,
    )
    client = world.client_for(world.union_officer_p)
    home = client.get(reverse("home")).text
    assert f"Tiến độ giảm nghèo năm {YEAR}" in home
    assert f'<option value="{YEAR}" selected>' in home
    assert client.get(reverse("targets:registration_list")).context["year"] == YEAR
    assert client.get(reverse("targets:eligible")).context["year"] == YEAR
    earlier = client.get(reverse("home"), {"year": YEAR - 1}).text
    assert (
        f"Tiến độ giảm nghèo năm {YEAR - 1}" in earlier and f'<option value="{YEAR - 1}" selected>' in earlier
    )
