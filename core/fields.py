"""Form fields every app's forms share."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_HELP = _("dd/mm/yyyy, ví dụ 15/03/1978.")
DATE_INVALID = _("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/03/1978 hoặc 15031978.")

# Day, month and year with a slash, dot, dash or space between them ("15.03.1978", "5/3/1978"), or
# eight digits in a row ("15031978"): a phone's numeric keypad often has neither "/" nor ".".
_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")


class DateInput(forms.DateInput):
    """A day-first text box that opens the numeric keypad on phones."""

    def __init__(self, attrs=None, format="%d/%m/%Y"):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs=defaults | (attrs or {}), format=format)


class DateField(forms.DateField):
    """A date typed day first, as Vietnamese forms write it: 15/03/1978, 15.03.1978, 15-03-1978 or
    15031978 (and the ISO 1978-03-15 that browsers and files use). The help text says the format."""

    widget = DateInput
    default_error_messages = {"invalid": DATE_INVALID}

    def __init__(self, **kwargs):
        if not kwargs.get("help_text"):  # a model field's blank help text included
            kwargs["help_text"] = DATE_HELP
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            match = _SEPARATED.fullmatch(text) or _DIGITS.fullmatch(text)
            if match:
                day, month, year = (int(part) for part in match.groups())
                try:
                    return date(year, month, day)
                except ValueError:
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)
