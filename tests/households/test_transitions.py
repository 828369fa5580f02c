from datetime import date

import pytest

from households import transitions as t
from households.classification import MEDIUM, NEAR_POOR, NOT_POOR, POOR
from households.models import Change


@pytest.mark.parametrize(
    ("previous", "current", "ever_poor", "ever_near", "expected"),
    [
        (None, POOR, False, False, t.NEW_POOR),
        (None, NEAR_POOR, False, False, t.NEW_NEAR_POOR),
        (None, MEDIUM, False, False, t.FIRST),
        (None, NOT_POOR, False, False, t.FIRST),
        (POOR, POOR, True, False, t.UNCHANGED),
        (POOR, NEAR_POOR, True, False, t.ESCAPED_TO_NEAR_POOR),
        (POOR, MEDIUM, True, False, t.ESCAPED_POVERTY),
        (POOR, NOT_POOR, True, False, t.ESCAPED_POVERTY),
        (NEAR_POOR, NEAR_POOR, False, True, t.UNCHANGED),
        (NEAR_POOR, POOR, False, True, t.NEAR_POOR_TO_POOR),
        (NEAR_POOR, POOR, True, True, t.RELAPSED_POOR),
        (NEAR_POOR, NOT_POOR, False, True, t.ESCAPED_NEAR_POVERTY),
        (MEDIUM, NOT_POOR, False, False, t.UNCHANGED),
        (NOT_POOR, POOR, False, False, t.NEW_POOR),
        (NOT_POOR, POOR, True, False, t.RELAPSED_POOR),
        (MEDIUM, NEAR_POOR, False, False, t.NEW_NEAR_POOR),
        (MEDIUM, NEAR_POOR, False, True, t.RELAPSED_NEAR_POOR),
    ],
)
def test_change_between(previous, current, ever_poor, ever_near, expected):
    assert t.change_between(previous, current, ever_poor=ever_poor, ever_near_poor=ever_near) == expected


def test_a_baseline_first_status_is_not_a_change():
    assert t.change_between(None, POOR, baseline=True) == t.FIRST


def test_every_change_has_a_label():
    codes = {
        value
        for name, value in vars(t).items()
        if name.isupper() and isinstance(value, str) and name not in {"POOR"}
    }
    codes -= {POOR, NEAR_POOR, MEDIUM, NOT_POOR}
    assert codes == set(Change.values)


# --- the chain (transitions.rechain), used by the services and the census import ------------------

D1, D2, D3 = date(2021, 12, 15), date(2022, 12, 15), date(2023, 12, 15)


def _chain(*links):
    items = [
        t.Link(i, effective, cls, baseline=baseline) for i, (effective, cls, baseline) in enumerate(links, 1)
    ]
    t.rechain(items)
    return [(link.id, link.previous_id, link.change, link.valid_until) for link in items]


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        # A first status: a baseline (import) or an out class is no change; else newly poor/near-poor.
        ([(D1, POOR, True)], [(1, None, t.FIRST, None)]),
        ([(D1, POOR, False)], [(1, None, t.NEW_POOR, None)]),
        ([(D1, NEAR_POOR, False)], [(1, None, t.NEW_NEAR_POOR, None)]),
        ([(D1, MEDIUM, False)], [(1, None, t.FIRST, None)]),
        # Later statuses chain to the one before; validity ends at the next one.
        (
            [(D1, POOR, True), (D2, NEAR_POOR, False), (D3, POOR, False)],
            [(1, None, t.FIRST, D2), (2, 1, t.ESCAPED_TO_NEAR_POOR, D3), (3, 2, t.RELAPSED_POOR, None)],
        ),
        (
            [(D1, NEAR_POOR, True), (D2, POOR, False)],
            [(1, None, t.FIRST, D2), (2, 1, t.NEAR_POOR_TO_POOR, None)],
        ),
        (
            [(D1, NEAR_POOR, True), (D2, NOT_POOR, False), (D3, NEAR_POOR, False)],
            [(1, None, t.FIRST, D2), (2, 1, t.ESCAPED_NEAR_POVERTY, D3), (3, 2, t.RELAPSED_NEAR_POOR, None)],
        ),
        # Given out of order: sorted by effective date, ties by id (the later-created supersedes).
        (
            [(D2, POOR, False), (D1, NOT_POOR, True)],
            [(2, None, t.FIRST, D2), (1, 2, t.NEW_POOR, None)],
        ),
        (
            [(D1, POOR, True), (D1, NOT_POOR, False)],
            [(1, None, t.FIRST, D1), (2, 1, t.ESCAPED_POVERTY, None)],
        ),
    ],
)
def test_the_chain_rule(links, expected):
    assert _chain(*links) == expected


def test_a_first_status_already_marked_first_stays_a_baseline():
    """A status loaded as a baseline keeps its FIRST mark when the chain is recomputed later."""
    link = t.Link(1, D1, POOR, baseline=False, change=t.FIRST)
    assert t.rechain([link]) == [] and link.change == t.FIRST


def test_rechain_returns_only_the_links_that_change():
    first = t.Link(1, D1, POOR, baseline=True, change=t.FIRST, valid_until=None)
    second = t.Link(2, D2, MEDIUM)
    assert t.rechain([first, second]) == [first, second]
    assert t.rechain([first, second]) == []
