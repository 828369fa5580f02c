"""Rules that live on the targets models."""

import pytest

from households.models import Household, PovertyClass
from targets.models import Outcome, Registration

POOR, NEAR_POOR, MEDIUM = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.MEDIUM


@pytest.mark.parametrize(
    ("confirmed", "status", "awaiting"),
    [
        (Outcome.ESCAPED_POVERTY, POOR, True),  # confirmed, the review not approved yet
        (Outcome.ESCAPED_POVERTY, NEAR_POOR, False),  # the review moved it to near-poor
        (Outcome.ESCAPED_POVERTY, MEDIUM, False),
        (Outcome.ESCAPED_NEAR_POVERTY, NEAR_POOR, True),
        (Outcome.ESCAPED_NEAR_POVERTY, MEDIUM, False),
        (Outcome.NOT_YET, POOR, False),  # nothing to review
        ("", POOR, False),  # not confirmed
    ],
)
def test_a_confirmed_escape_awaits_its_review_while_the_household_keeps_the_class_it_leaves(
    confirmed, status, awaiting
):
    registration = Registration(confirmed_outcome=confirmed, household=Household(status_class=status))
    assert registration.awaiting_review is awaiting
