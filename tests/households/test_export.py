"""The household list in Excel: the filtered rows, neutralised text, no ethnicity for roles
without it."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from households.models import Assessment, PolicyGroup
from tests.households import factories as hf

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[-1][1] == "Tổng cộng"
    return rows[1], rows[2:-1]  # title row, header row, data, totals row


def test_the_export_holds_the_filtered_rows_with_neutralised_text(world):
    officer = world.officer_a
    hostile = hf.household(officer, world.A, head='=HYPERLINK("http://x","bấm")', address="+84 Thôn Một")
    other = hf.household(officer, world.A, head="Trần Văn Bình")
    hf.assessment(hostile, officer, state=Assessment.State.APPROVED, leader=world.leader_a, poverty="poor")
    hf.assessment(other, officer, state=Assessment.State.APPROVED, leader=world.leader_a, poverty="not_poor")
    client = world.client_for(officer)
    url = reverse("households:export", args=[world.A.pk])

    headers, rows = _sheet(client.get(url, {"status": "poor"}))
    assert len(rows) == 1
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Chủ hộ"] == '\'=HYPERLINK("http://x","bấm")'
    assert row["Địa chỉ"] == "'+84 Thôn Một"
    assert (row["Phân loại"], row["Năm rà soát"], row["Số nhân khẩu"]) == ("Hộ nghèo", 2024, 1)
    _headers, everything = _sheet(client.get(url))
    assert len(everything) == 2


def test_the_export_ends_with_a_totals_row(world):
    for n, poverty in enumerate(["poor", "poor", "near_poor"]):
        household = hf.household(world.officer_a, world.A, head=f"Hộ {n}")
        hf.assessment(
            household,
            world.officer_a,
            state=Assessment.State.APPROVED,
            leader=world.leader_a,
            poverty=poverty,
        )
    hf.household(world.officer_a, world.A, head="Hộ mới")
    response = world.client_for(world.officer_a).get(reverse("households:export", args=[world.A.pk]))
    totals = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[-1]
    assert totals[1:3] == ("Tổng cộng", "4 hộ")
    assert totals[7] == 4  # one member each
    assert totals[8] == "2 hộ nghèo, 1 hộ cận nghèo, 1 hộ chưa có kết quả"


def test_ethnicity_is_exported_only_for_roles_that_may_see_it(world):
    household = hf.household(world.officer_a, world.A, ethnicity="Tày")
    household.policy_groups.add(*PolicyGroup.objects.filter(code__in=["dan-toc-thieu-so", "nguoi-co-cong"]))
    url = reverse("households:export", args=[world.A.pk])

    headers, rows = _sheet(world.client_for(world.officer_a).get(url))
    row = dict(zip(headers, rows[0], strict=True))
    assert (row["Dân tộc chủ hộ"], row["Hộ dân tộc thiểu số"]) == ("Tày", "Có")
    assert "Hộ dân tộc thiểu số" in row["Đối tượng chính sách"]

    for persona in (world.province_officer, world.union_officer_p):
        headers, rows = _sheet(world.client_for(persona).get(url))
        assert "Dân tộc chủ hộ" not in headers and "Hộ dân tộc thiểu số" not in headers
        assert not any("Tày" in str(value) or "dân tộc" in str(value).lower() for value in rows[0])
        assert "Hộ có người có công với cách mạng" in rows[0]


def test_an_export_of_another_commune_is_refused(world):
    response = world.client_for(world.officer_a).get(reverse("households:export", args=[world.B.pk]))
    assert response.status_code == 404
