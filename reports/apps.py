from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        from . import audit, jobs  # noqa: F401  (audit registration, background job handler)
