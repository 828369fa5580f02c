"""The change history reads as people read the record (issue 13.8): field labels, names, formatted
values, list changes as the items added and removed; technical fields left out. One formatter
(core/audit_display.py) serves the household page, the record panels and the admin's log."""

from datetime import date

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.audit_display import entry_rows, format_value
from core.models import Job
from households import services
from households.models import Assessment, Household, Member, PovertyCause, PovertyStandard
from targets.models import HelpEntry
from tests import factories as f
from tests.households import factories as hf


def _rows(obj) -> dict[str, tuple[str, str]]:
    """{label: (before, after)} of the latest edit of `obj`."""
    entry = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).first()
    return {row.label: (row.before, row.after) for row in entry_rows(entry)}


@pytest.fixture
def named(world):
    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    world.leader_a.first_name, world.leader_a.last_name = "Bình", "Nguyễn Văn"
    world.leader_a.save()
    return world


def test_a_cause_added_reads_as_the_cause_added_not_the_internal_keys(named):
    """Before: "Nguyên nhân nghèo | Trước: type | Sau: operation"."""
    household = hf.household(named.officer_a, named.A)
    cause = PovertyCause.objects.first()
    with set_actor(named.officer_a):
        household.causes.add(cause)
    page = named.client_for(named.officer_a).get(reverse("households:detail", args=[household.pk])).text
    assert f"Thêm: {cause.name}" in page
    assert ">type<" not in page and ">operation<" not in page


def test_an_edit_hides_the_edit_counter_and_bookkeeping(named):
    """Before: "Số lần sửa 1 → 2", and the "last changed by" column the entry already names."""
    household = hf.household(named.officer_a, named.A, address="Cũ")
    with set_actor(named.officer_a):
        services.household_update(
            household=household, user=named.officer_a, expected_version=household.version, address="Mới"
        )
    rows = _rows(household)
    assert rows["Địa chỉ"] == ("Cũ", "Mới")
    assert not {"Số lần sửa", "Người sửa", "Sửa lúc", "Tên chủ hộ không dấu"} & set(rows)
    page = named.client_for(named.officer_a).get(reverse("households:detail", args=[household.pk])).text
    assert "Số lần sửa" not in page


def test_money_is_grouped_with_the_dong_sign(named):
    """Before: "60000000 → 150000000"."""
    household = hf.household(named.officer_a, named.A)
    assessment = hf.assessment(household, named.officer_a, year=2024, annual_income=60_000_000)
    with set_actor(named.officer_a):
        assessment.annual_income = 150_000_000
        assessment.save()
    assert _rows(assessment)["Tổng thu nhập của hộ trong năm (đ)"] == ("60.000.000 đ", "150.000.000 đ")


def test_people_are_named_and_the_decision_time_is_the_entrys_own(named):
    household = hf.household(named.officer_a, named.A)
    assessment = hf.assessment(
        household, named.officer_a, state=Assessment.State.SUBMITTED, year=2024, poverty="poor"
    )
    with set_actor(named.leader_a):
        services.assessment_approve(assessment=assessment, user=named.leader_a)
    rows = _rows(assessment)
    assert rows["Người duyệt hoặc trả lại"] == ("", "Nguyễn Văn Bình")
    assert rows["Trạng thái"] == ("Chờ duyệt", "Đã duyệt")  # a choice by its label
    assert "Duyệt hoặc trả lại lúc" not in rows  # the entry's own time says it
    page = named.client_for(named.leader_a).get(reverse("households:assessment_detail", args=[assessment.pk]))
    history = page.text.split("Lịch sử thay đổi", 1)[1]
    assert "Nguyễn Văn Bình" in history and named.leader_a.username not in history


def test_dates_booleans_choices_and_records_by_name(named):
    village = f.village(named.A, name="Thôn Hai")
    household = hf.household(named.officer_a, named.A)
    with set_actor(named.officer_a):
        household.removed_on = date(2017, 1, 24)
        household.agri_forestry_fishery_salt = True
        household.area = "urban"
        household.village = village
        household.latest_state = "approved"
        household.save()
    rows = _rows(household)
    assert rows["Ngày đưa ra khỏi danh sách"] == ("", "24/01/2017")
    assert rows["Hộ làm nông, lâm, ngư, diêm nghiệp"] == ("Không", "Có")
    assert rows["Khu vực"][1] == "Thành thị"
    assert rows["Thôn/tổ dân phố"] == ("", "Thôn Hai")
    assert rows["Trạng thái rà soát"][1] == "Đã duyệt"


def test_a_list_change_reads_as_the_items_added_and_removed(world):
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(Job),
        object_pk="1",
        action=LogEntry.Action.UPDATE,
        changes={"params": ['["Thôn Một", "Thôn Hai"]', '["Thôn Hai", "Thôn Ba"]']},
    )
    assert entry_rows(entry) == [("Tham số", "Bỏ: Thôn Một", "Thêm: Thôn Ba")]


def test_a_reader_who_may_not_see_ethnicity_sees_neither_the_field_nor_the_sensitive_group(world):
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(Household),
        object_pk="1",
        action=LogEntry.Action.UPDATE,
        changes={
            "ethnic_minority": ["False", "True"],
            "policy_groups": {
                "type": "m2m",
                "operation": "add",
                "objects": ["Dân tộc thiểu số", "Người có công"],
            },
        },
    )
    assert entry_rows(entry, hidden_fields={"ethnic_minority"}, hidden_items={"Dân tộc thiểu số"}) == [
        ("Đối tượng chính sách", "", "Thêm: Người có công")
    ]


@pytest.mark.parametrize(
    ("model", "name", "raw", "money", "shown"),
    [
        (Assessment, "income_per_capita", "1250000", True, "1.250.000 đ"),
        (Assessment, "income_per_capita", "0", True, "0 đ"),
        (Assessment, "deprived_count", "1250", False, "1.250"),
        (Assessment, "review_year", "2026", False, "2026"),
        (Assessment, "effective_date", "2017-01-24", False, "24/01/2017"),
        (Assessment, "kind", "regular", False, "Rà soát thường xuyên (trong năm)"),
        (Assessment, "result_class", "near_poor", False, "Hộ cận nghèo"),
        (Assessment, "result_class", "", False, ""),
        (Assessment, "note", "None", False, ""),
        (Member, "health_insurance", "True", False, "Có"),
        (Member, "health_insurance", "False", False, "Không"),
        (Member, "relation", "spouse", False, "Vợ/chồng"),
        (PovertyStandard, "year_from", "2022", False, "2022"),
        (HelpEntry, "value", "30000000", True, "30.000.000 đ"),
    ],
)
def test_format_value(model, name, raw, money, shown):
    assert format_value(model._meta.get_field(name), raw, money=money) == shown


def test_apps_declare_their_money(world):
    """The declarations in households/audit.py and targets/audit.py are what make amounts money."""
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(HelpEntry),
        object_pk="1",
        action=LogEntry.Action.UPDATE,
        changes={"value": ["60000000", "150000000"], "created_at": ["2026-01-01 00:00:00", "2026-01-02"]},
    )
    assert entry_rows(entry) == [("Giá trị (đồng)", "60.000.000 đ", "150.000.000 đ")]
