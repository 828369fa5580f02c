from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Chỉ tiêu và đăng ký giúp thoát nghèo"

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit log)
