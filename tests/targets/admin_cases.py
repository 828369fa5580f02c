"""Makers for tests/test_admin_scope.py: one row of each scoped targets admin, located in a commune."""

from tests import factories as f

MAKERS = {
    "targets.AnnualTarget": lambda world, commune: f.AnnualTargetFactory(unit=commune),
    "targets.Registration": lambda world, commune: f.RegistrationFactory(
        organisation=world.union_p
        if commune.province_id == world.P.pk
        else f.OrganisationFactory(unit=world.Q),
        household=f.HouseholdFactory(commune=commune),
    ),
}
