"""After a failed save, every form's page opens with an error summary: "Có N lỗi cần sửa", each
error a link to the id of its field, the summary focusable, the fields marked aria-invalid with
their message under them (aria-describedby)."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from core.templatetags.form_errors import summary_errors
from tests.households import factories as hf
from tests.households.scope_cases import MEMBER_POST, assessment_post

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The ids of a page, the attributes of each element with one, and the error summary's links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.summary: dict | None = None
        self.summary_links: list[str] = []
        self.summary_text = ""
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.by_id[a["id"]] = a
        if "data-error-summary" in a:
            self.summary = a
            self._in_summary = 1
        elif self._in_summary:
            if tag == "section":
                self._in_summary += 1
            if tag == "a":
                self.summary_links.append(a["href"])

    def handle_endtag(self, tag):
        if self._in_summary and tag == "section":
            self._in_summary -= 1

    def handle_data(self, data):
        if self._in_summary:
            self.summary_text += data


def _summary(response, count: int) -> _Page:
    """The page, after checking its summary counts `count` errors and is focusable."""
    assert response.status_code == 200
    page = _Page(response.content.decode())
    assert page.summary is not None, "no error summary"
    assert (page.summary["tabindex"], "autofocus" in page.summary) == ("-1", True)
    assert f"Có {count} lỗi cần sửa" in " ".join(page.summary_text.split())
    return page


def _field_is_marked(page: _Page, field_id: str) -> None:
    """The field says it is invalid and is described by the element holding its message."""
    field = page.by_id[field_id]
    assert field.get("aria-invalid") == "true", field_id
    assert f"{field_id}_error" in field.get("aria-describedby", "").split(), field_id
    assert f"{field_id}_error" in page.by_id


def test_the_survey_form_lists_its_errors_at_the_top_with_links_to_the_fields(world):
    household = hf.household(world.officer_a, world.A)
    data = {**assessment_post(world), "income_per_capita": "một triệu", "member_count": "0"}
    response = world.client_for(world.officer_a).post(
        reverse("households:assessment_create", args=[household.pk]), data
    )
    page = _summary(response, 2)
    assert page.summary_links == ["#id_member_count", "#id_income_per_capita"]
    assert all(link[1:] in page.by_id for link in page.summary_links)
    assert "Hãy nhập số tiền bằng chữ số" in page.summary_text
    _field_is_marked(page, "id_member_count")
    _field_is_marked(page, "id_income_per_capita")


def test_the_household_form_names_the_member_whose_field_is_wrong(world):
    data = {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "0",
        "members-0-full_name": "",
        "members-0-birth_year": "",
        "labour": "",
    }
    response = world.client_for(world.officer_a).post(reverse("households:create", args=[world.A.pk]), data)
    page = _summary(response, 3)
    assert page.summary_links == ["#id_labour", "#id_members-0-full_name", "#id_members-0-birth_year"]
    assert all(link[1:] in page.by_id for link in page.summary_links)
    assert "Nhân khẩu 1 · Họ và tên" in page.summary_text
    for field_id in ("id_labour", "id_members-0-full_name", "id_members-0-birth_year"):
        _field_is_marked(page, field_id)


def test_a_form_drawn_whole_by_crispy_gets_the_summary_too(world):
    data = {"old_password": "sai", "new_password1": "a", "new_password2": "b"}
    response = world.client_for(world.officer_a).post(reverse("password_change"), data)
    page = _summary(response, 2)
    assert page.summary_links == ["#id_old_password", "#id_new_password2"]
    assert all(link[1:] in page.by_id for link in page.summary_links)
    _field_is_marked(page, "id_old_password")


def test_a_page_without_errors_has_no_summary(world):
    household = hf.household(world.officer_a, world.A)
    response = world.client_for(world.officer_a).get(
        reverse("households:assessment_create", args=[household.pk])
    )
    assert _Page(response.content.decode()).summary is None


class _Choices(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, label="Loại")
    name = forms.CharField(label="Tên")

    def clean(self):
        raise forms.ValidationError("Cả biểu mẫu sai.")


def test_a_group_of_choices_links_to_its_first_choice_and_a_hidden_field_to_nothing():
    errors = summary_errors(_Choices({"name": "x"}), _Choices())  # the unbound one has no errors
    assert [(e.label, e.target) for e in errors] == [("", ""), ("", ""), ("Loại", "id_kind_0")]
    assert errors[0].message == "Cả biểu mẫu sai."
