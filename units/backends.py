"""Django's permission checks (the admin, `user.has_perm`) made to agree with units/access.py."""

from django.contrib.auth.backends import ModelBackend

from . import access
from .roles import NATIONAL_ONLY_PERMISSIONS


class RoleBackend(ModelBackend):
    """ModelBackend, except that the permissions to change national reference data (standards,
    indicators, lookup lists) count only for a user who holds them for the whole country: a
    province administrator shares the administrator group with the national one, but may only
    read the standards."""

    def get_all_permissions(self, user_obj, obj=None):
        perms = super().get_all_permissions(user_obj, obj)
        national_only = perms & NATIONAL_ONLY_PERMISSIONS
        if not national_only or user_obj.is_superuser:
            return perms
        return perms - {perm for perm in national_only if not access.sees_everything(user_obj, perm)}
