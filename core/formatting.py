"""Number, money, rate and date formats (domain.md §7), as plain functions so that templates, PDF
and Excel renderers and commands all print the same text.

Numbers follow the language being read: Vietnamese (1.458 and 6,79) unless English is active
(1,458 and 6.79), as Django prints `{{ n }}` with the formats in povertyplan/formats/. Documents
(reports, target tables) and commands are produced in Vietnamese, so they print Vietnamese figures;
text that is stored (classification reasons) asks for Vietnamese with `lang="vi"`. Dates are
day-first in both languages (24/01/2017), and amounts keep the đồng sign "đ"."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

THOUSANDS = "."
DECIMAL = ","
# (thousands, decimal) for the languages that do not write figures the Vietnamese way.
SEPARATORS = {"en": (",", ".")}


def _separators(lang: str | None) -> tuple[str, str]:
    return SEPARATORS.get(lang or translation.get_language() or "", (THOUSANDS, DECIMAL))


def _group(digits: str, thousands: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return thousands.join(parts)


def fmt_int(value, lang: str | None = None) -> str:
    """1458 → "1.458" ("1,458" in English); None → ""."""
    if value is None or value == "":
        return ""
    number = int(value)
    sign = "-" if number < 0 else ""
    return sign + _group(str(abs(number)), _separators(lang)[0])


def fmt_decimal(value, places: int = 2, lang: str | None = None) -> str:
    """6.789 → "6,79" ("6.79" in English; half-up rounding, as officials round by hand)."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    thousands, decimal = _separators(lang)
    whole, _point, fraction = f"{abs(number):f}".partition(".")
    text = _group(whole, thousands)
    return sign + (f"{text}{decimal}{fraction}" if places else text)


def fmt_percent(value, places: int = 2, lang: str | None = None) -> str:
    """6.79 → "6,79%" ("6.79%" in English)."""
    text = fmt_decimal(value, places, lang)
    return f"{text}%" if text else ""


def fmt_money(value, lang: str | None = None) -> str:
    """1500000 → "1.500.000 đ" ("1,500,000 đ" in English)."""
    text = fmt_int(value, lang)
    return f"{text} đ" if text else ""


def rate(part, whole, places: int = 2) -> Decimal | None:
    """part ÷ whole × 100, rounded half-up to `places`; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_date(value: date | None) -> str:
    """24/01/2017."""
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_document_date(place: str, value: date) -> str:
    """ "Cam Lộ, ngày 18 tháng 03 năm 2021" — NĐ 30/2020: day below 10 and months 1–2 zero-padded."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def fmt_duration(value: timedelta) -> str:
    """timedelta(minutes=90) → "1 giờ 30 phút" ("1 hour 30 minutes"); rounded up to the minute, so a
    wait is never understated."""
    minutes = -(-int(value.total_seconds()) // 60)
    days, minutes = divmod(max(minutes, 0), 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days} if days else "",
        ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes} if minutes else "",
    ]
    return " ".join(part for part in parts if part) or _("0 phút")


def fmt_seconds(seconds: float) -> str:
    """Elapsed seconds with a Vietnamese decimal comma: 1.25 → "1,3 giây" ("1.3 s" in English)."""
    return _("%(seconds)s giây") % {"seconds": fmt_decimal(seconds, 1)}
