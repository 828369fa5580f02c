"""What an approved assessment changed for its household (domain.md §4): pure, from the class
before and after and whether the household was ever poor or near-poor before."""

from dataclasses import dataclass
from datetime import date

from .classification import MEDIUM, NEAR_POOR, NOT_POOR, POOR

NEW_POOR = "new_poor"
NEW_NEAR_POOR = "new_near_poor"
ESCAPED_POVERTY = "escaped_poverty"
ESCAPED_TO_NEAR_POOR = "escaped_to_near_poor"
ESCAPED_NEAR_POVERTY = "escaped_near_poverty"
RELAPSED_POOR = "relapsed_poor"
RELAPSED_NEAR_POOR = "relapsed_near_poor"
NEAR_POOR_TO_POOR = "near_to_poor"
UNCHANGED = "unchanged"
FIRST = "first"

_OUT = {MEDIUM, NOT_POOR}


def change_between(
    previous: str | None,
    current: str,
    *,
    ever_poor: bool = False,
    ever_near_poor: bool = False,
    baseline: bool = False,
) -> str:
    """The change from `previous` (None: no earlier approved status) to `current`.

    `ever_poor`/`ever_near_poor`: an approved status before `previous` (or `previous` itself) was
    poor/near-poor, which makes a return "tái nghèo"/"tái cận nghèo". `baseline`: the first status
    of a household loaded by a census import or the demo is its starting point, not a change."""
    if previous is None:
        if baseline or current in _OUT:
            return FIRST
        return NEW_POOR if current == POOR else NEW_NEAR_POOR
    if previous == current or (previous in _OUT and current in _OUT):
        return UNCHANGED
    if previous == POOR:
        return ESCAPED_TO_NEAR_POOR if current == NEAR_POOR else ESCAPED_POVERTY
    if previous == NEAR_POOR:
        if current == POOR:
            return RELAPSED_POOR if ever_poor else NEAR_POOR_TO_POOR
        return ESCAPED_NEAR_POVERTY
    # previous is medium or not poor
    if current == POOR:
        return RELAPSED_POOR if ever_poor else NEW_POOR
    return RELAPSED_NEAR_POOR if ever_near_poor else NEW_NEAR_POOR


@dataclass
class Link:
    """One approved assessment in a household's chain (plain values: the services and the census
    import both build these)."""

    id: int
    effective: date
    cls: str
    baseline: bool = False  # loaded by an import, or already marked FIRST: a first status is no change
    previous_id: int | None = None
    change: str = ""
    valid_until: date | None = None


def rechain(links: list[Link]) -> list[Link]:
    """The chain rule, in one place: in effective order (ties: the later-created, higher id,
    supersedes), each approved assessment's predecessor, its change from the predecessor's class
    (tái nghèo / tái cận nghèo when the household was ever poor / near-poor before; a first status
    is FIRST when it is a baseline or not poor, else newly poor / near-poor) and the end of its
    validity (the next one's effective date). Sorts `links` in place; returns those whose stored
    values change."""
    links.sort(key=lambda link: (link.effective, link.id))
    changed = []
    ever_poor = ever_near_poor = False
    for index, link in enumerate(links):
        previous = links[index - 1] if index else None
        following = links[index + 1] if index + 1 < len(links) else None
        wanted = (
            previous.id if previous else None,
            change_between(
                previous.cls if previous else None,
                link.cls,
                ever_poor=ever_poor,
                ever_near_poor=ever_near_poor,
                baseline=link.baseline or link.change == FIRST,
            ),
            following.effective if following else None,
        )
        if wanted != (link.previous_id, link.change, link.valid_until):
            link.previous_id, link.change, link.valid_until = wanted
            changed.append(link)
        ever_poor |= link.cls == POOR
        ever_near_poor |= link.cls == NEAR_POOR
    return changed
