from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, roles  # noqa: F401  (audit registers models with the audit log)

        post_migrate.connect(roles.sync_role_groups, dispatch_uid="units.sync_role_groups")
