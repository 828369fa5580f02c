"""Two people editing the same household or assessment: the second save is refused with what the
first person changed, in Vietnamese, and nothing of either is lost."""

import pytest
from django.urls import reverse

from core.text import display_name
from households.models import Assessment, Household
from tests.households import factories as hf

pytestmark = pytest.mark.django_db


def _value(bound) -> object:
    """What a browser sends for one bound field as rendered (None: nothing)."""
    value = bound.value()
    if value is None or value is False or value == "":
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    formatted = bound.field.widget.format_value(bound.field.prepare_value(value))
    return None if formatted in (None, "") else formatted


def _form_data(response) -> dict:
    """The values a browser would send back from the page's form(s) as rendered."""
    form = response.context["form"]
    data = {name: _value(form[name]) for name in form.fields}
    formset = response.context.get("formset")
    if formset is not None:
        management = formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
        for member_form in formset:
            data |= {member_form.add_prefix(name): _value(member_form[name]) for name in member_form.fields}
    return {key: value for key, value in data.items() if value is not None}


def test_a_second_household_save_is_refused_and_shows_the_first_persons_changes(world):
    household = hf.household(
        world.officer_a, world.A, others=[hf.member("Lê Thị Hoa", sex="female", relation="spouse")]
    )
    url = reverse("households:update", args=[household.pk])
    first, second = world.client_for(world.officer_a), world.client_for(world.admin_p)
    first_form, second_form = _form_data(first.get(url)), _form_data(second.get(url))

    saved = first.post(url, first_form | {"address": "Xóm Bãi", "members-1-full_name": "Lê Thị Hoà"})
    assert saved.status_code == 302

    refused = second.post(url, second_form | {"address": "Xóm Trên", "note": "Đã kiểm tra"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Bản ghi vừa được người khác sửa. Thay đổi của bạn chưa được lưu." in page
    rows = {row.label: (row.theirs, row.yours) for row in refused.context["conflict"]["rows"]}
    assert rows["địa chỉ"] == ("Xóm Bãi", "Xóm Trên")
    assert rows["Lê Thị Hoa – họ và tên"][0] == "Lê Thị Hoà"
    assert refused.context["conflict"]["who"] == display_name(world.officer_a)  # family name first
    # Nothing lost: the first person's save stands, the second person's input is still in the form.
    household.refresh_from_db()
    assert (household.address, household.note) == ("Xóm Bãi", "")
    assert 'value="Xóm Trên"' in page
    assert "Đã kiểm tra" in page

    # Having seen the other changes, the second person can save on purpose.
    again = second.post(url, _form_data(refused) | {"address": "Xóm Trên"})
    assert again.status_code == 302
    household.refresh_from_db()
    assert household.address == "Xóm Trên"


def test_a_second_assessment_save_is_refused_and_shows_the_first_persons_changes(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, poverty="poor")
    url = reverse("households:assessment_update", args=[assessment.pk])
    first, second = world.client_for(world.officer_a), world.client_for(world.admin_p)
    first_form, second_form = _form_data(first.get(url)), _form_data(second.get(url))

    assert first.post(url, first_form | {"income_per_capita": "2.100.000"}).status_code == 302
    refused = second.post(url, second_form | {"note": "Hộ có con ốm"})
    rows = {row.label: (row.theirs, row.yours) for row in refused.context["conflict"]["rows"]}
    assert rows["thu nhập bình quân (đ/người/tháng)"] == ("2.100.000 đ", "1.000.000 đ")
    assert rows["phân loại"] == ("Hộ có mức sống trung bình", "Hộ nghèo")
    assessment.refresh_from_db()
    assert (assessment.income_per_capita, assessment.note) == (2_100_000, "")
    assert "Hộ có con ốm" in refused.content.decode()


def test_approving_what_was_changed_after_the_page_was_opened_is_refused(world):
    assessment = hf.assessment(
        hf.household(world.officer_a, world.A), world.officer_a, state=Assessment.State.SUBMITTED
    )
    seen = assessment.version
    leader = world.client_for(world.leader_a)
    leader.post(
        reverse("households:assessment_return", args=[assessment.pk]), {"reason": "Sai", "version": seen}
    )
    world.client_for(world.officer_a).post(reverse("households:assessment_submit", args=[assessment.pk]))
    response = leader.post(
        reverse("households:assessment_approve", args=[assessment.pk]),
        {"version": seen, "checked": "on"},
        follow=True,
    )
    assert "vừa được người khác thay đổi" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED


def test_an_approval_does_not_make_an_open_household_form_stale(world):
    household = hf.household(world.officer_a, world.A)
    assessment = hf.assessment(household, world.officer_a, state=Assessment.State.SUBMITTED)
    client = world.client_for(world.officer_a)
    url = reverse("households:update", args=[household.pk])
    form = _form_data(client.get(url))
    world.client_for(world.leader_a).post(
        reverse("households:assessment_approve", args=[assessment.pk]), {"checked": "on"}
    )
    assert client.post(url, form | {"address": "Xóm Mới"}).status_code == 302
    household = Household.objects.get(pk=household.pk)
    assert (household.address, household.status_class) == ("Xóm Mới", "poor")  # the status is not overwritten
