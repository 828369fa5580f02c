from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, jobs, roles  # noqa: F401  (audit registration, background job handler)

        post_migrate.connect(roles.grant_report_permissions, dispatch_uid="reports.grant_report_permissions")
