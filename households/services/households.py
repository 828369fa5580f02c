"""Writes to households and their members: create, update (members included), add/change/remove a
member, and the values copied from the members onto the household (head, size, flags)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import ConcurrentEditError, FieldChange, save_versioned
from core.text import search_key
from units.models import URBAN_KINDS, AdministrativeUnit, Area, Level

from ..citizen_id import clean_number
from ..models import Household, Member, PolicyGroup, PovertyCause
from ..people import check_person

__all__ = [
    "KINH",
    "CODE_TAKEN",
    "VILLAGE_NOT_IN_COMMUNE",
    "NOT_A_COMMUNE",
    "NEEDS_ONE_HEAD",
    "NEEDS_MEMBERS",
    "DUPLICATE_ID_IN_HOUSEHOLD",
    "CANNOT_REMOVE_HEAD",
    "HouseholdError",
    "MemberInput",
    "MemberEdit",
    "default_area",
    "next_household_code",
    "household_create",
    "HOUSEHOLD_EDITABLE",
    "household_update",
    "household_snapshot",
    "MEMBER_SNAPSHOT_FIELDS",
    "member_add",
    "member_update",
    "member_remove",
    "household_refresh_summary",
]


KINH = "Kinh"

# Messages users see (tests assert them).
CODE_TAKEN = _("Mã hộ %(code)s đã có ở %(commune)s. Để trống để hệ thống tự cấp mã, hoặc nhập mã khác.")
VILLAGE_NOT_IN_COMMUNE = _("Thôn/tổ dân phố đã chọn không thuộc %(commune)s.")
NOT_A_COMMUNE = _("Hộ gia đình phải thuộc một xã, phường hoặc đặc khu.")
NEEDS_ONE_HEAD = _("Hộ phải có đúng một người là chủ hộ (quan hệ với chủ hộ: “Chủ hộ”).")
NEEDS_MEMBERS = _("Hộ phải có ít nhất một nhân khẩu (chủ hộ).")
DUPLICATE_ID_IN_HOUSEHOLD = _("Số CCCD %(number)s được nhập cho hai người trong cùng một hộ.")
CANNOT_REMOVE_HEAD = _("Không thể xóa chủ hộ. Hãy chọn chủ hộ mới trước, rồi mới xóa người này.")


class HouseholdError(ValueError):
    """A household or member write that breaks a rule; the message says how to fix it."""

    def __init__(self, *messages):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


# --- Households and members ---------------------------------------------------------------------


@dataclass
class MemberInput:
    """What a form (or an import) says about one member. `ethnicity` None: not given (the user
    may not see it), so an existing member keeps theirs and a new one is recorded as unknown."""

    full_name: str
    sex: str
    birth_year: int
    relation: str
    birth_date: date | None = None
    citizen_id: str = ""
    ethnicity: str | None = None
    disability: bool = False
    health_insurance: bool = True
    schooling: str = ""
    work: str = ""


@dataclass
class MemberEdit:
    """One line of a members form: add (member None), change, or remove (delete True)."""

    member: Member | None
    data: MemberInput | None
    delete: bool = False


def default_area(commune: AdministrativeUnit, village: AdministrativeUnit | None = None) -> str:
    """Urban or rural for a new household: the village's, else the commune's, else from its kind."""
    for unit in (village, commune):
        if unit is not None and unit.area:
            return unit.area
    return Area.URBAN if commune.kind in URBAN_KINDS else Area.RURAL


def _village_part(village: AdministrativeUnit | None) -> str:
    if village is None:
        return "00"
    digits = "".join(ch for ch in village.code.rsplit("-", 1)[-1] if ch.isdigit())
    return f"{int(digits):02d}" if digits else "00"


def next_household_code(commune: AdministrativeUnit, village: AdministrativeUnit | None) -> str:
    """ "{commune code}-{village number or 00}-{sequence}", e.g. 19597-03-0042. The sequence runs
    over every commune with this code, in both versions of the map, so a code reused by the 2025
    reform never yields the same household code twice."""
    prefix = f"{commune.code}-{_village_part(village)}-"
    last = (
        Household.objects.filter(commune__code=commune.code, code__startswith=prefix)
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    sequence = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{sequence:04d}"


def _check_place(commune: AdministrativeUnit, village: AdministrativeUnit | None) -> None:
    if commune.level != Level.COMMUNE:
        raise HouseholdError(NOT_A_COMMUNE)
    if village is not None and village.parent_id != commune.pk:
        raise HouseholdError(VILLAGE_NOT_IN_COMMUNE % {"commune": commune.name})


def _member_fields(data: MemberInput, *, new: bool) -> dict:
    fields = {
        "full_name": " ".join(data.full_name.split()),
        "sex": data.sex,
        "birth_date": data.birth_date,
        "birth_year": data.birth_date.year if data.birth_date else data.birth_year,
        "relation": data.relation,
        "citizen_id": clean_number(data.citizen_id),
        "disability": data.disability,
        "health_insurance": data.health_insurance,
        "schooling": data.schooling or "",
        "work": data.work or "",
    }
    if data.ethnicity is not None:
        fields["ethnicity"] = data.ethnicity.strip()
    elif new:
        fields["ethnicity"] = ""
    return fields


def _validate_members(members: Sequence[MemberInput]) -> None:
    problems: list[str] = []
    if not members:
        raise HouseholdError(NEEDS_MEMBERS)
    if sum(1 for m in members if m.relation == Member.Relation.HEAD) != 1:
        problems.append(str(NEEDS_ONE_HEAD))
    seen: set[str] = set()
    today = timezone.localdate()
    for data in members:
        check = check_person(
            sex=data.sex,
            birth_year=data.birth_year,
            birth_date=data.birth_date,
            citizen_id=data.citizen_id,
            latest=today,
        )
        problems += [f"{data.full_name}: {error}" for errors in check.errors.values() for error in errors]
        if check.citizen_id:
            if check.citizen_id in seen:
                problems.append(str(DUPLICATE_ID_IN_HOUSEHOLD % {"number": check.citizen_id}))
            seen.add(check.citizen_id)
    if problems:
        raise HouseholdError(*problems)


@dataclass
class _Summary:
    head_name: str
    female_head: bool
    ethnic_minority: bool
    member_count: int


def _summary(members: Sequence[dict]) -> _Summary:
    head = next((m for m in members if m["relation"] == Member.Relation.HEAD), None)
    ethnicity = (head or {}).get("ethnicity") or ""
    return _Summary(
        head_name=head["full_name"] if head else "",
        female_head=bool(head and head["sex"] == Member.Sex.FEMALE),
        # A household is counted as an ethnic-minority household when its head is (GSO usage).
        ethnic_minority=bool(ethnicity) and ethnicity != KINH,
        member_count=len(members),
    )


def _apply_summary(household: Household, summary: _Summary) -> None:
    household.head_name = summary.head_name
    household.female_head = summary.female_head
    household.ethnic_minority = summary.ethnic_minority
    household.member_count = summary.member_count


_MEMBER_SUMMARY_FIELDS = ["full_name", "sex", "relation", "ethnicity"]


def _resulting_members(
    household: Household | None, edits: Sequence[MemberEdit]
) -> tuple[list[dict], list[MemberInput]]:
    """The members the household will have after `edits`, as dicts of the summary fields, and the
    inputs of every kept member (to validate them together)."""
    current = {} if household is None else {m.pk: m for m in household.members.all()}
    touched = {edit.member.pk for edit in edits if edit.member is not None}
    result: list[dict] = []
    inputs: list[MemberInput] = []
    for pk, member in current.items():
        if pk in touched:
            continue
        result.append({name: getattr(member, name) for name in _MEMBER_SUMMARY_FIELDS})
        inputs.append(_input_of(member))
    for edit in edits:
        if edit.delete or edit.data is None:
            continue
        fields = _member_fields(edit.data, new=edit.member is None)
        if "ethnicity" not in fields:
            fields["ethnicity"] = edit.member.ethnicity if edit.member else ""
        result.append(fields)
        inputs.append(edit.data)
    return result, inputs


def _input_of(member: Member) -> MemberInput:
    return MemberInput(
        full_name=member.full_name,
        sex=member.sex,
        birth_year=member.birth_year,
        relation=member.relation,
        birth_date=member.birth_date,
        citizen_id=member.citizen_id,
        ethnicity=member.ethnicity,
    )


def _write_members(household: Household, edits: Sequence[MemberEdit]) -> None:
    # The stored rows, not the edits' instances: a model form may already have changed those in
    # memory, and the audit log must compare with what is stored.
    stored = {m.pk: m for m in Member.objects.filter(household=household)}
    next_order = max((m.order for m in stored.values()), default=0) + 1
    for edit in edits:
        if edit.member is not None and edit.member.pk not in stored:
            raise HouseholdError(_("Nhân khẩu không thuộc hộ này, hoặc vừa bị xóa."))
        if edit.delete:
            if edit.member is not None:
                stored[edit.member.pk].delete()
            continue
        if edit.data is None:
            continue
        if edit.member is None:
            fields = _member_fields(edit.data, new=True)
            Member.objects.create(household=household, order=next_order, **fields)
            next_order += 1
        else:
            member = stored[edit.member.pk]
            changed = False
            for name, value in _member_fields(edit.data, new=False).items():
                if getattr(member, name) != value:
                    setattr(member, name, value)
                    changed = True
            if changed:
                member.save()


@transaction.atomic
def household_create(
    *,
    user,
    commune: AdministrativeUnit,
    members: Sequence[MemberInput],
    village: AdministrativeUnit | None = None,
    code: str = "",
    area: str = "",
    address: str = "",
    labour: str = Household.Labour.HAS_LABOUR,
    agri_forestry_fishery_salt: bool = False,
    policy_groups: Iterable[PolicyGroup] = (),
    causes: Iterable[PovertyCause] = (),
    note: str = "",
) -> Household:
    """A new household with its members; the code is generated when not given."""
    _check_place(commune, village)
    _validate_members(members)
    # One code generator at a time per commune (the row lock serialises concurrent creations).
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
    code = code.strip()
    if code:
        if Household.objects.filter(commune=commune, code=code).exists():
            raise HouseholdError(CODE_TAKEN % {"code": code, "commune": commune.name})
    else:
        code = next_household_code(commune, village)
    household = Household(
        code=code,
        province_id=commune.province_id,
        district_id=commune.district_id,
        commune=commune,
        village=village,
        address=address.strip(),
        area=area or default_area(commune, village),
        labour=labour,
        agri_forestry_fishery_salt=agri_forestry_fishery_salt,
        note=note,
        created_by=user,
        updated_by=user,
    )
    edits = [MemberEdit(None, data) for data in members]
    summary_rows, _inputs = _resulting_members(None, edits)
    _apply_summary(household, _summary(summary_rows))
    household.save()
    household.policy_groups.set(policy_groups)
    household.causes.set(causes)
    _write_members(household, edits)
    return household


HOUSEHOLD_EDITABLE = ("village", "code", "area", "address", "labour", "agri_forestry_fishery_salt", "note")


@transaction.atomic
def household_update(
    *,
    household: Household,
    user,
    expected_version: int,
    original: dict | None = None,
    members: Sequence[MemberEdit] = (),
    policy_groups: Iterable[PolicyGroup] | None = None,
    causes: Iterable[PovertyCause] | None = None,
    **fields,
) -> Household:
    """Change a household and its members in one step. Raises ConcurrentEditError (listing the
    other person's changes, members included) when the household changed since `expected_version`."""
    unknown = set(fields) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise TypeError(f"household_update() got unexpected fields {sorted(unknown)}")
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.version != expected_version:
        _raise_household_conflict(household, locked, expected_version, original, fields, members)
    _keep_derived(household, locked)

    village = fields.get("village", household.village)
    _check_place(household.commune, village)
    code = (fields.get("code") or "").strip() or locked.code  # left empty: the code stays
    if Household.objects.filter(commune_id=household.commune_id, code=code).exclude(pk=household.pk).exists():
        raise HouseholdError(CODE_TAKEN % {"code": code, "commune": household.commune.name})
    fields["code"] = code
    for name, value in fields.items():
        setattr(household, name, value)

    summary_rows, inputs = _resulting_members(household, members)
    _validate_members(inputs)
    _apply_summary(household, _summary(summary_rows))
    household.updated_by = user
    save_versioned(household, expected_version=expected_version, original=(original or {}).get("household"))
    if policy_groups is not None:
        household.policy_groups.set(policy_groups)
    if causes is not None:
        household.causes.set(causes)
    _write_members(household, members)
    return household


def _keep_derived(household: Household, locked: Household) -> None:
    """Values kept in step by other services (status after an approval) come from the locked row,
    so a household form opened before an approval never writes back an old status."""
    for name in ("status_class", "status_group", "status_year", "latest_state"):
        setattr(household, name, getattr(locked, name))


def _member_change(
    locked_members: dict[int, Member], original: dict | None, edits: Sequence[MemberEdit]
) -> list[FieldChange]:
    """What happened to the members since `original` (a household_snapshot) was taken: the other
    person's value, and the value in this user's form."""
    if not original or "members" not in original:
        return []
    seen = {int(pk): values for pk, values in original["members"].items()}
    typed = {e.member.pk: e for e in edits if e.member is not None}
    changes: list[FieldChange] = []
    labels = {f.name: str(f.verbose_name) for f in Member._meta.concrete_fields}
    for pk, values in seen.items():
        member = locked_members.get(pk)
        name = values.get("full_name", "")
        if member is None:
            changes.append(
                FieldChange(f"member-{pk}", str(_("Nhân khẩu %(name)s") % {"name": name}), _("đã bị xóa"), "")
            )
            continue
        edit = typed.get(pk)
        yours = _member_fields(edit.data, new=False) if edit and edit.data else {}
        for field, value in values.items():
            current = getattr(member, field)
            if str(current if current is not None else "") != str(value if value is not None else ""):
                label = f"{name} – {labels.get(field, field)}"
                changes.append(FieldChange(f"member-{pk}-{field}", label, current, yours.get(field, value)))
    for pk, member in locked_members.items():
        if pk not in seen:
            changes.append(
                FieldChange(
                    f"member-{pk}",
                    str(_("Nhân khẩu %(name)s") % {"name": member.full_name}),
                    _("đã được thêm"),
                    "",
                )
            )
    return changes


def _raise_household_conflict(household, locked, expected_version, original, fields, members) -> None:
    """Raise the ConcurrentEditError for a stale household form, listing household fields, lists
    and members the other person changed."""
    try:
        for name, value in fields.items():
            setattr(household, name, value)
        save_versioned(
            household, expected_version=expected_version, original=(original or {}).get("household")
        )
    except ConcurrentEditError as error:
        changes = list(error.changes)
        current_members = {m.pk: m for m in Member.objects.filter(household=locked)}
        changes += _member_change(current_members, original, members)
        if original:
            for name, model in (("policy_groups", PolicyGroup), ("causes", PovertyCause)):
                before = sorted(original.get(name, []))
                now = sorted(getattr(locked, name).values_list("pk", flat=True))
                if before != now:
                    label = str(Household._meta.get_field(name).verbose_name)
                    names = ", ".join(model.objects.filter(pk__in=now).values_list("name", flat=True))
                    changes.append(FieldChange(name, label, names or "—", ""))
        raise ConcurrentEditError(error.current, changes, error.changed_by) from None
    raise AssertionError("save_versioned accepted a stale version")  # pragma: no cover


def _snapshot_value(value):
    return value if value is None or isinstance(value, bool | int) else str(value)


def household_snapshot(household: Household) -> dict:
    """What a household form shows when opened (JSON-ready), to tell later what someone else changed."""
    editable = [f for f in Household._meta.concrete_fields if f.editable and f.name not in ("id", "version")]
    return {
        "household": {f.attname: _snapshot_value(getattr(household, f.attname)) for f in editable},
        "members": {
            str(m.pk): {name: _snapshot_value(getattr(m, name)) for name in MEMBER_SNAPSHOT_FIELDS}
            for m in household.members.all()
        },
        "policy_groups": sorted(household.policy_groups.values_list("pk", flat=True)),
        "causes": sorted(household.causes.values_list("pk", flat=True)),
    }


MEMBER_SNAPSHOT_FIELDS = (
    "full_name", "sex", "birth_date", "birth_year", "relation", "citizen_id", "ethnicity",
    "disability", "health_insurance", "schooling", "work",
)  # fmt: skip


def member_add(*, household: Household, user, expected_version: int, data: MemberInput) -> Member:
    """Add one member (the household's version moves on, like any edit of the household)."""
    household_update(
        household=household, user=user, expected_version=expected_version, members=[MemberEdit(None, data)]
    )
    return household.members.order_by("-pk").first()


def member_update(*, member: Member, user, expected_version: int, data: MemberInput) -> Member:
    household_update(
        household=member.household,
        user=user,
        expected_version=expected_version,
        members=[MemberEdit(member, data)],
    )
    member.refresh_from_db()
    return member


def member_remove(*, member: Member, user, expected_version: int) -> None:
    if member.relation == Member.Relation.HEAD:
        raise HouseholdError(CANNOT_REMOVE_HEAD)
    household_update(
        household=member.household,
        user=user,
        expected_version=expected_version,
        members=[MemberEdit(member, None, delete=True)],
    )


def household_refresh_summary(*, household: Household) -> None:
    """Copy head, size and flags from the stored members (after the admin or an import changed
    them directly). Derived values: written without bumping the household's version."""
    rows = list(Member.objects.filter(household=household).values(*_MEMBER_SUMMARY_FIELDS))
    summary = _summary(rows)
    _apply_summary(household, summary)
    Household.objects.filter(pk=household.pk).update(
        head_name=summary.head_name,
        head_search=search_key(summary.head_name),
        female_head=summary.female_head,
        ethnic_minority=summary.ethnic_minority,
        member_count=summary.member_count,
    )
