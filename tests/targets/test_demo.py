"""The demo reproduces the two source tables: Đà Nẵng 2017 (the Women's Union's 20 %) and Cam Lộ
2021 (the target per commune), with Women's Union registrations in both."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.text import search_key
from targets import demo
from targets.models import AnnualTarget, HelpEntry, Registration
from units.models import AdministrativeUnit, AdminVersion

pytestmark = [pytest.mark.demo, pytest.mark.usefixtures("demo_db")]

# KH 12/KH-BTV, as printed.
DA_NANG = [
    ("Hội LHPN quận Hải Châu", 420, 350, 84, 70),
    ("Hội LHPN quận Thanh Khê", 520, 350, 104, 70),
    ("Hội LHPN quận Sơn Trà", 820, 370, 164, 74),
    ("Hội LHPN quận Ngũ Hành Sơn", 380, 350, 76, 70),
    ("Hội LHPN quận Cẩm Lệ", 580, 250, 116, 50),
    ("Hội LHPN quận Liên Chiểu", 870, 350, 174, 70),
    ("Hội LHPN huyện Hoà Vang", 810, 280, 162, 56),
]


def _client(username):
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _locality(code, year):
    unit = AdministrativeUnit.objects.by_code(code, AdminVersion.PRE2025)
    return AnnualTarget.objects.get(unit=unit, year=year, organisation__isnull=True)


def test_da_nang_union_table_is_the_source_table(db):
    target = _locality("48", 2017)
    page = _client("hoiphunu.danang").get(reverse("targets:union_table", args=[target.pk]))
    table = page.context["table"]
    rows = [[row.cells[column.key] for column in table.columns] for row in table.data_rows]
    assert [(search_key(row[1]), *row[2:]) for row in rows] == [
        (search_key(name), *rest) for name, *rest in DA_NANG
    ]
    totals = table.total_row.cells
    assert (totals["locality_poor"], totals["locality_near_poor"]) == (4400, 2300)
    assert (totals["organisation_poor"], totals["organisation_near_poor"]) == (880, 460)
    assert "Chỉ tiêu giảm 20% hộ PNN, hộ PNCN của Hội LHPN quận/huyện" in page.text
    assert target.baseline_source == AnnualTarget.BaselineSource.ENTERED


def test_cam_lo_target_table_reproduces_the_target_columns_and_flags_the_two_rows(db):
    target = _locality("468", 2021)
    page = _client("tinh.quangtri").get(reverse("targets:table", args=[target.pk]))
    table = page.context["table"]
    assert [row.cells["reduce_poor"] for row in table.data_rows] == [17, 6, 5, 5, 1, 2, 1, 0]
    totals = table.total_row.cells
    assert totals["reduce_poor"] == 37
    assert [row.cells["label"] for row in table.flagged] == ["Thị trấn Cam Lộ", "Xã Cam Nghĩa"]
    assert (totals["households"], totals["poor"]) == (14932, 405)
    sources = {t.unit.code: t.baseline_source for t in target.children.select_related("unit")}
    assert sources.pop("19597") == sources.pop("19621") == AnnualTarget.BaselineSource.IMPORTED
    assert set(sources.values()) == {AnnualTarget.BaselineSource.COMPUTED}
    assert target.baseline_source == AnnualTarget.BaselineSource.COMPUTED


def test_the_womens_union_registered_and_helped_households_in_both_places(db):
    for year, union in (
        (2021, "Hội Liên hiệp Phụ nữ huyện Cam Lộ"),
        (2017, "Hội Liên hiệp Phụ nữ thành phố Đà Nẵng"),
    ):
        registrations = Registration.objects.filter(year=year, organisation__name=union)
        assert registrations.count() >= 10
        assert HelpEntry.objects.filter(registration__in=registrations).exists()
        assert registrations.exclude(confirmed_outcome="").exists()
        assert all(r.household.female_head for r in registrations)


def test_demo_users_see_their_progress_on_the_home_page(db):
    home = _client("hoiphunu.camlo").get(reverse("home"))
    assert "Tiến độ giảm nghèo năm 2021" in home.text
    assert "Hộ cần được hỗ trợ" in home.text
    leader = _client("lanhdao.camtuyen").get(reverse("home"))
    assert "Kết quả chờ xã xác nhận" in leader.text
    assert leader.context["panels"]  # the leader's own commune's progress
    danang = _client("hoiphunu.danang").get(reverse("home"))
    assert "Tiến độ giảm nghèo năm 2017" in danang.text


def test_loading_again_changes_nothing(db):
    before = (AnnualTarget.objects.count(), Registration.objects.count(), HelpEntry.objects.count())
    summary = demo.load()
    assert (summary["registrations_cam_lo_2021"], summary["registrations_da_nang_2017"]) == (0, 0)
    assert (AnnualTarget.objects.count(), Registration.objects.count(), HelpEntry.objects.count()) == before
