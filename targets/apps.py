from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Chỉ tiêu và đăng ký giúp thoát nghèo")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit log)
