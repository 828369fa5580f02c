"""The admin screens of units/admin.py: accounts and memberships cannot be used to reach beyond
one's scope, memberships are written through the services (groups and admin access follow), and
organisations get their conventional name."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories as f
from units.models import Membership, Organisation, Role

User = get_user_model()
ADD_USER = reverse("admin:auth_user_add")


def _add_user_data(username, memberships):
    data = {
        "username": username,
        "usable_password": "true",
        "password1": "Mat-khau-moi-2026",
        "password2": "Mat-khau-moi-2026",
        "last_name": "Lê Thị",
        "first_name": "Hoa",
        "email": f"{username}@example.org",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, (unit, role, organisation) in enumerate(memberships):
        data |= {
            f"memberships-{index}-unit": unit.pk if unit else "",
            f"memberships-{index}-role": role,
            f"memberships-{index}-organisation": organisation.pk if organisation else "",
        }
    return data


def _change_user_data(user, **overrides):
    memberships = list(user.memberships.all())
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        data |= {
            f"memberships-{index}-id": membership.pk,
            f"memberships-{index}-user": user.pk,
            f"memberships-{index}-unit": membership.unit_id or "",
            f"memberships-{index}-role": membership.role,
            f"memberships-{index}-organisation": membership.organisation_id or "",
        }
    return data | overrides


# --- accounts ----------------------------------------------------------------------------------


def test_province_administrator_creates_an_account_in_their_province(world):
    response = world.client_for(world.admin_p).post(
        ADD_USER, _add_user_data("canbo_moi", [(world.B, Role.COMMUNE_OFFICER, None)])
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user = User.objects.get(username="canbo_moi")
    assert list(user.memberships.values_list("unit", "role")) == [(world.B.pk, Role.COMMUNE_OFFICER)]
    assert list(user.groups.values_list("name", flat=True)) == [Role.COMMUNE_OFFICER]
    assert not user.is_staff and not user.is_superuser
    # The new account is theirs to manage.
    assert (
        world.client_for(world.admin_p).get(reverse("admin:auth_user_change", args=[user.pk])).status_code
        == 200
    )


def test_province_administrator_must_place_a_new_account_in_their_province(world):
    response = world.client_for(world.admin_p).post(ADD_USER, _add_user_data("khong_don_vi", []))
    assert response.status_code == 200
    assert "Hãy phân công tài khoản mới vào một đơn vị" in response.content.decode()
    assert not User.objects.filter(username="khong_don_vi").exists()


@pytest.mark.parametrize("where", ["C", "national"])
def test_province_administrator_cannot_create_an_account_outside_their_province(world, where):
    unit = world.C if where == "C" else None
    role = Role.COMMUNE_OFFICER if where == "C" else Role.ADMINISTRATOR
    response = world.client_for(world.admin_p).post(ADD_USER, _add_user_data("ngoai", [(unit, role, None)]))
    assert response.status_code == 200
    assert not User.objects.filter(username="ngoai").exists()
    assert not Membership.objects.filter(user__username="ngoai").exists()


def test_national_administrator_may_create_another_national_administrator(world):
    client = world.client_for(world.national_admin)
    response = client.post(ADD_USER, _add_user_data("quantri2", [(None, Role.ADMINISTRATOR, None)]))
    assert response.status_code == 302
    user = User.objects.get(username="quantri2")
    assert user.is_staff and not user.is_superuser


def test_a_commune_role_without_a_unit_is_refused_with_a_vietnamese_message(world):
    client = world.client_for(world.national_admin)
    response = client.post(ADD_USER, _add_user_data("thieu_don_vi", [(None, Role.COMMUNE_OFFICER, None)]))
    assert response.status_code == 200
    assert "Chỉ quản trị viên toàn quốc mới được phân công không gắn với đơn vị" in response.content.decode()
    assert not User.objects.filter(username="thieu_don_vi").exists()


def test_province_administrator_cannot_make_a_superuser_or_edit_groups(world):
    staff_group = Group.objects.get(name=Role.ADMINISTRATOR)
    data = _change_user_data(
        world.officer_a, is_superuser="on", is_staff="on", groups=[staff_group.pk], first_name="Mai"
    )
    response = world.client_for(world.admin_p).post(
        reverse("admin:auth_user_change", args=[world.officer_a.pk]), data
    )
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.first_name == "Mai"  # the allowed change went through
    assert not world.officer_a.is_superuser and not world.officer_a.is_staff
    assert list(world.officer_a.groups.values_list("name", flat=True)) == [Role.COMMUNE_OFFICER]


def test_province_administrator_cannot_move_a_membership_out_of_their_province(world):
    data = _change_user_data(world.officer_a)
    data["memberships-0-unit"] = world.C.pk
    response = world.client_for(world.admin_p).post(
        reverse("admin:auth_user_change", args=[world.officer_a.pk]), data
    )
    assert response.status_code == 200
    assert list(world.officer_a.memberships.values_list("unit", flat=True)) == [world.A.pk]


def test_an_account_that_also_works_elsewhere_is_read_only_for_a_province_administrator(world):
    f.member_of(world.officer_a, world.C, Role.COMMUNE_LEADER)
    client = world.client_for(world.admin_p)
    url = reverse("admin:auth_user_change", args=[world.officer_a.pk])
    assert client.get(url).status_code == 200  # visible: they work in P too
    response = client.post(url, _change_user_data(world.officer_a, email="doi@example.org"))
    assert response.status_code == 403
    world.officer_a.refresh_from_db()
    assert world.officer_a.email == "officer_a@example.org"
    password_url = reverse("admin:auth_user_password_change", args=[world.officer_a.pk])
    assert (
        client.post(password_url, {"password1": "X-moi-2026!", "password2": "X-moi-2026!"}).status_code == 403
    )


def test_province_administrator_cannot_reach_a_national_administrator(world):
    client = world.client_for(world.admin_p)
    response = client.get(reverse("admin:auth_user_change", args=[world.national_admin.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    password_url = reverse("admin:auth_user_password_change", args=[world.national_admin.pk])
    client.post(password_url, {"password1": "X-moi-2026!", "password2": "X-moi-2026!"})
    world.national_admin.refresh_from_db()
    assert world.national_admin.check_password("Mat-khau-2026")


def test_province_administrator_resets_a_password_in_their_province(world):
    client = world.client_for(world.admin_p)
    password_url = reverse("admin:auth_user_password_change", args=[world.officer_b.pk])
    response = client.post(
        password_url,
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"},
    )
    assert response.status_code == 302
    world.officer_b.refresh_from_db()
    assert world.officer_b.check_password("Mat-khau-moi-2026")


def test_nobody_but_a_superuser_changes_a_superuser(world):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = world.client_for(world.national_admin)
    url = reverse("admin:auth_user_change", args=[root.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _change_user_data(root, email="x@example.org")).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_the_user_list_shows_names_family_name_first(world):
    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    response = world.client_for(world.admin_p).get(reverse("admin:auth_user_changelist"))
    assert "Lê Thị Hoa" in response.content.decode()


# --- memberships -------------------------------------------------------------------------------


def test_membership_admin_grants_through_the_service(world):
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("admin:units_membership_add"),
        {"user": world.officer_b.pk, "unit": world.P.pk, "role": Role.ADMINISTRATOR, "organisation": ""},
    )
    assert response.status_code == 302
    world.officer_b.refresh_from_db()
    assert world.officer_b.is_staff
    assert set(world.officer_b.groups.values_list("name", flat=True)) == {
        Role.COMMUNE_OFFICER,
        Role.ADMINISTRATOR,
    }


def test_membership_admin_refuses_a_unit_outside_the_province(world):
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("admin:units_membership_add"),
        {"user": world.officer_b.pk, "unit": world.C.pk, "role": Role.COMMUNE_OFFICER, "organisation": ""},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=world.officer_b, unit=world.C).exists()


def test_membership_admin_refuses_an_organisation_of_another_unit(world):
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("admin:units_membership_add"),
        {
            "user": world.officer_b.pk,
            "unit": world.B.pk,
            "role": Role.ORG_OFFICER,
            "organisation": world.union_p.pk,
        },
    )
    assert response.status_code == 200
    assert "Tổ chức được chọn không thuộc đơn vị của phân công" in response.content.decode()


def test_deleting_a_membership_revokes_the_role(world):
    membership = Membership.objects.get(user=world.admin_p)
    client = world.client_for(world.national_admin)
    response = client.post(reverse("admin:units_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    world.admin_p.refresh_from_db()
    assert not world.admin_p.is_staff
    assert not world.admin_p.groups.exists()


def test_bulk_deleting_memberships_revokes_the_roles(world):
    client = world.client_for(world.national_admin)
    memberships = Membership.objects.filter(user__in=[world.officer_a, world.officer_b])
    response = client.post(
        reverse("admin:units_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in memberships], "post": "yes"},
    )
    assert response.status_code == 302
    assert not world.officer_a.groups.exists() and not world.officer_b.groups.exists()


# --- organisations -----------------------------------------------------------------------------


def test_organisation_gets_its_conventional_name_when_left_empty(world):
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("admin:units_organisation_add"),
        {"unit": world.A.pk, "kind": Organisation.Kind.FARMERS_UNION, "name": "", "active": "on"},
    )
    assert response.status_code == 302
    assert (
        Organisation.objects.get(unit=world.A, kind=Organisation.Kind.FARMERS_UNION).name
        == "Hội Nông dân xã An Bình"
    )


def test_poverty_department_name_comes_from_the_settings(world, settings):
    settings.POVERTY_DEPARTMENT_NAME = "Sở Lao động - Thương binh và Xã hội"
    client = world.client_for(world.admin_p)
    client.post(
        reverse("admin:units_organisation_add"),
        {"unit": world.P.pk, "kind": Organisation.Kind.POVERTY_DEPARTMENT, "name": "", "active": "on"},
    )
    organisation = Organisation.objects.get(unit=world.P, kind=Organisation.Kind.POVERTY_DEPARTMENT)
    assert organisation.name == "Sở Lao động - Thương binh và Xã hội Thử"


def test_organisation_cannot_be_added_outside_the_province(world):
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("admin:units_organisation_add"),
        {"unit": world.C.pk, "kind": Organisation.Kind.FARMERS_UNION, "name": "", "active": "on"},
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(unit=world.C).exists()


# --- national reference data ---------------------------------------------------------------------


def test_province_administrator_reads_but_cannot_change_a_poverty_standard(world):
    from households.models import PovertyStandard

    standard = PovertyStandard.objects.first()
    url = reverse("admin:households_povertystandard_change", args=[standard.pk])
    client = world.client_for(world.admin_p)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Sửa"}).status_code == 403
    standard.refresh_from_db()
    assert standard.name != "Sửa"
    assert not world.admin_p.has_perm("households.change_povertystandard")
    assert world.national_admin.has_perm("households.change_povertystandard")


def test_unit_admin_search_ignores_diacritics(world):
    response = world.client_for(world.admin_p).get(
        reverse("admin:units_administrativeunit_changelist"), {"q": "an binh"}
    )
    assert list(response.context["cl"].queryset) == [world.A]
