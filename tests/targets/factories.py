"""Households with approved statuses, targets and registrations for the targets tests."""

from datetime import date

from households.models import Assessment, PolicyGroup, PovertyClass
from targets.selectors import SOCIAL_PROTECTION
from tests import factories as f

REVIEW = date(2025, 12, 15)  # the end-2025 review: the baseline of 2026


def household(
    commune,
    klass=PovertyClass.POOR,
    *,
    on=REVIEW,
    female_head=False,
    social_protection=False,
    village=None,
    **kwargs,
):
    """A household of `commune` whose approved status from `on` is `klass`."""
    item = f.HouseholdFactory(
        commune=commune, village=village, female_head=female_head, status_class=klass, **kwargs
    )
    f.AssessmentFactory(household=item, review_year=on.year, effective_date=on, result_class=klass)
    if social_protection:
        item.policy_groups.add(PolicyGroup.objects.get(code=SOCIAL_PROTECTION))
    return item


def reassess(item, klass, on, *, state=Assessment.State.APPROVED):
    """A later assessment; an approved one closes the previous status (valid_until), as the
    households services do."""
    if state == Assessment.State.APPROVED:
        Assessment.objects.filter(
            household=item, state=Assessment.State.APPROVED, valid_until__isnull=True
        ).update(valid_until=on)
        item.status_class = klass
        item.save()
    return f.AssessmentFactory(
        household=item, review_year=on.year, effective_date=on, result_class=klass, state=state
    )


def households(commune, counts: dict, **kwargs) -> list:
    """{class: how many} households of `commune`."""
    made = []
    for klass, count in counts.items():
        made += [household(commune, klass, **kwargs) for _ in range(count)]
    return made
