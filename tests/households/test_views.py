"""Household and assessment pages as officers, leaders and others use them."""

import re
from datetime import date

import pytest
from django.urls import reverse

from households import services
from households.models import Assessment, Household, PolicyGroup, PovertyClass
from tests import factories as f
from tests.households import factories as hf
from tests.households.scope_cases import MEMBER_POST, assessment_post

pytestmark = pytest.mark.django_db

A = Assessment.State


def _list(client, unit, **params):
    return client.get(reverse("households:unit_list", args=[unit.pk]), params)


def _codes(response) -> list[str]:
    return [h.code for h in response.context["page"].object_list]


# --- Lists --------------------------------------------------------------------------------------


def test_the_list_shows_the_households_of_the_unit_and_nothing_outside_scope(world):
    mine = hf.household(world.officer_a, world.A, head="Nguyễn Văn An")
    hf.household(world.officer_b, world.B, head="Trần Văn Bắc")
    response = _list(world.client_for(world.officer_a), world.A)
    assert _codes(response) == [mine.code]
    assert _list(world.client_for(world.officer_a), world.B).status_code == 404
    province_view = _list(world.client_for(world.province_officer), world.P)
    assert len(_codes(province_view)) == 2


def test_the_list_url_sends_each_person_to_their_own_area(world):
    response = world.client_for(world.officer_a).get(reverse("households:list"))
    assert response.url == reverse("households:unit_list", args=[world.A.pk])
    f.member_of(world.officer_b, world.C, "commune_officer")  # now two communes: a choice
    choice = world.client_for(world.officer_b).get(reverse("households:list"))
    assert [u.pk for u in choice.context["units"]] == [world.B.pk, world.C.pk]
    assert world.client_for(world.national_admin).get(reverse("households:list")).status_code == 200
    assert world.client_for(world.nobody).get(reverse("households:list")).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", ["An"]),  # without diacritics
        ("Nguyễn Văn An", ["An"]),
        ("NGUYEN", ["An"]),
        ("thi hoa", ["Bình"]),  # a member who is not the head
        ("045180000123", ["Bình"]),  # citizen ID
        ("0451800", ["Bình"]),  # its beginning
        ("90001-00-0002", ["Bình"]),  # household code
        ("khong ai", []),
    ],
)
def test_search_by_name_with_or_without_diacritics_code_and_citizen_id(world, query, expected):
    hf.household(world.officer_a, world.A, head="Nguyễn Văn An")
    hf.household(
        world.officer_a,
        world.A,
        head="Lê Văn Bình",
        others=[hf.member("Phạm Thị Hoa", sex="female", relation="spouse", citizen_id="045180000123")],
    )
    response = _list(world.client_for(world.officer_a), world.A, q=query)
    assert [h.head_name.split()[-1] for h in response.context["page"].object_list] == expected


def test_filters_and_totals(world):
    officer, leader = world.officer_a, world.leader_a
    poor = hf.household(officer, world.A, village=world.A1, head="Hộ Nghèo", sex="female")
    near = hf.household(officer, world.A, head="Hộ Cận Nghèo")
    unassessed = hf.household(officer, world.A, head="Hộ Chưa Rà Soát")
    hf.assessment(poor, officer, state=A.APPROVED, leader=leader, poverty="poor", year=2023)
    hf.assessment(poor, officer, state=A.APPROVED, leader=leader, poverty="not_poor", year=2025)
    hf.assessment(near, officer, state=A.APPROVED, leader=leader, poverty="near_poor", year=2025)
    hf.assessment(unassessed, officer, state=A.SUBMITTED)
    group = PolicyGroup.objects.get(code="nguoi-co-cong")
    near.policy_groups.add(group)
    client = world.client_for(officer)

    response = _list(client, world.A)
    totals = response.context["totals"]
    assert (totals["total"], totals["not_poor"], totals["near_poor"], totals["none"]) == (3, 1, 1, 1)
    near_only = _list(client, world.A, status="near_poor")
    assert _codes(near_only) == [near.code]
    assert '<option value="near_poor" selected>Hộ cận nghèo</option>' in near_only.content.decode()
    assert _codes(_list(client, world.A, status="none")) == [unassessed.code]
    assert _codes(_list(client, world.A, village=world.A1.pk)) == [poor.code]
    assert _codes(_list(client, world.A, female_head="1")) == [poor.code]
    assert _codes(_list(client, world.A, policy_group=group.code)) == [near.code]
    assert _codes(_list(client, world.A, state="submitted")) == [unassessed.code]
    # As at the end of 2024, the first household was still poor and the second not yet assessed.
    by_2024 = _list(client, world.A, year=2024)
    assert by_2024.context["totals"]["poor"] == 1
    assert _codes(_list(client, world.A, year=2024, status="poor")) == [poor.code]


def test_filter_and_page_links_keep_one_question_mark(world, monkeypatch):
    """{% querystring %} writes its own "?": a second one made every filter link a no-op."""
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    for n in range(3):
        hf.household(world.officer_a, world.A, head=f"Hộ {n}")
    page = _list(world.client_for(world.officer_a), world.A, village="").content.decode()
    assert 'href="?village=&amp;status=poor"' in page
    assert 'href="?village=&amp;page=2"' in page
    assert "??" not in page


def test_empty_choices_of_a_form_are_in_vietnamese(world):
    page = world.client_for(world.officer_a).get(reverse("households:create", args=[world.A.pk]))
    assert "— Chọn —" in page.content.decode()
    assert "Select an option" not in page.content.decode()


def test_pagination_counts_come_from_the_totals(world, django_assert_max_num_queries):
    commune = world.A
    Household.objects.bulk_create(
        Household(
            code=f"90001-00-{n:04d}",
            province_id=commune.province_id,
            commune=commune,
            area="rural",
            head_name=f"Chủ hộ {n}",
            head_search=f"chu ho {n}",
            new_province_id=commune.province_id,  # bulk_create skips save(), which places a household
            new_commune_id=commune.pk,
        )
        for n in range(1, 121)
    )
    client = world.client_for(world.officer_a)
    client.get(reverse("households:unit_list", args=[commune.pk]))  # session and grants warm
    with django_assert_max_num_queries(12):
        response = _list(client, commune, page=3)
    assert response.context["page"].paginator.count == 120
    assert len(response.context["page"].object_list) == 20
    assert "Đang xem 20 trên 120 hộ." in response.content.decode()


# --- Households ---------------------------------------------------------------------------------


def test_an_officer_creates_a_household_with_members(world):
    client = world.client_for(world.officer_a)
    data = {
        **MEMBER_POST,
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-citizen_id": "045 080 000 123",
        "members-0-ethnicity": "Bru-Vân Kiều",
        "members-1-full_name": "Nguyễn Thị Bé",
        "members-1-relation": "child",
        "members-1-sex": "female",
        "members-1-birth_date": "05/09/2015",
        "village": world.A1.pk,
        "labour": "has_labour",
    }
    response = client.post(reverse("households:create", args=[world.A.pk]), data)
    household = Household.objects.get()
    assert response.url == reverse("households:detail", args=[household.pk])
    assert household.code == "90001-01-0001"
    assert (household.member_count, household.head_name, household.ethnic_minority) == (
        2,
        "Nguyễn Văn An",
        True,
    )
    child = household.members.get(relation="child")
    assert (child.birth_year, child.birth_date) == (2015, date(2015, 9, 5))
    assert household.members.get(relation="head").citizen_id == "045080000123"


def test_a_citizen_id_that_disagrees_is_shown_next_to_the_field(world):
    client = world.client_for(world.officer_a)
    data = {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "0",
        "members-0-citizen_id": "045185000123",
        "labour": "has_labour",
    }
    response = client.post(reverse("households:create", args=[world.A.pk]), data)
    assert response.status_code == 200
    assert "Chữ số thứ 4 (1) là của người nữ" in response.content.decode()
    assert not Household.objects.exists()


def test_a_household_without_members_is_refused_in_vietnamese(world):
    client = world.client_for(world.officer_a)
    data = {
        "labour": "has_labour",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-relation": "head",
        "members-0-health_insurance": "on",
    }
    page = client.post(reverse("households:create", args=[world.A.pk]), data).content.decode()
    assert "Hộ phải có ít nhất một nhân khẩu (chủ hộ)." in page
    assert "Please submit" not in page
    assert not Household.objects.exists()


def test_two_heads_are_refused_in_the_form(world):
    client = world.client_for(world.officer_a)
    data = {
        **MEMBER_POST,
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-1-full_name": "Người Thứ Hai",
        "members-1-relation": "head",
        "members-1-sex": "female",
        "members-1-birth_year": "1982",
        "labour": "has_labour",
    }
    response = client.post(reverse("households:create", args=[world.A.pk]), data)
    assert "đúng một người là chủ hộ" in response.content.decode()
    assert not Household.objects.exists()


def test_a_duplicate_citizen_id_links_to_the_other_household_only_when_visible(world):
    shared = {"relation": "child", "citizen_id": "045080000123"}
    in_a = hf.household(world.officer_a, world.A, others=[hf.member("Con A", **shared)])
    other_in_a = hf.household(
        world.officer_a, world.A, head="Hộ Hai", others=[hf.member("Con Hai", **shared)]
    )
    in_b = hf.household(world.officer_b, world.B, head="Hộ Bắc", others=[hf.member("Con Bắc", **shared)])

    page = (
        world.client_for(world.officer_a).get(reverse("households:detail", args=[in_a.pk])).content.decode()
    )
    assert reverse("households:detail", args=[other_in_a.pk]) in page
    assert reverse("households:detail", args=[in_b.pk]) not in page
    assert "ngoài địa bàn bạn được xem" in page  # B's household exists, but where is not said


def test_ethnicity_is_shown_only_to_roles_that_need_it(world):
    household = hf.household(world.officer_a, world.A, ethnicity="Tày")
    household.policy_groups.add(PolicyGroup.objects.get(code="dan-toc-thieu-so"))
    url = reverse("households:detail", args=[household.pk])
    officer_page = world.client_for(world.officer_a).get(url).content.decode()
    province_page = world.client_for(world.province_officer).get(url).content.decode()
    assert "Tày" in officer_page and "Dân tộc" in officer_page
    assert "Tày" not in province_page
    assert "Hộ dân tộc thiểu số" not in province_page
    assert "Dân tộc" not in province_page


def test_the_edit_form_hides_ethnicity_from_roles_without_it_and_keeps_it(world):
    household = hf.household(world.officer_a, world.A, ethnicity="Tày")
    head = household.members.get()
    form = world.client_for(world.officer_a).get(reverse("households:update", args=[household.pk]))
    assert "members-0-ethnicity" in form.content.decode()
    # An administrator whose role has lost the permission edits the household: ethnicity is kept.
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name="administrator").permissions.remove(
        Permission.objects.get(codename="view_ethnicity")
    )
    client = world.client_for(world.admin_p)
    page = client.get(reverse("households:update", args=[household.pk])).content.decode()
    assert "members-0-ethnicity" not in page
    data = {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "1",
        "members-0-id": head.pk,
        "members-0-full_name": "Nguyễn Văn Ân",
        "code": household.code,
        "area": household.area,
        "labour": "has_labour",
        "version": household.version,
    }
    assert client.post(reverse("households:update", args=[household.pk]), data).status_code == 302
    head.refresh_from_db()
    assert (head.full_name, head.ethnicity) == ("Nguyễn Văn Ân", "Tày")


def test_history_hides_ethnicity_changes_from_roles_without_it(world):
    household = hf.household(world.officer_a, world.A, ethnicity="Kinh")
    head = household.members.get()
    client = world.client_for(world.officer_a)
    data = {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "1",
        "members-0-id": head.pk,
        "members-0-ethnicity": "Mường",
        "code": household.code,
        "area": household.area,
        "labour": "has_labour",
        "version": household.version,
    }
    assert client.post(reverse("households:update", args=[household.pk]), data).status_code == 302
    url = reverse("households:detail", args=[household.pk])
    assert "Mường" in client.get(url).content.decode()
    assert "Mường" not in world.client_for(world.province_officer).get(url).content.decode()


# --- Assessments --------------------------------------------------------------------------------


def test_the_assessment_form_prefills_from_the_previous_one(world):
    household = hf.household(world.officer_a, world.A)
    hf.assessment(
        household, world.officer_a, state=A.APPROVED, leader=world.leader_a, year=2024, poverty="poor"
    )
    response = world.client_for(world.officer_a).get(
        reverse("households:assessment_create", args=[household.pk])
    )
    form = response.context["form"]
    assert form.initial["income_per_capita"] == 1_000_000
    assert form.initial["indicator_nguon-nuoc"] is True
    assert "Đã điền sẵn" in response.content.decode()
    assert response.context["result"].poverty_class == PovertyClass.POOR


def test_the_indicators_come_with_their_definitions_and_the_2027_standard_is_marked_provisional(world):
    household = hf.household(world.officer_a, world.A)
    draft = hf.assessment(household, world.officer_a, year=2024)
    client = world.client_for(world.officer_a)
    page = client.get(reverse("households:assessment_update", args=[draft.pk])).content.decode()
    assert "Hộ có ít nhất 1 người từ đủ 6 tuổi trở lên không có bảo hiểm y tế." in page
    preview = client.post(
        reverse("households:assessment_preview", args=[household.pk]),
        {**assessment_post(world), "review_year": "2027", "indicator_standard": "nd07-2021"},
    ).content.decode()
    assert "Tạm thời:" in preview
    assert 'hx-swap-oob="true"' in preview  # the 2027 indicators replace the 2024 ones
    assert "Xử lý rác thải sinh hoạt" in preview


def test_the_form_offers_2015_and_records_an_end_2015_review_under_decision_59(world):
    household = hf.household(world.officer_a, world.A)
    client = world.client_for(world.officer_a)
    form = client.get(reverse("households:assessment_create", args=[household.pk])).context["form"]
    assert form.fields["review_year"].choices[0] == (2015, "2015")
    data = {**assessment_post(world), "review_year": "2015", "effective_date": "15/12/2015"}
    response = client.post(reverse("households:assessment_create", args=[household.pk]), data)
    assessment = Assessment.objects.get(household=household)
    assert response.url == reverse("households:assessment_detail", args=[assessment.pk])
    # 1.000.000 đ with 3 deprivations: in (700.000, 1.000.000] and D ≥ 3, poor by deprivation (N2).
    assert (assessment.standard.code, assessment.result_class, assessment.result_group) == (
        "qd59-2015",
        PovertyClass.POOR,
        "deprivation",
    )


@pytest.mark.parametrize(
    ("kind", "effective", "standard", "indicator"),
    [
        ("periodic", "15/12/2021", "nd07-2021", "Người phụ thuộc trong hộ gia đình"),
        ("regular", "31/12/2021", "qd59-2015", "Tiếp cận các dịch vụ y tế"),
        ("regular", "", "qd59-2015", "Tiếp cận các dịch vụ y tế"),  # date not typed yet: 15/12/2021
    ],
)
def test_the_preview_shows_the_indicators_of_the_standard_serving_the_review(
    world, kind, effective, standard, indicator
):
    household = hf.household(world.officer_a, world.A)
    url = reverse("households:assessment_preview", args=[household.pk])
    data = {**assessment_post(world), "kind": kind, "review_year": "2021", "effective_date": effective}
    client = world.client_for(world.officer_a)
    other = "nd07-2021" if standard == "qd59-2015" else "qd59-2015"
    swapped = client.post(url, {**data, "indicator_standard": other}).content.decode()
    assert f'name="indicator_standard" value="{standard}"' in swapped
    assert indicator in swapped
    kept = client.post(url, {**data, "indicator_standard": standard}).content.decode()
    assert "hx-swap-oob" not in kept


def test_the_live_preview_explains_the_classification(world):
    household = hf.household(world.officer_a, world.A)
    client = world.client_for(world.officer_a)
    url = reverse("households:assessment_preview", args=[household.pk])
    data = {
        **assessment_post(world),
        "income_per_capita": "",
        "annual_income": "48.000.000",
        "member_count": "4",
    }
    page = client.post(url, {**data, "indicator_standard": "nd07-2021"}).content.decode()
    assert 'data-classification="poor"' in page
    assert "1.000.000 đ/người/tháng" in page  # 48.000.000 ÷ 4 ÷ 12
    assert "Thiếu hụt 3 chỉ số" in page
    assert "hx-swap-oob" not in page
    empty = client.post(url, {**data, "annual_income": ""}).content.decode()
    assert "Nhập thu nhập bình quân hoặc tổng thu nhập năm" in empty
    negative = client.post(url, {**data, "annual_income": "-5.000.000"}).content.decode()
    assert "Số tiền không được âm" in negative


def test_the_live_preview_says_at_the_income_field_what_is_wrong_with_it(world):
    household = hf.household(world.officer_a, world.A)
    client = world.client_for(world.officer_a)
    url = reverse("households:assessment_preview", args=[household.pk])
    data = {**assessment_post(world), "income_per_capita": "1.000.000", "annual_income": "mười triệu"}

    def field_errors(response) -> dict:
        listed = re.search(r'<ul hidden id="income-errors">(.*?)</ul>', response.content.decode()).group(1)
        return dict(re.findall(r'<li data-field="([^"]+)">([^<]*)</li>', listed))

    letters = field_errors(client.post(url, data))
    assert letters == {
        "id_annual_income": "Hãy nhập số tiền bằng chữ số, ví dụ 1.500.000.",
        "id_income_per_capita": "",
    }
    negative = field_errors(client.post(url, {**data, "annual_income": "", "income_per_capita": "-5"}))
    assert negative["id_income_per_capita"] == "Số tiền không được âm. Hộ không có thu nhập thì nhập 0."
    right = field_errors(client.post(url, {**data, "annual_income": "12.000.000"}))
    assert right == {"id_annual_income": "", "id_income_per_capita": ""}


def test_a_negative_income_is_refused_and_nothing_is_written(world):
    household = hf.household(world.officer_a, world.A)
    client = world.client_for(world.officer_a)
    data = {**assessment_post(world), "income_per_capita": "-1000", "annual_income": ""}
    response = client.post(reverse("households:assessment_create", args=[household.pk]), data)
    assert response.status_code == 200
    assert "Số tiền không được âm. Hộ không có thu nhập thì nhập 0." in response.content.decode()
    assert not Assessment.objects.exists()
    for count, message in (("0", "Hộ có ít nhất 1 nhân khẩu."), ("150", "Số nhân khẩu tối đa là 99")):
        data = {**assessment_post(world), "member_count": count}
        response = client.post(reverse("households:assessment_create", args=[household.pk]), data)
        assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_review_journey_through_the_pages(world):
    household = hf.household(world.officer_a, world.A)
    officer, leader = world.client_for(world.officer_a), world.client_for(world.leader_a)
    response = officer.post(
        reverse("households:assessment_create", args=[household.pk]), assessment_post(world)
    )
    assessment = Assessment.objects.get(household=household)
    assert response.url == reverse("households:assessment_detail", args=[assessment.pk])
    assert (assessment.state, assessment.result_class, assessment.created_by) == (
        A.DRAFT,
        "poor",
        world.officer_a,
    )

    # A leader cannot submit, an officer cannot approve.
    assert leader.post(reverse("households:assessment_submit", args=[assessment.pk])).status_code == 403
    officer.post(
        reverse("households:assessment_submit", args=[assessment.pk]), {"version": assessment.version}
    )
    assessment.refresh_from_db()
    assert assessment.state == A.SUBMITTED
    assert officer.post(reverse("households:assessment_approve", args=[assessment.pk])).status_code == 403

    queue = leader.get(reverse("households:approval_queue"))
    assert list(queue.context["page"].object_list) == [assessment]
    returned = leader.post(
        reverse("households:assessment_return", args=[assessment.pk]), {"reason": ""}, follow=True
    )
    assert "Hãy ghi lý do trả lại" in returned.content.decode()
    leader.post(reverse("households:assessment_return", args=[assessment.pk]), {"reason": "Thiếu giấy tờ"})
    assessment.refresh_from_db()
    assert assessment.state == A.RETURNED
    mine = officer.get(reverse("households:my_assessments")).content.decode()
    assert "Thiếu giấy tờ" in mine

    officer.post(reverse("households:assessment_submit", args=[assessment.pk]))
    leader.post(reverse("households:assessment_approve", args=[assessment.pk]), {"checked": "on"})
    assessment.refresh_from_db()
    household.refresh_from_db()
    assert (assessment.state, household.status_class) == (A.APPROVED, PovertyClass.POOR)
    assert _codes(_list(officer, world.A, status="poor")) == [household.code]
    detail = officer.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Phát sinh mới hộ nghèo" in detail


def test_a_leader_approves_several_at_once(world):
    submitted = [
        hf.assessment(
            hf.household(world.officer_a, world.A, head=f"Hộ {n}"), world.officer_a, state=A.SUBMITTED
        )
        for n in range(3)
    ]
    in_b = hf.assessment(hf.household(world.officer_b, world.B), world.officer_b, state=A.SUBMITTED)
    data = {"approve": [str(a.pk) for a in [*submitted, in_b]]}
    data |= {f"version_{a.pk}": str(a.version) for a in submitted}
    world.client_for(world.leader_a).post(reverse("households:approve_many"), data)
    states = dict(Assessment.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in submitted] == [A.APPROVED] * 3
    assert states[in_b.pk] == A.SUBMITTED  # another commune's: not the leader's to approve


def test_the_queue_names_the_sender_family_name_first_and_survives_a_submission_without_one(world):
    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    sent = hf.assessment(
        hf.household(world.officer_a, world.A, head="Hộ gửi"), world.officer_a, state=A.SUBMITTED
    )
    loaded = hf.assessment(
        hf.household(world.officer_a, world.A, head="Hộ nạp"), world.officer_a, state=A.SUBMITTED
    )
    Assessment.objects.filter(pk=loaded.pk).update(submitted_by=None, submitted_at=None)  # e.g. loaded data
    response = world.client_for(world.leader_a).get(reverse("households:approval_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lê Thị Hoa" in page and "Hoa Lê Thị" not in page
    assert {sent.pk, loaded.pk} <= {a.pk for a in response.context["page"].object_list}


def test_a_submitted_assessment_cannot_be_edited(world):
    assessment = hf.assessment(hf.household(world.officer_a, world.A), world.officer_a, state=A.SUBMITTED)
    response = world.client_for(world.officer_a).get(
        reverse("households:assessment_update", args=[assessment.pk])
    )
    assert response.url == reverse("households:assessment_detail", args=[assessment.pk])


def test_the_officer_withdraws_a_submitted_assessment_from_its_page_and_the_leader_cannot(world):
    assessment = hf.assessment(hf.household(world.officer_a, world.A), world.officer_a, state=A.SUBMITTED)
    url = reverse("households:assessment_detail", args=[assessment.pk])
    withdraw = reverse("households:assessment_withdraw", args=[assessment.pk])
    leader_page = world.client_for(world.leader_a).get(url).content.decode()
    assert withdraw not in leader_page
    assert world.client_for(world.leader_a).post(withdraw).status_code == 403

    officer = world.client_for(world.officer_a)
    assert withdraw in officer.get(url).content.decode()
    response = officer.post(withdraw, {"version": str(assessment.version)}, follow=True)
    assert "Đã rút phiếu về bản nháp" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).state == A.DRAFT


def test_a_stale_withdrawal_changes_nothing(world):
    assessment = hf.assessment(hf.household(world.officer_a, world.A), world.officer_a, state=A.SUBMITTED)
    seen = assessment.version
    services.assessment_return(assessment=assessment, user=world.leader_a, reason="Sai thu nhập")
    services.assessment_submit(assessment=assessment, user=world.officer_a)
    response = world.client_for(world.officer_a).post(
        reverse("households:assessment_withdraw", args=[assessment.pk]), {"version": str(seen)}, follow=True
    )
    assert "người khác thay đổi" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).state == A.SUBMITTED


def test_a_draft_can_be_discarded_from_its_page(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a)
    response = world.client_for(world.officer_a).post(
        reverse("households:assessment_delete", args=[assessment.pk])
    )
    assert response.url == reverse("households:detail", args=[household.pk])
    assert not Assessment.objects.exists()


# --- Unit figures -------------------------------------------------------------------------------


def test_unit_figures_count_households_by_child_unit(world):
    for n, poverty in enumerate(["poor", "poor", "near_poor", "not_poor"]):
        household = hf.household(
            world.officer_a, world.A, village=world.A1 if n < 2 else None, head=f"Hộ {n}"
        )
        hf.assessment(household, world.officer_a, state=A.APPROVED, leader=world.leader_a, poverty=poverty)
    response = world.client_for(world.province_officer).get(
        reverse("households:unit_figures", args=[world.A.pk])
    )
    rows = {row["name"]: row["counts"] for row in response.context["rows"]}
    assert (rows["Thôn Một"].households, rows["Thôn Một"].poor) == (2, 2)
    assert rows["Chưa gán thôn/đơn vị"].near_poor == 1
    assert "50,00%" in response.content.decode()  # 2 poor of 4 households


def test_the_unit_page_loads_the_figures(world):
    page = world.client_for(world.officer_a).get(reverse("units:detail", args=[world.A.pk])).content.decode()
    assert reverse("households:unit_figures", args=[world.A.pk]) in page


def test_the_home_page_gives_commune_people_their_figures_of_today(world):
    for poverty in ["poor", "near_poor", "not_poor", "not_poor"]:
        household = hf.household(world.officer_a, world.A)
        hf.assessment(
            household, world.officer_a, state=A.APPROVED, leader=world.leader_a, poverty=poverty, year=2024
        )
    for persona in (world.officer_a, world.leader_a):
        page = world.client_for(persona).get(reverse("home")).content.decode()
        assert page.count('data-testid="home-figures"') == 1
        assert "4</strong> hộ" in page and "(25,00%)" in page
    province = world.client_for(world.province_officer).get(reverse("home")).content.decode()
    assert 'data-testid="home-figures"' not in province  # provinces have the dashboard
