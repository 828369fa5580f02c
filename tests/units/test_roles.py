"""units/roles.py: the five roles as Django groups, and memberships keeping users in step."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests import factories as f
from units.models import Role
from units.roles import ROLE_PERMISSIONS, sync_role_groups
from units.services import membership_change, membership_grant, membership_revoke


@pytest.mark.parametrize("role", Role.values)
def test_every_permission_named_for_a_role_exists_and_is_in_its_group(db, role):
    group = Group.objects.get(name=role)
    held = {
        f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }
    missing = [name for name in ROLE_PERMISSIONS[role] if name not in held]
    assert not missing, (
        f"{role}: permissions that do not exist (typo, or a model not yet migrated): {missing}"
    )


def test_syncing_the_groups_twice_changes_nothing(db):
    before = Permission.objects.filter(group__isnull=False).count()
    sync_role_groups()
    assert Permission.objects.filter(group__isnull=False).count() == before


def test_membership_puts_the_user_in_the_role_group_and_revoking_takes_them_out(world):
    user = f.UserFactory(username="moi")
    membership = membership_grant(user=user, unit=world.A, role=Role.COMMUNE_LEADER)
    assert list(user.groups.values_list("name", flat=True)) == [Role.COMMUNE_LEADER]
    membership_change(membership=membership, unit=world.A, role=Role.COMMUNE_OFFICER)
    assert list(user.groups.values_list("name", flat=True)) == [Role.COMMUNE_OFFICER]
    membership_revoke(membership=membership)
    assert not user.groups.exists()


def test_other_groups_are_kept(world):
    extra = Group.objects.create(name="Nhóm thử")
    world.officer_a.groups.add(extra)
    membership_grant(user=world.officer_a, unit=world.B, role=Role.COMMUNE_OFFICER)
    assert set(world.officer_a.groups.values_list("name", flat=True)) == {"Nhóm thử", Role.COMMUNE_OFFICER}


def test_admin_access_follows_the_administrator_role(world):
    user = f.UserFactory(username="quantri_moi")
    assert not user.is_staff
    first = membership_grant(user=user, unit=world.P, role=Role.ADMINISTRATOR)
    second = membership_grant(user=user, unit=world.Q, role=Role.ADMINISTRATOR)
    user.refresh_from_db()
    assert user.is_staff
    membership_revoke(membership=first)
    user.refresh_from_db()
    assert user.is_staff, "still an administrator of Q"
    membership_revoke(membership=second)
    user.refresh_from_db()
    assert not user.is_staff


def test_a_superuser_keeps_admin_access_without_memberships(world):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    membership_revoke(membership=membership_grant(user=root, unit=world.A, role=Role.COMMUNE_OFFICER))
    root.refresh_from_db()
    assert root.is_staff


def test_granting_twice_keeps_one_membership(world):
    first = membership_grant(user=world.officer_a, unit=world.A, role=Role.COMMUNE_OFFICER)
    assert membership_grant(user=world.officer_a, unit=world.A, role=Role.COMMUNE_OFFICER) == first
    assert world.officer_a.memberships.count() == 1
