"""Upkeep of values derived from a household's approved assessments: each one's predecessor, the
change it made and how long it holds; the household's current status and latest state."""

from __future__ import annotations

from django.db import transaction

from .. import transitions
from ..models import Assessment, Household

__all__ = [
    "assessment_chain_rebuild",
    "household_refresh_status",
]


def _save_chain(rows: list[tuple[Assessment, list[str]]]) -> None:
    """Save recomputed chain fields (rows are locked by _chain_update); audited like any save."""
    for row, names in rows:
        row.version += 1
        row.save(update_fields=[*names, "version"])


def _chain_update(
    household_id: int, including: Assessment | None = None
) -> list[tuple[Assessment, list[str]]]:
    """Set each of the household's approved assessments' predecessor, change and end of validity
    by the one chain rule (households/transitions.rechain). `including` is an
    assessment being approved (updated in place, saved by the caller). Returns the *other*
    assessments that changed, with the fields to save."""
    rows = list(
        Assessment.objects.select_for_update()
        .filter(household_id=household_id, state=Assessment.State.APPROVED)
        .exclude(pk=including.pk if including else None)
    )
    if including is not None:
        rows.append(including)
    links = [
        transitions.Link(
            row.pk,
            row.effective_date,
            row.result_class,
            baseline=row.import_job_id is not None,
            previous_id=row.previous_id,
            change=row.change,
            valid_until=row.valid_until,
        )
        for row in rows
    ]
    by_id = {row.pk: row for row in rows}
    changed: list[tuple[Assessment, list[str]]] = []
    for link in transitions.rechain(links):
        row = by_id[link.id]
        wanted = {"previous_id": link.previous_id, "change": link.change, "valid_until": link.valid_until}
        names = [name for name, value in wanted.items() if getattr(row, name) != value]
        for name in names:
            setattr(row, name, wanted[name])
        if names and row is not including:
            changed.append((row, [n.removesuffix("_id") for n in names]))
    return changed


@transaction.atomic
def assessment_chain_rebuild(*, household: Household) -> None:
    """Recompute predecessors, changes and validity of a household's approved assessments, and its
    current status (for imports that write approved assessments in bulk)."""
    Household.objects.select_for_update().filter(pk=household.pk).first()
    _save_chain(_chain_update(household.pk))
    household_refresh_status(household_id=household.pk)


def household_refresh_status(*, household_id: int) -> None:
    """Copy the latest approved assessment's class onto the household (for lists), and the state
    of its latest assessment. Derived values: written without bumping the household's version,
    so a household form open elsewhere is not refused because a leader approved a survey."""
    latest = (
        Assessment.objects.filter(household_id=household_id, state=Assessment.State.APPROVED)
        .order_by("-effective_date", "-pk")
        .values("result_class", "result_group", "review_year")
        .first()
    )
    Household.objects.filter(pk=household_id).update(
        status_class=latest["result_class"] if latest else "",
        status_group=latest["result_group"] if latest else "",
        status_year=latest["review_year"] if latest else None,
        latest_state=_latest_state(household_id),
    )


def _latest_state(household_id: int) -> str:
    return (
        Assessment.objects.filter(household_id=household_id)
        .order_by("-pk")
        .values_list("state", flat=True)
        .first()
        or ""
    )


def _refresh_latest_state(household_id: int) -> None:
    Household.objects.filter(pk=household_id).update(latest_state=_latest_state(household_id))
