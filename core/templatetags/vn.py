"""Template filters for figures, Vietnamese unless English is being read (core/formatting.py).
Loaded as a builtin: no {% load %} needed.

{{ households|vn_int }}   1.458        {{ rate|vn_pct }}     6,79%
{{ income|vn_money }}     1.500.000 đ  {{ year|plain }}      2021 (never "2.021")
{{ user|display_name }}   Lê Thị Hoa   {{ delta|vn_duration }} 1 giờ 30 phút
"""

from django import template

from core import formatting, text

register = template.Library()


@register.filter
def vn_int(value):
    try:
        return formatting.fmt_int(value)
    except (TypeError, ValueError):
        return value


@register.filter
def vn_dec(value, places=2):
    try:
        return formatting.fmt_decimal(value, int(places))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def vn_pct(value, places=2):
    try:
        return formatting.fmt_percent(value, int(places))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def vn_money(value):
    try:
        return formatting.fmt_money(value)
    except (TypeError, ValueError):
        return value


@register.filter
def plain(value):
    """Print a number with no thousands separator: years, codes, ids."""
    return "" if value is None else str(value)


@register.filter
def vn_date(value):
    return formatting.fmt_date(value)


@register.filter
def display_name(user):
    """Family name first, as Vietnamese write names: "Lê Thị Hoa"."""
    return text.display_name(user)


@register.filter
def vn_duration(value):
    """A timedelta in words: "15 phút", "1 giờ 30 phút", "2 ngày"."""
    try:
        return formatting.fmt_duration(value)
    except (TypeError, AttributeError):
        return value
