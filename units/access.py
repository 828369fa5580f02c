"""What a user may see or change, in one place.

Every view, export, report, admin page and command made for users asks here; nothing else filters
user-facing data by administrative unit. A user holds memberships (unit + role [+ organisation]);
a role is a Django group with permissions. A permission counts only inside the subtree of the unit
of the membership that grants it. The subtree of a 2025 unit holds the pre-2025 units, households
and assessments of the territory that became it (their 2025 placement, units/placement.py): a
2025 commune's officer sees the history of its predecessor communes, a 2025 province officer the
pre-2025 provinces merged into theirs. Whether a record lies inside a unit is asked of the unit
(`AdministrativeUnit.covers`, `.within`); nothing here spells out level fields.

Out of scope → 404 (the object's existence is not revealed). In scope but read-only → 403."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AdministrativeUnit, AdminVersion, Level, Membership, Organisation, Role


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

    result = []
    for membership in memberships:
        unit = membership.unit
        roots: tuple[AdministrativeUnit, ...] = (unit,) if unit else ()
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


def can(user, perm: str, unit: AdministrativeUnit | None) -> bool:
    """Whether the user holds `perm` at `unit` (inside the subtree of a membership granting it)."""
    if unit is None:
        return any(g.everywhere for g in _grants_with(user, perm))
    return any(_grant_covers(grant, unit) for grant in _grants_with(user, perm))


def can_at_located(user, perm: str, obj) -> bool:
    """`can` for a located object (one that carries its unit ids in both trees), e.g. a Household."""
    return any(_grant_covers(grant, obj) for grant in _grants_with(user, perm))


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
            by_field.setdefault(root.located_field, set()).add(root.pk)
    if not by_field:
        return None  # grants without a unit (and not national): nothing, never an empty Q()
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
    if not roots:
        return None
    q = Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": sorted(roots)})
    by_field: dict[str, list[int]] = {}
    for pk, root in sorted(roots.items()):
        if root.level != Level.VILLAGE:  # a village has no units below it
            by_field.setdefault(root.located_field, []).append(pk)
    for name, ids in sorted(by_field.items()):
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
    """The top units of the user's scope for `perm` (for pickers and home pages), 2025 units first:
    each root, and beside a 2025 province the pre-2025 provinces merged into it (the way to their
    pages and targets in the old tree). A 2025 commune's predecessors are reached from its page."""
    seen: dict[int, AdministrativeUnit] = {}
    for grant in _grants_with(user, perm):
        for root in grant.roots:
            seen.setdefault(root.pk, root)
    for root in [r for r in seen.values() if r.level == Level.PROVINCE]:
        for old in root.predecessors():
            seen.setdefault(old.pk, old)
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


# --- Sensitive attributes ----------------------------------------------------------------------
# Ethnic origin is sensitive personal data (NĐ 356/2025). Seeing it — a member's ethnicity, the
# ethnic-minority flag, the policy groups below — and selecting, counting, sorting or exporting
# households by it need SENSITIVE_PERM at the households' unit. Every filter form offers the
# policy groups of `selectable_policy_groups`, and every list, export and count read from a query
# string passes `refuse_sensitive_query` first, so a crafted parameter is refused, not obeyed.

SENSITIVE_PERM = "households.view_ethnicity"
# The policy groups that reveal ethnic origin (PolicyGroup codes).
SENSITIVE_POLICY_GROUPS = ("dan-toc-thieu-so",)


class SensitiveSelectionRefused(PermissionDenied):
    """A query selects households by a sensitive attribute the user may not use there (403)."""


def may_see_ethnicity(user, household) -> bool:
    """Ethnicity is sensitive personal data (NĐ 356/2025): only roles that need it see it."""
    return can_at_located(user, SENSITIVE_PERM, household)


def may_select_sensitive(user, unit: AdministrativeUnit | None = None) -> bool:
    """Whether the user may filter, count, sort or export by a sensitive attribute at `unit`; with
    no unit (a list across the user's scope), whether they may anywhere — the rows are then
    narrowed to where they may (`sensitive_scope`)."""
    if unit is None:
        return has_perm_somewhere(user, SENSITIVE_PERM)
    return can(user, SENSITIVE_PERM, unit)


def selectable_policy_groups(user, unit: AdministrativeUnit | None = None) -> QuerySet:
    """The active policy groups the user may select households by at `unit` (a filter's choices)."""
    from households.models import PolicyGroup

    groups = PolicyGroup.objects.filter(active=True)
    if not may_select_sensitive(user, unit):
        groups = groups.exclude(code__in=SENSITIVE_POLICY_GROUPS)
    return groups


def is_sensitive_value(value) -> bool:
    """Whether a query value names a sensitive policy group (by its code)."""
    return str(value) in SENSITIVE_POLICY_GROUPS


def refuse_sensitive_query(user, unit: AdministrativeUnit | None, query) -> None:
    """Raise SensitiveSelectionRefused when `query` (a QueryDict or a dict of a list, filter or
    export) selects by a sensitive group the user may not select by at `unit`. Any parameter
    counts: filters name policy groups by code, and a code appears in no other parameter."""
    if not query or may_select_sensitive(user, unit):
        return
    lists = query.lists() if hasattr(query, "lists") else ((k, [v]) for k, v in query.items())
    if any(is_sensitive_value(value) for _name, values in lists for value in values):
        raise SensitiveSelectionRefused


def sensitive_scope(queryset: QuerySet, user, prefix: str = "") -> QuerySet:
    """`queryset` (of households, or through `prefix`) narrowed to where the user holds
    SENSITIVE_PERM: what a selection by a sensitive attribute across their scope may return."""
    return _filter(queryset, located_q(user, SENSITIVE_PERM, prefix=prefix))


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
    return grant.everywhere or any(root.covers(obj) for root in grant.roots)


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


# --- Four eyes: nobody decides their own work ---------------------------------------------------


@dataclass(frozen=True)
class FourEyes:
    """Whether a person may decide (approve, return, confirm) a record; `alone`: only because their
    commune works with one officer, which the record must then say."""

    allowed: bool
    alone: bool = False


def four_eyes(
    decider_id: int | None, involved_ids: Iterable[int | None], *, one_person_commune: bool
) -> FourEyes:
    """Whether `decider_id` may decide a record that the people `involved_ids` entered, submitted
    or proposed: never their own work, whatever their roles (administrators and superusers too),
    except in a one-person commune, where it is allowed and recorded. An unknown person (None: a
    record loaded by an import, a result recorded from the commune's signed list) is nobody."""
    if decider_id is None or decider_id not in set(involved_ids):
        return FourEyes(allowed=True)
    if one_person_commune:
        return FourEyes(allowed=True, alone=True)
    return FourEyes(allowed=False)


def is_one_person_commune(*communes: AdministrativeUnit | None) -> bool:
    """Whether a record's commune (or the 2025 commune it became part of) is marked as working with
    one officer (`AdministrativeUnit.one_person_commune`, set by an administrator)."""
    return any(commune is not None and commune.one_person_commune for commune in communes)


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
    # A village root matches only entries that record their village (a commune-wide match would
    # show a village's officer the whole commune's changes).
    q = Q(pk__in=[])
    for grant in grants_:
        for root in grant.roots:
            q |= Q(**{f"additional_data__{root.located_field}": root.pk})
    return LogEntry.objects.filter(q)


def in_scope_ids(objects: Iterable, user, perm: str) -> set[int]:
    """Ids of located objects the user may act on with `perm` (for bulk actions)."""
    return {obj.pk for obj in objects if can_at_located(user, perm, obj)}
