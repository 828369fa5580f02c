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
    if not name:
        raise UnitError(_("Hãy nhập tên thôn/tổ dân phố."))
    if kind not in VILLAGE_KINDS:
        raise UnitError(_("Loại phải là thôn hoặc tổ dân phố."))
    with transaction.atomic():
        # Lock the commune: two officers adding villages at once get consecutive codes.
        AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
        siblings = AdministrativeUnit.objects.filter(parent=commune, level=Level.VILLAGE)
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


NATIONAL_NEEDS_ADMIN = _(
    "Chỉ quản trị viên toàn quốc mới được phân công không gắn với đơn vị. Hãy chọn đơn vị."
)
ORGANISATION_ELSEWHERE = _(
    "Tổ chức được chọn không thuộc đơn vị của phân công. Hãy chọn tổ chức ở chính đơn vị đó."
)
ORG_OFFICER_NEEDS_ORGANISATION = _(
    "Cán bộ hội, đoàn thể phải gắn với một tổ chức (ví dụ Hội LHPN) ở đơn vị được chọn."
)


def membership_validate(
    *, unit: AdministrativeUnit | None, role: str, organisation: Organisation | None
) -> None:
    """Raise UnitError when the combination cannot be a membership (messages shown in forms)."""
    from .models import Role

    if unit is None and role != Role.ADMINISTRATOR:
        raise UnitError(NATIONAL_NEEDS_ADMIN)
    if organisation is not None and (unit is None or organisation.unit_id != unit.pk):
        raise UnitError(ORGANISATION_ELSEWHERE)
    if role == Role.ORG_OFFICER and organisation is None:
        raise UnitError(ORG_OFFICER_NEEDS_ORGANISATION)


@transaction.atomic
def membership_grant(
    *, user, unit: AdministrativeUnit | None, role: str, organisation: Organisation | None = None
) -> Membership:
    """Give a user a role at a unit (idempotent) and bring their groups and admin access in line."""
    membership_validate(unit=unit, role=role, organisation=organisation)
    membership, _created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, organisation=organisation
    )
    memberships_sync_groups(user=user)
    return membership


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    unit: AdministrativeUnit | None,
    role: str,
    organisation: Organisation | None = None,
) -> Membership:
    """Move a membership to another unit, role or organisation."""
    membership_validate(unit=unit, role=role, organisation=organisation)
    membership.unit, membership.role, membership.organisation = unit, role, organisation
    membership.save()
    memberships_sync_groups(user=membership.user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove a membership; the user loses the role's group (and admin access) unless another
    membership still gives it."""
    user = membership.user
    membership.delete()
    memberships_sync_groups(user=user)


def memberships_sync_groups(*, user) -> None:
    """Put the user in exactly the role groups of their memberships (other groups are kept), and
    give Django-admin access exactly to holders of a staff role (superusers keep theirs), so that
    Django's own permission checks (the admin) agree with units/access.py."""
    from django.contrib.auth.models import Group

    from .access import clear_cache
    from .models import Role
    from .roles import STAFF_ROLES

    wanted = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*[g for g in role_groups if g.name not in wanted])
    user.groups.add(*[g for g in role_groups if g.name in wanted])
    staff = user.is_superuser or bool(wanted & STAFF_ROLES)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    clear_cache(user)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
