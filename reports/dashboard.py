"""The province officers' dashboard: poverty and near-poverty rates by unit (bar chart), the trend by
year, and the deprivation profile of poor households by indicator. Every figure drills down: a bar
opens the unit's own dashboard, a year opens that year's fourth-quarter report, an indicator opens
the quarterly report's table of deprivations. A fixed number of grouped queries per page."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from core.formatting import rate
from units.models import Level
from units.periods import clamped_end, history_note

from .builders import ROMAN
from .forms import last_closed_quarter
from .selectors import (
    children_of,
    no_child_label,
    quarter_dates,
    standard_for,
    stock_aggregates,
    stock_by,
    trend,
)

POOR_COLOUR = "#c0392b"
NEAR_COLOUR = "#e67e22"
INDICATOR_COLOUR = "#2c6e9b"
FIRST_YEAR = 2016


def _rate(part, whole) -> float | None:
    value = rate(part, whole)
    return float(value) if value is not None else None


def reference(year: int, today: date) -> tuple[date, int]:
    """The date figures are taken on (31/12, or the end of the last closed quarter this year) and
    the quarter whose report holds them."""
    if year < today.year:
        return date(year, 12, 31), 4
    closed_year, quarter = last_closed_quarter(today)
    if closed_year < year:
        return today, 1
    return quarter_dates(year, quarter)[1], quarter


def reference_for(unit, year: int, today: date) -> tuple[date, int]:
    """`reference`, for a pre-2025 unit no later than its last day (30/06/2025)."""
    on, quarter = reference(year, today)
    last = clamped_end(unit, on)
    if last != on:
        return last, (last.month - 1) // 3 + 1
    return on, quarter


def dashboard_context(scope, unit, year: int, today: date) -> dict:
    on, quarter = reference_for(unit, year, today)
    standard = standard_for(on, unit)
    children = children_of(unit)
    rows = stock_by(scope, unit, on, [unit.child_field], stock_aggregates(standard))
    by_child = {key[0]: figures for key, figures in rows.items()}
    total = {k: sum(f.get(k, 0) for f in by_child.values()) for k in ("households", "poor", "near_poor")}

    table = []
    for child in children:
        figures = by_child.get(child.id, {})
        # The children of a unit on one's dashboard are inside one's scope: no further check.
        drill = ""
        if child.level <= Level.COMMUNE:
            drill = f"{reverse('reports:dashboard_unit', args=[child.id])}?year={year}"
        table.append(
            {
                "name": child.name,
                "households": figures.get("households", 0),
                "poor": figures.get("poor", 0),
                "near_poor": figures.get("near_poor", 0),
                "poor_rate": rate(figures.get("poor", 0), figures.get("households", 0)),
                "near_poor_rate": rate(figures.get("near_poor", 0), figures.get("households", 0)),
                "href": drill,
            }
        )
    unplaced = by_child.get(None, {})
    if unplaced.get("households"):
        table.append(
            {
                "name": no_child_label(unit),
                **{k: unplaced.get(k, 0) for k in ("households", "poor", "near_poor")},
                "poor_rate": rate(unplaced.get("poor", 0), unplaced["households"]),
                "near_poor_rate": rate(unplaced.get("near_poor", 0), unplaced["households"]),
                "href": "",
            }
        )
    for row in table:
        row["empty"] = not row["households"]
    with_data = [row for row in table if row["households"]]
    rates_chart = {
        "type": "bar",
        "data": {
            "labels": [row["name"] for row in with_data],
            "datasets": [
                {
                    "label": _("Tỷ lệ hộ nghèo (%)"),
                    "data": [_rate(r["poor"], r["households"]) for r in with_data],
                    "backgroundColor": POOR_COLOUR,
                },
                {
                    "label": _("Tỷ lệ hộ cận nghèo (%)"),
                    "data": [_rate(r["near_poor"], r["households"]) for r in with_data],
                    "backgroundColor": NEAR_COLOUR,
                },
            ],
        },
        "options": {
            "animation": False,
            "scales": {
                "x": {"type": "category"},
                "y": {"beginAtZero": True, "title": {"display": True, "text": "%"}},
            },
        },
        "links": [row["href"] for row in with_data],
    }

    years = list(range(max(FIRST_YEAR, year - 5), year + 1))
    dates = [reference_for(unit, y, today)[0] for y in years]
    series = trend(scope, unit, dates)
    quarterly_url = reverse("reports:preview", args=["quarterly", unit.pk])
    trend_rows = [
        {
            "year": y,
            "on": on_date,
            **series[on_date],
            "poor_rate": rate(series[on_date]["poor"], series[on_date]["households"]),
            "near_poor_rate": rate(series[on_date]["near_poor"], series[on_date]["households"]),
            "href": f"{quarterly_url}?year={y}&quarter={reference_for(unit, y, today)[1]}",
        }
        for y, on_date in zip(years, dates, strict=True)
    ]
    trend_chart = {
        "type": "line",
        "data": {
            "labels": [str(y) for y in years],
            "datasets": [
                {
                    "label": _("Tỷ lệ hộ nghèo (%)"),
                    "data": [_rate(r["poor"], r["households"]) for r in trend_rows],
                    "borderColor": POOR_COLOUR,
                    "backgroundColor": POOR_COLOUR,
                },
                {
                    "label": _("Tỷ lệ hộ cận nghèo (%)"),
                    "data": [_rate(r["near_poor"], r["households"]) for r in trend_rows],
                    "borderColor": NEAR_COLOUR,
                    "backgroundColor": NEAR_COLOUR,
                },
            ],
        },
        "options": {
            "animation": False,
            "spanGaps": True,
            "scales": {"x": {"type": "category"}, "y": {"beginAtZero": True}},
        },
        "links": [row["href"] for row in trend_rows],
    }

    indicators = []
    if standard is not None:
        for order, dimension, name in standard.indicators:
            count = sum(f.get(f"ind_{order}", 0) for f in by_child.values())
            indicators.append(
                {"name": name, "dimension": dimension, "count": count, "rate": rate(count, total["poor"])}
            )
    profile_link = f"{quarterly_url}?year={year}&quarter={quarter}#bieu-indicators"
    profile_chart = {
        "type": "bar",
        "data": {
            "labels": [i["name"] for i in indicators],
            "datasets": [
                {
                    "label": _("Số hộ nghèo thiếu hụt"),
                    "data": [i["count"] for i in indicators],
                    "backgroundColor": INDICATOR_COLOUR,
                }
            ],
        },
        "options": {
            "animation": False,
            "indexAxis": "y",
            "scales": {"x": {"beginAtZero": True}, "y": {"type": "category"}},
        },
        "links": [profile_link] * len(indicators),
    }
    return {
        "on": on,
        "history_note": history_note(unit, date(max(FIRST_YEAR, year - 5), 1, 1)),
        "quarter": quarter,
        "quarter_roman": ROMAN[quarter],
        "standard": standard,
        "total": {
            **total,
            "poor_rate": rate(total["poor"], total["households"]),
            "near_poor_rate": rate(total["near_poor"], total["households"]),
        },
        "table": table,
        "empty_units": len(table) - len(with_data),
        "trend_rows": trend_rows,
        "indicators": indicators,
        "rates_chart": rates_chart,
        "trend_chart": trend_chart,
        "profile_chart": profile_chart,
        "quarterly_url": f"{quarterly_url}?year={year}&quarter={quarter}",
    }
