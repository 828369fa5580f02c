from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Integer fields that hold a year: printed as 2025, never with the thousand separator (2.025).
YEAR_FIELDS = {"year", "year_from", "year_to"}


def is_year_field(field) -> bool:
    name = getattr(field, "name", "") or ""
    return name in YEAR_FIELDS or name.endswith("_year")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self):
        # Django 6.1's new empty-choice label ("- Select an option -") has no Vietnamese
        # translation in Django's catalogue: every select of a model field would show it in English.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— Chọn —")
        from . import security  # noqa: F401 (connects the login-failure counter)

        _admin_prints_years_plain()
        _audit_log_names()


def _admin_prints_years_plain() -> None:
    """The admin localises every integer it shows (lists and read-only fields), which prints the
    years of review, targets and locks as "2.025" under USE_THOUSAND_SEPARATOR. Django has no hook
    for it, so its display function is wrapped where the admin imported it."""
    from django.contrib.admin import helpers, utils
    from django.contrib.admin.templatetags import admin_list

    original = utils.display_for_field

    def display_for_field(value, field, empty_value_display, *args, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool) and is_year_field(field):
            return str(value)
        return original(value, field, empty_value_display, *args, **kwargs)

    for module in (utils, helpers, admin_list):
        module.display_for_field = display_for_field


def _audit_log_names() -> None:
    """django-auditlog's Vietnamese catalogue calls its log entries "mục đăng nhập" (login entries)
    and its app "Audit log". Only the runtime names change (`original_attrs`, which migrations read,
    stay as they are), so no migration of auditlog follows."""
    from auditlog.models import LogEntry
    from django.apps import apps

    apps.get_app_config("auditlog").verbose_name = _("Nhật ký thay đổi")
    LogEntry._meta.verbose_name = _("thay đổi đã ghi")
    LogEntry._meta.verbose_name_plural = _("nhật ký thay đổi")
