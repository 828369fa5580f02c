"""Writes to units: villages added by commune officers, the conversion of the 2025 reform and the
villages of split communes assigned to their new commune, organisations and memberships."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, AdminVersion, Area, Kind, Level, Membership, Organisation, UnitLineage
from .placement import located_records, place_everything, place_records

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


def lineage_link(*, old: AdministrativeUnit, new: AdministrativeUnit, partial: bool = False) -> UnitLineage:
    """Record that `old` (pre-2025) became all or part of `new` (2025), and re-place every unit and
    record accordingly (load_units does the same for the whole official table at once)."""
    with transaction.atomic():
        link, _created = UnitLineage.objects.update_or_create(old=old, new=new, defaults={"partial": partial})
        place_everything(AdministrativeUnit, UnitLineage, located_records())
    return link


NOT_A_SPLIT_VILLAGE = _("Chỉ gán đơn vị mới cho thôn của xã cũ được chia cho nhiều xã mới.")
NOT_A_SUCCESSOR = _("“%(new)s” không nằm trong các xã mới mà “%(old)s” được chia cho: %(names)s.")


def split_successors(commune: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The 2025 communes a split pre-2025 commune was divided among (empty if not split)."""
    if commune.admin_version != AdminVersion.PRE2025 or commune.level != Level.COMMUNE:
        return []
    links = list(UnitLineage.objects.filter(old=commune).select_related("new").order_by("new__code"))
    return [link.new for link in links] if len(links) > 1 else []


def village_assign(*, village: AdministrativeUnit, new_commune: AdministrativeUnit | None) -> int:
    """Assign a village of a split pre-2025 commune to one of the 2025 communes it was divided
    among (None: not yet known); its households and their assessments follow. Returns how many
    households moved in the 2025 tree."""
    commune = village.parent
    successors = split_successors(commune) if commune is not None else []
    if village.level != Level.VILLAGE or not successors:
        raise UnitError(NOT_A_SPLIT_VILLAGE)
    if new_commune is not None and new_commune not in successors:
        raise UnitError(
            NOT_A_SUCCESSOR
            % {"new": new_commune.name, "old": commune.name, "names": ", ".join(u.name for u in successors)}
        )
    from django.apps import apps

    with transaction.atomic():
        village.new_commune = new_commune
        village.new_province_id = new_commune.province_id if new_commune else commune.new_province_id
        village.save(update_fields=["new_commune", "new_province"])
        moved = 0
        for name in ("Household", "Assessment"):
            changed = place_records(
                AdministrativeUnit, apps.get_model("households", name).objects.filter(village=village)
            )
            moved = moved or changed
    return moved


UNKNOWN_VILLAGE = _("Dòng %(row)s: không có thôn “%(value)s” trong %(commune)s.")
UNKNOWN_SUCCESSOR = _("Dòng %(row)s: “%(value)s” không phải một trong các xã mới: %(names)s.")


def villages_assign_rows(*, commune: AdministrativeUnit, rows: list[tuple[int, str, str]]) -> int:
    """Assign villages of a split commune from rows (row number, village code or name, new commune
    code or name; empty: not yet known), all or nothing: any row that names an unknown village or
    a commune outside the successors refuses the whole file with every such row listed."""
    from core.text import search_key

    successors = split_successors(commune)
    if not successors:
        raise UnitError(NOT_A_SPLIT_VILLAGE)
    villages = list(AdministrativeUnit.objects.filter(parent=commune, level=Level.VILLAGE))
    by_village = {v.code: v for v in villages} | {search_key(v.name): v for v in villages}
    by_successor = {u.code: u for u in successors} | {search_key(u.name): u for u in successors}
    by_successor |= {search_key(u.short_name): u for u in successors}
    errors, plan = [], []
    for number, village_text, commune_text in rows:
        village = by_village.get(village_text.strip()) or by_village.get(search_key(village_text))
        if village is None:
            errors.append(UNKNOWN_VILLAGE % {"row": number, "value": village_text, "commune": commune.name})
            continue
        target = None
        if commune_text.strip():
            target = by_successor.get(commune_text.strip()) or by_successor.get(search_key(commune_text))
            if target is None:
                errors.append(
                    UNKNOWN_SUCCESSOR
                    % {"row": number, "value": commune_text, "names": ", ".join(u.name for u in successors)}
                )
                continue
        plan.append((village, target))
    if errors:
        raise UnitError("\n".join(errors))
    with transaction.atomic():
        for village, target in plan:
            if village.new_commune_id != (target.pk if target else None):
                village_assign(village=village, new_commune=target)
    return len(plan)


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
