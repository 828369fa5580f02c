"""Writes to units: villages added by commune officers, organisations and memberships."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Area, Kind, Level, Membership, Organisation

VILLAGE_KINDS = (Kind.THON, Kind.TO_DAN_PHO)
DUPLICATE_VILLAGE = _("Xã này đã có thôn/tổ dân phố cùng tên.")


class UnitError(ValueError):
    pass


def village_create(*, commune: AdministrativeUnit, name: str, kind: str) -> AdministrativeUnit:
    """Add a village (thôn or tổ dân phố) under a commune, with a code unique in the version."""
    if commune.level != Level.COMMUNE:
        raise UnitError(_("Chỉ thêm được thôn/tổ dân phố vào một xã, phường hoặc thị trấn."))
    name = " ".join(name.split())
    if kind not in VILLAGE_KINDS:
        raise UnitError(_("Loại phải là thôn hoặc tổ dân phố."))
    with transaction.atomic():
        siblings = AdministrativeUnit.objects.select_for_update().filter(parent=commune, level=Level.VILLAGE)
        if any(v.name.casefold() == name.casefold() for v in siblings):
            raise UnitError(DUPLICATE_VILLAGE)
        sequence = siblings.count() + 1
        code = f"{commune.code}-{sequence:03d}"
        while AdministrativeUnit.objects.filter(admin_version=commune.admin_version, code=code).exists():
            sequence += 1
            code = f"{commune.code}-{sequence:03d}"
        village = AdministrativeUnit(
            admin_version=commune.admin_version,
            code=code,
            name=name,
            short_name=name,
            kind=kind,
            level=Level.VILLAGE,
            parent=commune,
            area=Area.URBAN if kind == Kind.TO_DAN_PHO else commune.area or Area.RURAL,
            valid_from=commune.valid_from,
            valid_to=commune.valid_to,
        )
        village.save()
    return village


def organisation_ensure(*, unit: AdministrativeUnit, kind: str, name: str = "", **fields) -> Organisation:
    """The organisation of this kind at this unit, created with a conventional name when missing."""
    defaults = {"name": name or default_organisation_name(unit, kind), **fields}
    organisation, _created = Organisation.objects.get_or_create(unit=unit, kind=kind, defaults=defaults)
    return organisation


def default_organisation_name(unit: AdministrativeUnit, kind: str) -> str:
    from django.conf import settings

    place = unit.name
    if kind == Organisation.Kind.POVERTY_DEPARTMENT:
        return f"{settings.POVERTY_DEPARTMENT_NAME} {unit.short_name}"
    prefix = {
        Organisation.Kind.PEOPLES_COMMITTEE: "Ủy ban nhân dân",
        Organisation.Kind.WOMENS_UNION: "Hội Liên hiệp Phụ nữ",
        Organisation.Kind.FARMERS_UNION: "Hội Nông dân",
        Organisation.Kind.YOUTH_UNION: "Đoàn Thanh niên",
        Organisation.Kind.VETERANS: "Hội Cựu chiến binh",
        Organisation.Kind.FATHERLAND_FRONT: "Ủy ban MTTQ Việt Nam",
    }[kind]
    return f"{prefix} {place[0].lower()}{place[1:]}"


def membership_grant(
    *, user, unit: AdministrativeUnit | None, role: str, organisation: Organisation | None = None
):
    """Give a user a role at a unit (idempotent); administrators get Django-admin access."""
    from .roles import STAFF_ROLES

    membership, _created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, organisation=organisation
    )
    memberships_sync_groups(user=user)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


def memberships_sync_groups(*, user) -> None:
    """Put the user in exactly the role groups of their memberships (other groups are kept), so
    that Django's own permission checks (the admin) agree with units/access.py."""
    from django.contrib.auth.models import Group

    from .access import clear_cache
    from .models import Role

    wanted = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*[g for g in role_groups if g.name not in wanted])
    user.groups.add(*[g for g in role_groups if g.name in wanted])
    clear_cache(user)
