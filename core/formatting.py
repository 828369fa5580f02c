"""Vietnamese number, money, rate and date formats (domain.md §7), as plain functions so that
templates, PDF and Excel renderers and commands all print the same text."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

THOUSANDS = "."
DECIMAL = ","


def _group(digits: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return THOUSANDS.join(parts)


def fmt_int(value) -> str:
    """1458 → "1.458"; None → ""."""
    if value is None or value == "":
        return ""
    number = int(value)
    sign = "-" if number < 0 else ""
    return sign + _group(str(abs(number)))


def fmt_decimal(value, places: int = 2) -> str:
    """6.789 → "6,79" (half-up rounding, as officials round by hand)."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = _group(whole)
    return sign + (f"{text}{DECIMAL}{fraction}" if places else text)


def fmt_percent(value, places: int = 2) -> str:
    """6.79 → "6,79%"."""
    text = fmt_decimal(value, places)
    return f"{text}%" if text else ""


def fmt_money(value) -> str:
    """1500000 → "1.500.000 đ"."""
    text = fmt_int(value)
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
    """timedelta(minutes=90) → "1 giờ 30 phút"; rounded up to the minute, so a wait is never understated."""
    minutes = -(-int(value.total_seconds()) // 60)
    days, minutes = divmod(max(minutes, 0), 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{days} ngày" if days else "",
        f"{hours} giờ" if hours else "",
        f"{minutes} phút" if minutes else "",
    ]
    return " ".join(part for part in parts if part) or "0 phút"


def fmt_seconds(seconds: float) -> str:
    """Elapsed seconds with a Vietnamese decimal comma: 1.25 → "1,3 giây"."""
    return f"{fmt_decimal(seconds, 1)} giây"
