"""Households with an approved status, for report tests (figures are given, not classified: the
classification has its own tests)."""

from datetime import date

from households.models import Assessment, PoorGroup, PovertyClass, PovertyStandard
from tests import factories as f


def household_with_status(
    commune,
    poverty_class=PovertyClass.POOR,
    *,
    effective: date = date(2020, 12, 15),
    group: str = "",
    mask: int = 0,
    village=None,
    female_head: bool = False,
    ethnic_minority: bool = False,
    no_labour: bool = False,
    policy_groups=(),
    change: str = "first",
    head_name: str | None = None,
    **household_fields,
):
    """A household of `commune` whose approved assessment, effective on `effective`, says `poverty_class`."""
    fields = dict(
        commune=commune,
        village=village,
        female_head=female_head,
        ethnic_minority=ethnic_minority,
        labour="no_labour" if no_labour else "has_labour",
        status_class=poverty_class,
        **household_fields,
    )
    if head_name:
        fields["head_name"] = head_name
    household = f.HouseholdFactory(**fields)
    if policy_groups:
        from households.models import PolicyGroup

        household.policy_groups.set(PolicyGroup.objects.filter(code__in=policy_groups))
    assessment_add(household, poverty_class, effective=effective, group=group, mask=mask, change=change)
    return household


def assessment_add(
    household,
    poverty_class,
    *,
    effective: date,
    group: str = "",
    mask: int = 0,
    change: str = "",
    decided_at=None,
):
    """Approve a further assessment for `household` (closing the previous one's validity)."""
    previous = (
        Assessment.objects.filter(
            household=household, state=Assessment.State.APPROVED, valid_until__isnull=True
        )
        .order_by("-effective_date")
        .first()
    )
    if previous is not None:
        previous.valid_until = effective
        previous.save(update_fields=["valid_until"])
    assessment = f.AssessmentFactory(
        household=household,
        review_year=effective.year,
        effective_date=effective,
        # December: the year-end review, which classifies under the next year's standard.
        standard=PovertyStandard.objects.in_force_on(
            date(effective.year + 1, 1, 1) if effective.month == 12 else effective
        ),
        result_class=poverty_class,
        result_group=group if poverty_class == PovertyClass.POOR else "",
        deprived_mask=mask,
        deprived_count=bin(mask).count("1"),
        change=change,
        previous=previous,
    )
    if decided_at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(decided_at=decided_at)
    return assessment


POOR_INCOME = PoorGroup.INCOME
POOR_DEPRIVATION = PoorGroup.DEPRIVATION
