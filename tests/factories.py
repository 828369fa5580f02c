"""factory_boy factories for the whole project. Units are small synthetic trees (tests that need
the real map call load_units themselves)."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model

from households.models import Assessment, Household, Member, PovertyClass, PovertyStandard
from targets.models import AnnualTarget, HelpEntry, Registration
from units.models import AdministrativeUnit, AdminVersion, Area, Kind, Level, Membership, Organisation

_codes = itertools.count(10)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("Mat-khau-2026")


class UnitFactory(factory.django.DjangoModelFactory):
    """A 2025-tree province by default; pass parent= and level= for lower units."""

    class Meta:
        model = AdministrativeUnit

    admin_version = AdminVersion.V2025
    level = Level.PROVINCE
    code = factory.LazyAttribute(lambda u: str(next(_codes)).zfill({1: 2, 2: 3, 3: 5}.get(u.level, 8)))
    name = factory.LazyAttribute(lambda u: f"{dict(Level.choices)[u.level]} Thử {u.code}")
    short_name = factory.LazyAttribute(lambda u: u.name.split(" ", 1)[-1])
    kind = factory.LazyAttribute(lambda u: {1: Kind.TINH, 2: Kind.HUYEN, 3: Kind.XA, 4: Kind.THON}[u.level])
    area = factory.LazyAttribute(lambda u: Area.RURAL if u.level >= Level.COMMUNE else "")
    parent = None


def province(**kwargs) -> AdministrativeUnit:
    return UnitFactory(level=Level.PROVINCE, **kwargs)


def district(parent, **kwargs) -> AdministrativeUnit:
    return UnitFactory(level=Level.DISTRICT, parent=parent, admin_version=parent.admin_version, **kwargs)


def commune(parent, **kwargs) -> AdministrativeUnit:
    return UnitFactory(level=Level.COMMUNE, parent=parent, admin_version=parent.admin_version, **kwargs)


def village(parent, **kwargs) -> AdministrativeUnit:
    return UnitFactory(level=Level.VILLAGE, parent=parent, admin_version=parent.admin_version, **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["unit", "kind"]

    unit = factory.SubFactory(UnitFactory)
    kind = Organisation.Kind.WOMENS_UNION
    name = factory.LazyAttribute(lambda o: f"{o.kind} {o.unit.name}")


def member_of(user, unit, role, organisation=None) -> Membership:
    from units.services import membership_grant

    return membership_grant(user=user, unit=unit, role=role, organisation=organisation)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"H{n:05d}")
    commune = factory.SubFactory(UnitFactory, level=Level.COMMUNE)
    province_id = factory.LazyAttribute(lambda h: h.commune.province_id)
    district_id = factory.LazyAttribute(lambda h: h.commune.district_id)
    village = None
    area = factory.LazyAttribute(lambda h: h.commune.area or Area.RURAL)
    head_name = factory.Faker("name", locale="vi_VN")
    member_count = 4


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Faker("name", locale="vi_VN")
    sex = Member.Sex.MALE
    birth_year = 1980
    relation = Member.Relation.HEAD


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An approved periodic assessment; set state= for others. Classification fields are given,
    not computed: tests of the rule use households/classification.py directly."""

    class Meta:
        model = Assessment

    household = factory.SubFactory(HouseholdFactory)
    province_id = factory.LazyAttribute(lambda a: a.household.province_id)
    district_id = factory.LazyAttribute(lambda a: a.household.district_id)
    commune_id = factory.LazyAttribute(lambda a: a.household.commune_id)
    village_id = factory.LazyAttribute(lambda a: a.household.village_id)
    kind = Assessment.Kind.PERIODIC
    review_year = 2024
    effective_date = factory.LazyAttribute(lambda a: date(a.review_year, 12, 15))
    standard = factory.LazyAttribute(
        lambda a: PovertyStandard.objects.for_review(a.kind, a.review_year, a.effective_date)
    )
    area = factory.LazyAttribute(lambda a: a.household.area)
    member_count = 4
    income_per_capita = 1_200_000
    result_class = PovertyClass.POOR
    state = Assessment.State.APPROVED


class AnnualTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualTarget

    unit = factory.SubFactory(UnitFactory)
    year = 2026
    reduce_poor = 10
    reduce_near_poor = 5


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    organisation = factory.SubFactory(OrganisationFactory)
    household = factory.SubFactory(HouseholdFactory)
    year = 2026
    class_at_registration = PovertyClass.POOR


class HelpEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpEntry

    registration = factory.SubFactory(RegistrationFactory)
    kind = HelpEntry.Kind.LOAN
    value = 20_000_000
    date = date(2026, 3, 1)
