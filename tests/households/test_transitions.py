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
