"""The five roles, as Django groups with permissions. `sync_role_groups` (run after every migrate)
creates the groups and gives them the permissions below; an administrator may add more in the
admin, and access checks read the groups, not this table."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from .models import Role

VIEW_COMMON = [
    "units.view_administrativeunit",
    "units.view_organisation",
    "households.view_household",
    "households.view_member",
    "households.view_assessment",
    "households.view_povertystandard",
    "targets.view_annualtarget",
    "targets.view_registration",
    "targets.view_helpentry",
    "reports.view_report",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMUNE_OFFICER: VIEW_COMMON
    + [
        "units.manage_village",
        "households.add_household",
        "households.change_household",
        "households.add_member",
        "households.change_member",
        "households.delete_member",
        "households.add_assessment",
        "households.change_assessment",
        "households.submit_assessment",
        "households.view_ethnicity",
    ],
    Role.COMMUNE_LEADER: VIEW_COMMON
    + [
        "households.approve_assessment",
        "households.view_ethnicity",
        "targets.confirm_outcome",
    ],
    Role.ORG_OFFICER: VIEW_COMMON
    + [
        "targets.add_registration",
        "targets.change_registration",
        "targets.add_helpentry",
        "targets.change_helpentry",
        "targets.delete_helpentry",
        "targets.propose_outcome",
    ],
    Role.PROVINCE_OFFICER: VIEW_COMMON
    + [
        "targets.add_annualtarget",
        "targets.change_annualtarget",
        "targets.allocate_target",
        "reports.view_dashboard",
        "reports.lock_period",
    ],
    Role.ADMINISTRATOR: VIEW_COMMON
    + [
        "units.add_administrativeunit",
        "units.change_administrativeunit",
        "units.manage_village",
        "units.add_organisation",
        "units.change_organisation",
        "units.view_membership",
        "units.add_membership",
        "units.change_membership",
        "units.delete_membership",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "households.add_household",
        "households.change_household",
        "households.add_member",
        "households.change_member",
        "households.delete_member",
        "households.add_assessment",
        "households.change_assessment",
        "households.submit_assessment",
        "households.approve_assessment",
        "households.view_ethnicity",
        "households.change_povertystandard",
        "households.add_povertystandard",
        "households.change_indicator",
        "households.add_indicator",
        "households.view_indicator",
        "households.view_policygroup",
        "households.add_policygroup",
        "households.change_policygroup",
        "households.view_povertycause",
        "households.add_povertycause",
        "households.change_povertycause",
        "households.import_census",
        "targets.add_annualtarget",
        "targets.change_annualtarget",
        "targets.allocate_target",
        "targets.confirm_outcome",
        "targets.view_supportmeasure",
        "targets.add_supportmeasure",
        "targets.change_supportmeasure",
        "reports.view_dashboard",
        "reports.lock_period",
        "reports.view_periodlock",
        "auditlog.view_logentry",
    ],
}

# National reference data: the poverty standards with their indicators and the lookup lists. Every
# administrator may read them; only a national administrator (or a superuser) may change them,
# whatever the groups say (units/backends.py removes these permissions from everyone else).
NATIONAL_REFERENCE_MODELS = (
    "households.povertystandard",
    "households.indicator",
    "households.policygroup",
    "households.povertycause",
    "targets.supportmeasure",
)
NATIONAL_ONLY_PERMISSIONS = frozenset(
    f"{app}.{action}_{model}"
    for app, model in (label.split(".") for label in NATIONAL_REFERENCE_MODELS)
    for action in ("add", "change", "delete")
)

# Roles whose members get Django-admin access (is_staff) for the screens scoped in */admin.py.
STAFF_ROLES = {Role.ADMINISTRATOR}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create one group per role (named by its code) holding the permissions above."""
    # post_migrate fires once per app; permissions of later apps exist only after the last one.
    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in dotted_names:
            try:
                wanted.append(_permission(dotted))
            except Permission.DoesNotExist:
                continue  # a test asserts that every name above exists
        group.permissions.add(*wanted)
