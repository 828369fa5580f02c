from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên."),
    }


class AuditFilterForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("Loại bản ghi"),
        queryset=ContentType.objects.filter(app_label__in=["units", "households", "targets", "reports"]),
        required=False,
    )
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    action = forms.TypedChoiceField(
        label=_("Thao tác"),
        choices=[("", "—"), *LogEntry.Action.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False)
    date_to = forms.DateField(label=_("Đến ngày"), required=False)

    def filter(self, entries):
        data = self.cleaned_data
        if data["model"]:
            entries = entries.filter(content_type=data["model"])
        if data["actor"]:
            entries = entries.filter(actor__username__icontains=data["actor"])
        if data["action"] is not None:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(timestamp__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(timestamp__date__lte=data["date_to"])
        return entries
