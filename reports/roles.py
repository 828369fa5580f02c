"""The roles' permissions on the reports app's own records, added to the role groups after every
migrate (beside units/roles.sync_role_groups, which this extends for reports' models): commune and
province officers enter their units' resident population; administrators also reach it in the
admin. Access checks read the groups (units/access.py), not this table."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from units.models import Role

ENTER_POPULATION = "reports.change_residentpopulation"

REPORT_ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMUNE_OFFICER: ["reports.add_residentpopulation", ENTER_POPULATION],
    Role.PROVINCE_OFFICER: ["reports.add_residentpopulation", ENTER_POPULATION],
    Role.ADMINISTRATOR: [
        "reports.view_residentpopulation",
        "reports.add_residentpopulation",
        ENTER_POPULATION,
        "reports.delete_residentpopulation",
    ],
}


def grant_report_permissions(sender=None, **kwargs) -> None:
    """Give the role groups the permissions above (idempotent; after the last app has migrated,
    when every permission exists)."""
    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return
    for role, dotted_names in REPORT_ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        codenames = [name.split(".", 1)[1] for name in dotted_names]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
        )
