from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self):
        # Django 6.1's new empty-choice label ("- Select an option -") has no Vietnamese
        # translation in Django's catalogue: every select of a model field would show it in English.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— Chọn —")
