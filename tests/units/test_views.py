"""The unit browser: browsing down the tree, search with or without diacritics, the history of a
unit across the 2025 reform, and villages added by commune officers."""

import pytest
from django.urls import reverse

from tests import factories as f
from units import services
from units.models import AdministrativeUnit, AdminVersion, Area, Kind, Level, UnitLineage


def _detail(world, persona, unit):
    return world.client_for(getattr(world, persona)).get(reverse("units:detail", args=[unit.pk]))


# --- browsing ------------------------------------------------------------------------------------


def test_an_officer_with_one_unit_goes_straight_to_it(world):
    response = world.client_for(world.officer_a).get(reverse("units:browse"))
    assert response.status_code == 302 and response.url == reverse("units:detail", args=[world.A.pk])


def test_province_officer_browses_their_province_and_its_old_province(world):
    response = world.client_for(world.province_officer).get(reverse("units:browse"))
    assert list(response.context["roots"]) == [world.P, world.OP]


def test_national_administrator_browses_every_province_of_either_map(world):
    client = world.client_for(world.national_admin)
    assert set(client.get(reverse("units:browse")).context["roots"]) == {world.P, world.Q}
    assert list(client.get(reverse("units:browse"), {"version": "pre2025"}).context["roots"]) == [world.OP]
    assert set(client.get(reverse("units:browse"), {"version": "1975"}).context["roots"]) == {
        world.P,
        world.Q,
    }


def test_a_user_without_unit_is_told_what_to_do_and_shown_no_unit(world):
    response = world.client_for(world.nobody).get(reverse("units:browse"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn chưa được phân công địa bàn" in page
    assert "quản trị viên tỉnh" in page and "nobody" in page
    for unit in (world.P, world.Q, world.A, world.OP):
        assert unit.name not in page


def test_commune_page_lists_its_villages_in_code_order(world):
    services.village_create(commune=world.A, name="Thôn Hai", kind=Kind.THON)
    response = _detail(world, "officer_a", world.A)
    assert response.status_code == 200
    assert [v.name for v in response.context["children"]] == ["Thôn Một", "Thôn Hai"]


def test_province_page_lists_its_communes_with_their_village_counts(world):
    page = _detail(world, "province_officer", world.P).content.decode()
    assert "Xã An Bình" in page and "Phường Bắc Sơn" in page
    assert "1 thôn" in page  # A has village A1


def test_child_counts_use_the_vietnamese_thousands_separator(world):
    AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(
                admin_version=AdminVersion.V2025,
                code=f"91001-{i:04d}",
                name=f"Thôn {i}",
                short_name=f"Thôn {i}",
                kind=Kind.THON,
                level=Level.VILLAGE,
                parent=world.C,
                province=world.Q,
                commune=world.C,
                search_name=f"thon {i}",
            )
            for i in range(1200)
        ]
    )
    page = _detail(world, "national_admin", world.Q).content.decode()
    assert "1.200 thôn" in page


@pytest.mark.parametrize(
    ("persona", "unit"),
    [
        ("officer_a", "B"),
        ("officer_b", "A"),
        ("outsider", "A"),
        ("officer_a", "P"),
        ("union_officer", "A"),
        ("nobody", "A"),
    ],
)
def test_an_officer_cannot_open_a_unit_outside_their_scope(world, persona, unit):
    assert _detail(world, persona, getattr(world, unit)).status_code == 404


def test_breadcrumbs_show_only_ancestors_in_scope(world):
    officer = _detail(world, "officer_a", world.A1).context["ancestors"]
    assert officer == [world.A]
    province = _detail(world, "province_officer", world.A1).context["ancestors"]
    assert province == [world.P, world.A]


# --- the 2025 reform, both ways --------------------------------------------------------------------


def test_a_2025_commune_shows_the_old_units_it_came_from(world):
    UnitLineage.objects.create(old=world.OB, new=world.A, partial=True)
    response = _detail(world, "province_officer", world.A)
    assert [(link.old, link.partial) for link in response.context["predecessors"]] == [
        (world.OA, False),
        (world.OB, True),
    ]
    page = response.content.decode()
    assert "Hình thành từ các đơn vị trước 01/07/2025" in page
    assert reverse("units:detail", args=[world.OA.pk]) in page
    assert "một phần" in page


def test_an_old_commune_shows_the_new_unit_it_became(world):
    response = _detail(world, "province_officer", world.OA)
    assert [link.new for link in response.context["successors"]] == [world.A]
    page = response.content.decode()
    assert "Từ 01/07/2025 thuộc về" in page
    assert reverse("units:detail", args=[world.A.pk]) in page
    assert "Đơn vị theo địa giới trước 01/07/2025" in page


def test_an_old_commune_split_across_new_ones_says_each_household_must_be_confirmed(world):
    UnitLineage.objects.create(old=world.OA, new=world.B, partial=True)
    page = _detail(world, "province_officer", world.OA).content.decode()
    assert "xã mới của từng hộ phải được xác nhận theo từng hộ" in page


def test_the_old_province_shows_the_new_province(world):
    response = _detail(world, "province_officer", world.OP)
    assert [link.new for link in response.context["successors"]] == [world.P]


def test_the_old_commune_a_commune_came_from_is_linked_inside_the_scope(world):
    """The commune officer of A opens OA (A's history); B's predecessor OB is named, not linked."""
    response = _detail(world, "officer_a", world.A)
    (link,) = response.context["predecessors"]
    assert link.old == world.OA and link.visible
    assert reverse("units:detail", args=[world.OA.pk]) in response.content.decode()
    page = _detail(world, "officer_a", world.OB)
    assert page.status_code == 404


# --- search --------------------------------------------------------------------------------------


def _search(world, persona, text, **headers):
    return world.client_for(getattr(world, persona)).get(reverse("units:search"), {"q": text}, **headers)


@pytest.fixture
def cam_lo(world):
    """Cam Lộ as in the real map: the old district and its town, and the new commune."""
    district = f.district(world.OP, name="Huyện Cam Lộ", short_name="Cam Lộ", code="468")
    town = f.commune(
        district,
        name="Thị trấn Cam Lộ",
        short_name="Cam Lộ",
        code="19597",
        kind=Kind.THI_TRAN,
        area=Area.URBAN,
    )
    new = f.commune(world.P, name="Xã Cam Lộ", short_name="Cam Lộ", code="19597")
    f.commune(world.C.parent, name="Xã Cam Lộc", short_name="Cam Lộc", code="91999")
    return {"district": district, "town": town, "new": new}


@pytest.mark.parametrize("text", ["cam lo", "Cam Lộ", "CAM LO", "  cam   lộ "])
def test_search_finds_cam_lo_with_or_without_diacritics(world, cam_lo, text):
    results = list(_search(world, "province_officer", text).context["results"])
    assert results[0] == cam_lo["new"], "2025 units first"
    assert set(results) == {cam_lo["new"], cam_lo["district"], cam_lo["town"]}


def test_search_stays_inside_the_scope(world, cam_lo):
    assert list(_search(world, "officer_a", "cam lo").context["results"]) == []
    assert "Xã Cam Lộc" in [u.name for u in _search(world, "national_admin", "cam lo").context["results"]]


def test_search_by_code(world, cam_lo):
    results = set(_search(world, "province_officer", "19597").context["results"])
    assert results == {cam_lo["new"], cam_lo["town"]}


def test_search_with_nothing_found_says_what_to_try(world):
    page = _search(world, "officer_a", "khong co dau").content.decode()
    assert "Không tìm thấy đơn vị nào trong địa bàn của bạn" in page


def test_search_answers_htmx_with_the_results_fragment(world, cam_lo):
    response = _search(world, "province_officer", "cam lo", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and 'id="unit-results"' in page and "Thị trấn Cam Lộ" in page


# --- villages ------------------------------------------------------------------------------------


def test_village_create_numbers_villages_inside_the_commune(world):
    second = services.village_create(commune=world.A, name="  Thôn   Hai ", kind=Kind.THON)
    assert (second.name, second.code, second.parent, second.commune, second.province) == (
        "Thôn Hai",
        f"{world.A.code}-002",
        world.A,
        world.A,
        world.P,
    )
    assert second.admin_version == world.A.admin_version and second.area == Area.RURAL
    street = services.village_create(commune=world.A, name="Tổ 3", kind=Kind.TO_DAN_PHO)
    assert street.code == f"{world.A.code}-003" and street.area == Area.URBAN


def test_village_create_refuses_a_duplicate_name_whatever_the_case(world):
    with pytest.raises(services.UnitError) as error:
        services.village_create(commune=world.A, name="thôn một", kind=Kind.THON)
    assert str(error.value) == str(services.DUPLICATE_VILLAGE)


def test_the_same_village_name_is_fine_in_another_commune(world):
    assert services.village_create(commune=world.B, name="Thôn Một", kind=Kind.THON).parent == world.B


@pytest.mark.parametrize(
    ("unit", "name", "kind"),
    [
        ("P", "Thôn X", Kind.THON),
        ("A1", "Thôn X", Kind.THON),
        ("A", "Thôn X", Kind.XA),
        ("A", "   ", Kind.THON),
    ],
)
def test_village_create_refuses_what_is_not_a_village_of_a_commune(world, unit, name, kind):
    with pytest.raises(services.UnitError):
        services.village_create(commune=getattr(world, unit), name=name, kind=kind)


def test_officer_adds_a_village_on_the_commune_page(world):
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("units:village_create", args=[world.A.pk]), {"name": "Thôn Hai", "kind": "thon"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("units:detail", args=[world.A.pk])
    assert "Đã thêm Thôn Hai." in response.content.decode()
    assert AdministrativeUnit.objects.filter(parent=world.A, name="Thôn Hai").exists()


def test_adding_a_duplicate_village_says_so_and_adds_nothing(world):
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("units:village_create", args=[world.A.pk]), {"name": "THÔN MỘT", "kind": "thon"}, follow=True
    )
    assert str(services.DUPLICATE_VILLAGE) in response.content.decode()
    assert AdministrativeUnit.objects.filter(parent=world.A).count() == 1


def test_adding_a_village_without_a_name_says_what_is_missing(world):
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("units:village_create", args=[world.A.pk]), {"name": "", "kind": "thon"}, follow=True
    )
    assert "Hãy nhập tên thôn/tổ dân phố" in response.content.decode()


def test_the_add_village_form_is_shown_only_to_those_who_may_add(world):
    assert _detail(world, "officer_a", world.A).context["can_add_village"]
    assert not _detail(world, "leader_a", world.A).context["can_add_village"]
    assert not _detail(world, "province_officer", world.A).context["can_add_village"]
    assert (
        reverse("units:village_create", args=[world.A.pk])
        not in _detail(world, "leader_a", world.A).content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("leader_a", 403), ("province_officer", 403), ("officer_b", 404), ("outsider", 404)],
)
def test_village_create_refused(world, persona, status):
    client = world.client_for(getattr(world, persona))
    response = client.post(
        reverse("units:village_create", args=[world.A.pk]), {"name": "Thôn Lạ", "kind": "thon"}
    )
    assert response.status_code == status
    assert not AdministrativeUnit.objects.filter(name="Thôn Lạ").exists()


def test_village_create_needs_post(world):
    assert (
        world.client_for(world.officer_a).get(reverse("units:village_create", args=[world.A.pk])).status_code
        == 405
    )


# --- home ----------------------------------------------------------------------------------------


def test_home_greets_by_name_family_name_first_and_shows_the_unit(world):
    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    page = world.client_for(world.officer_a).get(reverse("home")).content.decode()
    assert "Xin chào, Lê Thị Hoa" in page
    assert "Cán bộ xã" in page and reverse("units:detail", args=[world.A.pk]) in page


def test_home_suggests_adding_villages_to_a_commune_without_any(world):
    page = world.client_for(world.officer_b).get(reverse("home")).content.decode()
    assert "Thêm thôn, tổ dân phố của Phường Bắc Sơn" in page
    page = world.client_for(world.officer_a).get(reverse("home")).content.decode()
    assert "Thêm thôn, tổ dân phố" not in page  # A has a village already


def test_home_of_an_administrator_points_to_accounts_and_the_audit_log(world):
    page = world.client_for(world.admin_p).get(reverse("home")).content.decode()
    assert reverse("admin:auth_user_changelist") in page
    assert reverse("audit_list") in page
    assert "Kể cả các đơn vị cũ đã nhập vào" in page and world.OP.name in page


def test_home_of_a_user_without_unit_says_what_to_do(world):
    page = world.client_for(world.nobody).get(reverse("home")).content.decode()
    assert "Tài khoản chưa được phân công" in page
    assert page.count("chưa gắn với đơn vị") == 1, "said once, not twice"


def test_unit_page_shows_its_history_to_administrators_only(world):
    services.village_create(commune=world.A, name="Thôn Hai", kind=Kind.THON)
    village = AdministrativeUnit.objects.get(name="Thôn Hai")
    assert "Lịch sử thay đổi" in _detail(world, "admin_p", village).content.decode()
    assert "Lịch sử thay đổi" not in _detail(world, "officer_a", village).content.decode()
