"""What a user may see or change, in one place.

Every view, export, report, admin page and command made for users asks here; nothing else filters
user-facing data by administrative unit. A user holds memberships (unit + role [+ organisation]);
a role is a Django group with permissions. A permission counts only inside the subtree of the unit
of the membership that grants it. A province officer of the 2025 tree also sees the pre-2025
provinces that became part of their province.

Out of scope → 404 (the object's existence is not revealed). In scope but read-only → 403."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AdministrativeUnit, AdminVersion, Level, Membership, Organisation, Role, UnitLineage

_LEVEL_FIELD = {
    Level.PROVINCE: "province",
    Level.DISTRICT: "district",
    Level.COMMUNE: "commune",
    Level.VILLAGE: "village",
}


@dataclass(frozen=True)
class Grant:
    """Permissions a user holds over a subtree. `roots` empty and `everywhere` set: the whole country."""

    role: str
    perms: frozenset[str]
    roots: tuple[AdministrativeUnit, ...] = ()
    organisation: Organisation | None = None
    everywhere: bool = False
    membership_id: int | None = None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass
class _Cache:
    grants: list[Grant] = field(default_factory=list)


def grants(user) -> list[Grant]:
    """The user's grants, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_access_cache", None)
    if cache is None:
        cache = _Cache(_load_grants(user))
        user._access_cache = cache
    return cache.grants


def clear_cache(user) -> None:
    if hasattr(user, "_access_cache"):
        del user._access_cache


def _load_grants(user) -> list[Grant]:
    if user.is_superuser:
        return [Grant(role=Role.ADMINISTRATOR, perms=frozenset({"*"}), everywhere=True)]
    memberships = list(Membership.objects.filter(user=user).select_related("unit", "organisation"))
    if not memberships:
        return []
    perms_by_role: dict[str, set[str]] = {}
    rows = Permission.objects.filter(group__name__in={m.role for m in memberships}).values_list(
        "group__name", "content_type__app_label", "codename"
    )
    for role, app_label, codename in rows:
        perms_by_role.setdefault(role, set()).add(f"{app_label}.{codename}")

    extra_roots = _pre2025_provinces_of(
        [
            m.unit
            for m in memberships
            if m.role == Role.PROVINCE_OFFICER and m.unit and _is_2025_province(m.unit)
        ]
    )
    result = []
    for membership in memberships:
        unit = membership.unit
        roots: tuple[AdministrativeUnit, ...] = (unit,) if unit else ()
        if unit is not None and unit.pk in extra_roots:
            roots += tuple(extra_roots[unit.pk])
        result.append(
            Grant(
                role=membership.role,
                perms=frozenset(perms_by_role.get(membership.role, ())),
                roots=roots,
                organisation=membership.organisation,
                everywhere=unit is None and membership.role == Role.ADMINISTRATOR,
                membership_id=membership.pk,
            )
        )
    return result


def _is_2025_province(unit: AdministrativeUnit) -> bool:
    return unit.admin_version == AdminVersion.V2025 and unit.level == Level.PROVINCE


def _pre2025_provinces_of(provinces: list[AdministrativeUnit]) -> dict[int, list[AdministrativeUnit]]:
    if not provinces:
        return {}
    links = UnitLineage.objects.filter(new__in=provinces, old__level=Level.PROVINCE).select_related("old")
    result: dict[int, list[AdministrativeUnit]] = {}
    for link in links:
        result.setdefault(link.new_id, []).append(link.old)
    return result


def _grants_with(user, perm: str) -> list[Grant]:
    return [g for g in grants(user) if perm in g.perms or "*" in g.perms]


# --- Questions about permissions ----------------------------------------------------------------


def has_perm_somewhere(user, perm: str) -> bool:
    """Whether the user holds `perm` at any unit (to show a menu entry, say)."""
    return bool(_grants_with(user, perm))


def sees_everything(user, perm: str) -> bool:
    """Whether `perm` is held for the whole country (national administrator, superuser)."""
    return any(g.everywhere for g in _grants_with(user, perm))


def has_role(user, *roles: str) -> bool:
    return any(g.role in roles for g in grants(user))


def roles_of(user) -> set[str]:
    return {g.role for g in grants(user)}


def _covers(root: AdministrativeUnit, *ids: int | None) -> bool:
    return root.pk in ids


def can(user, perm: str, unit: AdministrativeUnit | None) -> bool:
    """Whether the user holds `perm` at `unit` (inside the subtree of a membership granting it)."""
    if unit is None:
        return any(g.everywhere for g in _grants_with(user, perm))
    ids = (unit.pk, unit.province_id, unit.district_id, unit.commune_id)
    for grant in _grants_with(user, perm):
        if grant.everywhere or any(_covers(root, *ids) for root in grant.roots):
            return True
    return False


def can_at_located(user, perm: str, obj) -> bool:
    """`can` for an object that carries province/district/commune(/village) ids, e.g. a Household."""
    ids = (
        getattr(obj, "province_id", None),
        getattr(obj, "district_id", None),
        getattr(obj, "commune_id", None),
        getattr(obj, "village_id", None),
    )
    for grant in _grants_with(user, perm):
        if grant.everywhere or any(_covers(root, *ids) for root in grant.roots):
            return True
    return False


def require(user, perm: str, unit: AdministrativeUnit | None) -> None:
    if not can(user, perm, unit):
        raise PermissionDenied


# --- Filters ------------------------------------------------------------------------------------


def located_q(user, perm: str, prefix: str = "") -> Q | None:
    """Q over denormalised province/district/commune/village fields for objects in scope of `perm`.

    None means "nothing"; Q() means "everything". `prefix` reaches through a relation
    (e.g. "household__")."""
    grants_ = _grants_with(user, perm)
    if not grants_:
        return None
    if any(g.everywhere for g in grants_):
        return Q()
    by_field: dict[str, set[int]] = {}
    for grant in grants_:
        for root in grant.roots:
            by_field.setdefault(_LEVEL_FIELD[root.level], set()).add(root.pk)
    q = Q()
    for name, ids in sorted(by_field.items()):
        q |= Q(**{f"{prefix}{name}_id__in": sorted(ids)})
    return q


def units_q(user, perm: str = "units.view_administrativeunit", prefix: str = "") -> Q | None:
    """Q over AdministrativeUnit (or a relation to it through `prefix`) for units in scope."""
    grants_ = _grants_with(user, perm)
    if not grants_:
        return None
    if any(g.everywhere for g in grants_):
        return Q()
    roots = {root.pk: root for grant in grants_ for root in grant.roots}
    q = Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": sorted(roots)})
    for level, name in (
        (Level.PROVINCE, "province"),
        (Level.DISTRICT, "district"),
        (Level.COMMUNE, "commune"),
    ):
        ids = sorted(pk for pk, root in roots.items() if root.level == level)
        if ids:
            q |= Q(**{f"{prefix}{name}_id__in": ids})
    return q


def _filter(queryset: QuerySet, q: Q | None) -> QuerySet:
    return queryset.none() if q is None else queryset.filter(q)


def units_visible_to(user, perm: str = "units.view_administrativeunit") -> QuerySet[AdministrativeUnit]:
    return _filter(AdministrativeUnit.objects.all(), units_q(user, perm))


def get_unit_for_user(user, pk, perm: str = "units.view_administrativeunit") -> AdministrativeUnit:
    unit = (
        AdministrativeUnit.objects.filter(pk=pk)
        .select_related("parent", "province", "district", "commune")
        .first()
    )
    if unit is None or not can(user, perm, unit):
        raise Http404
    return unit


def scope_roots(user, perm: str) -> list[AdministrativeUnit]:
    """The top units of the user's scope for `perm` (for pickers and home pages)."""
    seen: dict[int, AdministrativeUnit] = {}
    for grant in _grants_with(user, perm):
        for root in grant.roots:
            seen.setdefault(root.pk, root)
    return sorted(seen.values(), key=lambda u: (u.admin_version != AdminVersion.V2025, u.level, u.code))


def organisations_for_user(user, perm: str) -> list[Organisation]:
    """Organisations the user acts for with `perm` (an organisation officer's own body)."""
    return [g.organisation for g in _grants_with(user, perm) if g.organisation is not None]


# --- Households and the records below them --------------------------------------------------------


def households_visible_to(user, perm: str = "households.view_household") -> QuerySet:
    from households.models import Household

    return _filter(Household.objects.all(), located_q(user, perm))


def get_household_for_user(user, pk, *, write: bool = False):
    """The household, or 404 when outside the user's scope, or 403 when in scope but read-only."""
    from households.models import Household

    household = Household.objects.filter(pk=pk).first()
    if household is None or not can_at_located(user, "households.view_household", household):
        raise Http404
    if write and not can_at_located(user, "households.change_household", household):
        raise PermissionDenied
    return household


def assessments_visible_to(user, perm: str = "households.view_assessment") -> QuerySet:
    from households.models import Assessment

    return _filter(Assessment.objects.all(), located_q(user, perm))


def get_assessment_for_user(user, pk, *, perm: str | None = None):
    """The assessment, or 404 outside scope; 403 when `perm` (e.g. approve) is not held there."""
    from households.models import Assessment

    assessment = Assessment.objects.filter(pk=pk).select_related("household", "standard").first()
    if assessment is None or not can_at_located(user, "households.view_assessment", assessment):
        raise Http404
    if perm and not can_at_located(user, perm, assessment):
        raise PermissionDenied
    return assessment


def may_see_ethnicity(user, household) -> bool:
    """Ethnicity is sensitive personal data (NĐ 356/2025): only roles that need it see it."""
    return can_at_located(user, "households.view_ethnicity", household)


def registrations_visible_to(user, perm: str = "targets.view_registration") -> QuerySet:
    from targets.models import Registration

    return _filter(Registration.objects.all(), located_q(user, perm, prefix="household__"))


def get_registration_for_user(user, pk, *, perm: str | None = None):
    """The registration, or 404 outside scope; 403 when `perm` is not held for it (see
    `can_for_registration`: an organisation officer acts only on their own kind of organisation's)."""
    from targets.models import Registration

    registration = Registration.objects.filter(pk=pk).select_related("household", "organisation").first()
    if registration is None or not can_at_located(user, "targets.view_registration", registration.household):
        raise Http404
    if perm and not can_for_registration(user, perm, registration):
        raise PermissionDenied
    return registration


def _grant_covers(grant: Grant, obj) -> bool:
    ids = (
        getattr(obj, "province_id", None),
        getattr(obj, "district_id", None),
        getattr(obj, "commune_id", None),
        getattr(obj, "village_id", None),
    )
    return grant.everywhere or any(_covers(root, *ids) for root in grant.roots)


def can_for_registration(user, perm: str, registration) -> bool:
    """`perm` over the registration's household, where a grant bound to an organisation counts only
    for registrations of the same kind of organisation (a Women's Union officer of a district
    updates the Union's registrations at any level below, never the Farmers' Union's)."""
    kind = registration.organisation.kind
    return any(
        _grant_covers(grant, registration.household)
        and (grant.organisation is None or grant.organisation.kind == kind)
        for grant in _grants_with(user, perm)
    )


def organisations_for_household(user, perm: str, household) -> list[Organisation]:
    """The organisations the user may act for with `perm` on this household (registering it)."""
    seen: dict[int, Organisation] = {}
    for grant in _grants_with(user, perm):
        if grant.organisation is not None and _grant_covers(grant, household):
            seen.setdefault(grant.organisation.pk, grant.organisation)
    return list(seen.values())


def targets_visible_to(user, perm: str = "targets.view_annualtarget") -> QuerySet:
    from targets.models import AnnualTarget

    return _filter(AnnualTarget.objects.all(), units_q(user, perm, prefix="unit__"))


def get_target_for_user(user, pk, *, perm: str | None = None):
    from targets.models import AnnualTarget

    target = AnnualTarget.objects.filter(pk=pk).select_related("unit", "organisation").first()
    if target is None or not can(user, "targets.view_annualtarget", target.unit):
        raise Http404
    if perm and not can(user, perm, target.unit):
        raise PermissionDenied
    return target


def jobs_visible_to(user) -> QuerySet:
    """Background jobs: each user sees their own."""
    from core.models import Job

    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def audit_entries_visible_to(user) -> QuerySet:
    """Audit entries of records in the user's scope (by the unit ids recorded with each entry)."""
    from auditlog.models import LogEntry

    grants_ = _grants_with(user, "auditlog.view_logentry")
    if not grants_:
        return LogEntry.objects.none()
    if any(g.everywhere for g in grants_):
        return LogEntry.objects.all()
    q = Q()
    for grant in grants_:
        for root in grant.roots:
            key = _LEVEL_FIELD[root.level] if root.level != Level.VILLAGE else "commune"
            q |= Q(**{f"additional_data__{key}": root.pk if root.level != Level.VILLAGE else root.commune_id})
    return LogEntry.objects.filter(q)


def in_scope_ids(objects: Iterable, user, perm: str) -> set[int]:
    """Ids of located objects the user may act on with `perm` (for bulk actions)."""
    return {obj.pk for obj in objects if can_at_located(user, perm, obj)}
