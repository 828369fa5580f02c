"""Editing an assessment's income, as an officer does it on the page: whatever was changed last
(the yearly income, the per-person income or the member count), the live preview and the saved
assessment show figures that agree, and the class follows them (issue 13 item 1)."""

import pytest
from django.urls import reverse

from households.models import Assessment, PovertyClass
from tests.formdata import page_form
from tests.households import factories as hf

pytestmark = pytest.mark.django_db


def _draft(world, *, annual, members):
    household = hf.household(world.officer_a, world.A)
    return hf.assessment(
        household,
        world.officer_a,
        income=None,
        annual_income=annual,
        member_count=members,
        deprived=frozenset(),
    )


def _edit(world, assessment, changes: dict, *, typed_last: str | None = None):
    """The edit page's form as rendered, with `changes` typed in, previewed then saved.
    `typed_last` is what the page's script records when the officer types in an income box; None:
    no script ran (so no live preview either: only the save)."""
    client = world.client_for(world.officer_a)
    url = reverse("households:assessment_update", args=[assessment.pk])
    data = page_form(client.get(url)).data() | changes
    preview = ""
    if typed_last:
        data["income_basis"] = typed_last
    if typed_last or "member_count" in changes:  # the script leaves the basis alone for members
        preview_url = reverse("households:assessment_preview", args=[assessment.household_id])
        preview = client.post(preview_url, data).content.decode()
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    assessment.refresh_from_db()
    return preview, assessment


def _stored(assessment):
    return assessment.annual_income, assessment.income_per_capita, assessment.result_class


def test_the_form_shows_both_figures_and_which_one_the_record_follows(world):
    assessment = _draft(world, annual=60_000_000, members=2)
    page = world.client_for(world.officer_a).get(
        reverse("households:assessment_update", args=[assessment.pk])
    )
    data = page_form(page).data()
    assert (data["annual_income"], data["income_per_capita"]) == ("60.000.000", "2.500.000")
    assert data["income_basis"] == "annual"
    assert 'data-income-basis="annual"' in page.content.decode()


@pytest.mark.parametrize("typed_last", [None, "annual"])
def test_a_lower_yearly_income_lowers_the_income_per_person_and_the_class(world, typed_last):
    assessment = _draft(world, annual=60_000_000, members=2)
    assert _stored(assessment) == (60_000_000, 2_500_000, PovertyClass.NOT_POOR)

    preview, saved = _edit(world, assessment, {"annual_income": "30.000.000"}, typed_last=typed_last)
    if typed_last:
        assert 'data-classification="near_poor"' in preview
        assert "Thu nhập bình quân tính từ tổng thu nhập năm: 1.250.000 đ/người/tháng." in preview
    assert _stored(saved) == (30_000_000, 1_250_000, PovertyClass.NEAR_POOR)


def test_more_members_lower_the_income_per_person(world):
    assessment = _draft(world, annual=66_000_000, members=2)
    preview, saved = _edit(world, assessment, {"member_count": "4"})
    assert "1.375.000 đ/người/tháng" in preview
    assert _stored(saved) == (66_000_000, 1_375_000, PovertyClass.NEAR_POOR)
    page = world.client_for(world.officer_a).get(reverse("households:assessment_detail", args=[saved.pk]))
    assert "66.000.000 đ" in page.content.decode() and "1.375.000 đ" in page.content.decode()


@pytest.mark.parametrize("typed_last", [None, "per_capita"])
def test_a_per_person_income_typed_last_sets_the_yearly_income(world, typed_last):
    assessment = _draft(world, annual=60_000_000, members=2)
    preview, saved = _edit(world, assessment, {"income_per_capita": "1.000.000"}, typed_last=typed_last)
    if typed_last:
        assert 'data-classification="near_poor"' in preview
        assert "Tổng thu nhập năm tính từ thu nhập bình quân: 24.000.000 đ." in preview
    assert _stored(saved) == (24_000_000, 1_000_000, PovertyClass.NEAR_POOR)


@pytest.mark.parametrize(
    ("typed_last", "stored"),
    [
        ("annual", (30_000_000, 1_250_000, PovertyClass.NEAR_POOR)),
        ("per_capita", (48_000_000, 2_000_000, PovertyClass.MEDIUM)),
    ],
)
def test_when_both_figures_changed_the_one_typed_last_holds(world, typed_last, stored):
    assessment = _draft(world, annual=60_000_000, members=2)
    changes = {"annual_income": "30.000.000", "income_per_capita": "2.000.000"}
    preview, saved = _edit(world, assessment, changes, typed_last=typed_last)
    assert f'data-classification="{stored[2]}"' in preview
    assert _stored(saved) == stored


def test_a_new_assessment_takes_the_yearly_income_typed_over_the_prefilled_per_person_one(world):
    household = hf.household(world.officer_a, world.A)
    hf.assessment(
        household, world.officer_a, state=Assessment.State.APPROVED, leader=world.leader_a, year=2024
    )
    client = world.client_for(world.officer_a)
    url = reverse("households:assessment_create", args=[household.pk])
    data = page_form(client.get(url)).data() | {"annual_income": "30.000.000", "review_year": "2025"}
    data["effective_date"] = "15/12/2025"
    assert client.post(url, data).status_code == 302
    new = household.assessments.get(review_year=2025)
    assert (new.annual_income, new.income_per_capita) == (30_000_000, 2_500_000)  # one member


def test_the_preview_reports_what_the_save_would_refuse(world):
    household = hf.household(world.officer_a, world.A)
    client = world.client_for(world.officer_a)
    url = reverse("households:assessment_preview", args=[household.pk])
    data = page_form(client.get(reverse("households:assessment_create", args=[household.pk]))).data()
    page = client.post(url, data | {"annual_income": "12.000.000", "member_count": ""}).content.decode()
    assert "Số nhân khẩu phải lớn hơn 0 để tính thu nhập bình quân." in page
    assert "data-classification" not in page
