from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.fields import DateField
from core.templatetags.history import ACTION_LABELS

# Viewing is not audited (auditlog's ACCESS action is never recorded here).
AUDITED_ACTIONS = (LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên."),
    }


class AuditFilterForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("Loại bản ghi"),
        queryset=ContentType.objects.filter(
            app_label__in=["units", "households", "targets", "reports"]
        ).order_by("app_label", "model"),
        required=False,
        empty_label=_("Tất cả"),
    )
    record = forms.CharField(label=_("Bản ghi"), max_length=100, required=False)
    actor = forms.CharField(label=_("Người thực hiện"), max_length=100, required=False)
    action = forms.TypedChoiceField(
        label=_("Thao tác"),
        choices=[("", _("Tất cả")), *[(a, ACTION_LABELS[a]) for a in AUDITED_ACTIONS]],
        coerce=int,
        required=False,
        empty_value=None,
    )
    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].label_from_instance = lambda content_type: capfirst(content_type.name)

    def filter(self, entries):
        data = self.cleaned_data
        if data["model"]:
            entries = entries.filter(content_type=data["model"])
        if data["record"]:
            entries = entries.filter(object_repr__icontains=data["record"])
        if data["actor"]:
            words = data["actor"].split()
            for word in words:
                entries = entries.filter(
                    Q(actor__username__icontains=word)
                    | Q(actor__first_name__icontains=word)
                    | Q(actor__last_name__icontains=word)
                )
        if data["action"] is not None:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(timestamp__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(timestamp__date__lte=data["date_to"])
        return entries
