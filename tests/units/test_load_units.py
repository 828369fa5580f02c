"""`manage.py load_units` on the real data of the vietnam-provinces package: both maps, the
official conversion between them, idempotent, and the JSON the issue promises."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from units import access
from units.models import AdministrativeUnit, AdminVersion, Kind, Level, Role, UnitLineage

pytestmark = pytest.mark.slow

PRE, NEW = AdminVersion.PRE2025, AdminVersion.V2025


def load(*args) -> str:
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


def unit(version, code) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(admin_version=version, code=code)


def predecessors(new_unit) -> dict[str, bool]:
    return {
        link.old.name: link.partial for link in UnitLineage.objects.filter(new=new_unit).select_related("old")
    }


def test_load_units_loads_both_maps_and_the_conversion_once(db):
    first = json.loads(load("--json"))
    assert set(first) == {"versions", "lineage_links", "created", "updated"}
    assert first["versions"] == {
        "pre2025": {"province": 63, "district": 696, "commune": 10051},
        "2025": {"province": 34, "commune": 3321},
    }
    assert first["lineage_links"] > 10_000
    units = 63 + 696 + 10051 + 34 + 3321
    assert first["created"] == units + first["lineage_links"]
    assert first["updated"] == 0

    second = json.loads(load("--json"))
    assert second == first | {"created": 0, "updated": 0}
    assert AdministrativeUnit.objects.count() == units

    # Codes were reused by the reform: the same code names different units in the two maps.
    assert unit(NEW, "44").name == "Tỉnh Quảng Trị" and unit(PRE, "44").name == "Tỉnh Quảng Bình"
    assert unit(NEW, "19597").name == "Xã Cam Lộ" and unit(PRE, "19597").name == "Thị trấn Cam Lộ"

    # The examples of the official conversion.
    assert predecessors(unit(NEW, "19597")) == {
        "Thị trấn Cam Lộ": False,
        "Xã Cam Thành": False,
        "Xã Cam Chính": False,
        "Xã Cam Nghĩa": False,
    }
    assert predecessors(unit(NEW, "44")) == {"Tỉnh Quảng Bình": False, "Tỉnh Quảng Trị": False}
    assert UnitLineage.objects.filter(partial=True, old__level=Level.COMMUNE).count() > 400

    # Every old province went, whole, into exactly one new province (the communes say so; the
    # package's province table wrongly adds Tiền Giang to Tây Ninh as well).
    province_links = UnitLineage.objects.filter(old__level=Level.PROVINCE)
    assert province_links.count() == 63
    assert not province_links.filter(partial=True).exists()
    assert set(province_links.values_list("new__code", flat=True)) == set(
        AdministrativeUnit.objects.filter(admin_version=NEW, level=Level.PROVINCE).values_list(
            "code", flat=True
        )
    )
    assert list(UnitLineage.objects.filter(old=unit(PRE, "82")).values_list("new__name", flat=True)) == [
        "Tỉnh Đồng Tháp"
    ]

    # Tree, kinds and areas.
    cam_lo_town = unit(PRE, "19597")
    assert (cam_lo_town.parent.name, cam_lo_town.district.name, cam_lo_town.province.name) == (
        "Huyện Cam Lộ",
        "Huyện Cam Lộ",
        "Tỉnh Quảng Trị",
    )
    assert (cam_lo_town.kind, cam_lo_town.area, cam_lo_town.short_name) == (Kind.THI_TRAN, "urban", "Cam Lộ")
    new_cam_lo = unit(NEW, "19597")
    assert (new_cam_lo.parent, new_cam_lo.district, new_cam_lo.area) == (unit(NEW, "44"), None, "rural")
    assert str(new_cam_lo.valid_from) == "2025-07-01" and str(cam_lo_town.valid_to) == "2025-06-30"
    assert unit(NEW, "01").kind == Kind.THANH_PHO_TW


def test_human_summary_prints_vietnamese_numbers(db):
    text = load()
    assert "63 tỉnh, 696 huyện, 10.051 xã" in text
    assert "34 tỉnh, 3.321 xã" in text
    assert re.search(r"\(\d+,\d giây\)", text), text


def test_a_second_run_repairs_what_changed_and_keeps_villages(db):
    load()
    from units.services import village_create

    cam_lo = unit(NEW, "19597")
    village = village_create(commune=cam_lo, name="Thôn Thượng Nghĩa", kind=Kind.THON)
    AdministrativeUnit.objects.filter(pk=cam_lo.pk).update(name="Xã Cam Lộ (sai)")
    link = UnitLineage.objects.filter(new=cam_lo).first()
    UnitLineage.objects.filter(pk=link.pk).update(partial=True)
    UnitLineage.objects.create(old=unit(PRE, "82"), new=unit(NEW, "80"))  # the package's wrong link

    result = json.loads(load("--json"))
    assert (result["created"], result["updated"]) == (0, 3)
    cam_lo.refresh_from_db()
    assert cam_lo.name == "Xã Cam Lộ" and cam_lo.search_name == "xa cam lo"
    assert not UnitLineage.objects.get(pk=link.pk).partial
    assert not UnitLineage.objects.filter(old=unit(PRE, "82"), new=unit(NEW, "80")).exists()
    assert AdministrativeUnit.objects.get(pk=village.pk).parent == cam_lo


def test_scope_and_search_on_the_real_map(db, django_user_model):
    load()
    from tests import factories as f

    quang_tri = f.UserFactory(username="tinh.quangtri")
    f.member_of(quang_tri, unit(NEW, "44"), Role.PROVINCE_OFFICER)
    tay_ninh = f.UserFactory(username="tinh.tayninh")
    f.member_of(tay_ninh, unit(NEW, "80"), Role.PROVINCE_OFFICER)

    view = "units.view_administrativeunit"
    assert access.can(quang_tri, view, unit(PRE, "19600"))  # Xã Cam Tuyền, old Quảng Trị
    assert access.can(quang_tri, view, unit(PRE, "44"))  # old Quảng Bình
    assert not access.can(quang_tri, view, unit(PRE, "48"))  # old Đà Nẵng
    assert access.can(tay_ninh, view, unit(PRE, "80"))  # old Long An
    assert not access.can(tay_ninh, view, unit(PRE, "82")), "Tiền Giang went to Đồng Tháp"

    from units.selectors import unit_search

    found = {(u.admin_version, u.name) for u in unit_search(user=quang_tri, text="cam lo")}
    assert {(PRE, "Huyện Cam Lộ"), (PRE, "Thị trấn Cam Lộ"), (NEW, "Xã Cam Lộ")} <= found
    assert all("Cam Lộ" in name or "Cam Lộc" in name for _v, name in found)
