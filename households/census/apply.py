"""Writing a plan: one transaction, set-based (households/census/bulk.py), never a save per row.

What each imported row becomes: the household (created or updated, with its denormalised units,
head and current status), its head member, and an approved periodic assessment of the review
year effective on 15 December (the year-end review's result), attributed to the importing
administrator (created_by, decided_by, import_job, and one audit entry per household and per
assessment). The chain of approved assessments stays consistent: the previous status's
`valid_until` closes on the new effective date; an assessment landing before a later approved one
is inserted in the chain and the later ones' `previous`, `change` and `valid_until` recomputed."""

import json
import operator
from dataclasses import dataclass, field
from functools import partial, reduce

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.text import search_key
from units.models import AdministrativeUnit, Level
from units.placement import place_records

from ..classification import CLASS_LABELS, Classification
from ..models import Assessment, Household, Member
from ..transitions import FIRST, Link, rechain
from . import bulk
from .plan import A, Existing, H, Plan, effective_date, ethnic_minority
from .validation import NewVillage, ParsedRow, StandardInfo

APPROVED = str(Assessment.State.APPROVED)
PERIODIC = str(Assessment.Kind.PERIODIC)
HAS_LABOUR = str(Household.Labour.HAS_LABOUR)
HEAD = str(Member.Relation.HEAD)

HOUSEHOLD_INSERT = (
    "id",
    "version",
    "code",
    "province_id",
    "district_id",
    "commune_id",
    "village_id",
    "address",
    "area",
    "labour",
    "agri_forestry_fishery_salt",
    "note",
    "head_name",
    "head_search",
    "female_head",
    "ethnic_minority",
    "member_count",
    "status_class",
    "status_group",
    "status_year",
    "latest_state",
    "removed_on",
    "removed_reason",
    "created_by_id",
    "updated_by_id",
    "created_at",
    "updated_at",
)
HOUSEHOLD_UPDATE = (
    "version",
    "village_id",
    "area",
    "head_name",
    "head_search",
    "female_head",
    "ethnic_minority",
    "member_count",
    "status_class",
    "status_group",
    "status_year",
    "latest_state",
    "updated_by_id",
    "updated_at",
)
MEMBER_INSERT = (
    "id",
    "household_id",
    "full_name",
    "search_name",
    "sex",
    "birth_date",
    "birth_year",
    "relation",
    "citizen_id",
    "ethnicity",
    "disability",
    "health_insurance",
    "schooling",
    "work",
    "order",
)
MEMBER_UPDATE = ("full_name", "search_name", "sex", "birth_year", "citizen_id", "ethnicity")
ASSESSMENT_INSERT = (
    "id",
    "version",
    "household_id",
    "province_id",
    "district_id",
    "commune_id",
    "village_id",
    "kind",
    "review_year",
    "effective_date",
    "standard_id",
    "area",
    "member_count",
    "annual_income",
    "income_per_capita",
    "deprived_mask",
    "deprived_count",
    "result_class",
    "result_group",
    "reasons",
    "commune_class",
    "state",
    "returned_reason",
    "change",
    "previous_id",
    "valid_until",
    "note",
    "import_job_id",
    "created_by_id",
    "updated_by_id",
    "submitted_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "created_at",
    "updated_at",
)
ASSESSMENT_UPDATE = (
    "version",
    "village_id",
    "standard_id",
    "area",
    "member_count",
    "income_per_capita",
    "deprived_mask",
    "deprived_count",
    "result_class",
    "result_group",
    "reasons",
    "commune_class",
    "import_job_id",
    "updated_by_id",
    "updated_at",
)
CHAIN_UPDATE = ("previous_id", "change", "valid_until")
LOG_INSERT = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
    "actor_email",
)


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    villages: int = 0
    assessments_created: int = 0
    assessments_updated: int = 0
    chain_updates: int = 0
    log_entries: int = 0
    household_ids: list[int] = field(default_factory=list)


_json = partial(json.dumps, ensure_ascii=False)
# What json.dumps(..., ensure_ascii=False) writes for a string: the audit entries of created rows
# are written from templates with it (one dumps per value of 200,000 entries is a second or more).
_json_str = json.encoder.encode_basestring


def _log(
    rows: list,
    content_type_id: int,
    *,
    pk: int,
    repr_: str,
    action: int,
    changes: dict,
    user,
    now,
    located: dict,
    job_id,
):
    """An audit entry row for LOG_INSERT; `now` as the database stores it (bulk.db_value)."""
    rows.append(
        (
            content_type_id,
            str(pk),
            pk,
            repr_[:200],
            None,
            action,
            "",
            _json(changes),
            getattr(user, "pk", None),
            None,
            None,
            None,
            now,
            _json({**located, "import_job": str(job_id) if job_id else None}),
            getattr(user, "email", None) or None,
        )
    )


def _create_villages(
    new_villages: dict[tuple[int, str], NewVillage], *, version, user, now, logs, unit_ct, job_id
) -> dict:
    """Create the new villages, in the order the file names them, with codes <commune>-NNN (the
    number after the count of the commune's villages, or the next free one); return their ids by
    NewVillage key."""
    if not new_villages:
        return {}
    prefixes = sorted({f"{village.commune.code}-" for village in new_villages.values()})
    taken: dict[str, set[str]] = {prefix: set() for prefix in prefixes}
    for start in range(0, len(prefixes), 100):
        chunk = prefixes[start : start + 100]
        codes = AdministrativeUnit.objects.filter(
            reduce(operator.or_, (Q(code__startswith=prefix) for prefix in chunk)), admin_version=version
        ).values_list("code", flat=True)
        for code in codes:
            for prefix in chunk:
                if code.startswith(prefix):
                    taken[prefix].add(code)
    units = []
    for village in new_villages.values():
        commune = village.commune
        prefix = f"{commune.code}-"
        sequence = len(taken[prefix]) + 1
        while f"{prefix}{sequence:03d}" in taken[prefix]:
            sequence += 1
        taken[prefix].add(f"{prefix}{sequence:03d}")
        units.append(
            AdministrativeUnit(
                admin_version=version,
                code=f"{prefix}{sequence:03d}",
                name=village.name,
                short_name=village.name,
                kind=village.kind,
                level=Level.VILLAGE,
                parent_id=commune.pk,
                province_id=commune.province_id,
                district_id=commune.district_id,
                commune_id=commune.pk,
                # A new village's place in the 2025 tree is its commune's (units/placement.py).
                new_province_id=commune.new_province_id,
                new_commune_id=commune.new_commune_id,
                area="urban" if village.kind == "to_dan_pho" else (commune.area or "rural"),
                search_name=search_key(village.name),
            )
        )
    AdministrativeUnit.objects.bulk_create(units)
    ids = {}
    for key, village, unit in zip(new_villages, new_villages.values(), units, strict=True):
        ids[key] = unit.pk
        commune = village.commune
        located = {"province": commune.province_id, "district": commune.district_id, "commune": commune.pk}
        _log(
            logs,
            unit_ct,
            pk=unit.pk,
            repr_=unit.name,
            action=LogEntry.Action.CREATE,
            changes={"name": ["None", unit.name], "code": ["None", unit.code]},
            user=user,
            now=now,
            located=located,
            job_id=job_id,
        )
    return ids


def apply_plan(
    plan: Plan,
    *,
    user,
    job_id=None,
    new_villages: dict[tuple[int, str], NewVillage],
    version: str,
    standards: dict[int, StandardInfo],
    progress=None,
) -> ApplyResult:
    """Write the plan in one transaction (all or nothing)."""
    result = ApplyResult()
    year = plan.year
    eff = effective_date(year)
    present = plan.present
    rules = {info.standard_id: info.rules for info in standards.values()}
    user_id = getattr(user, "pk", None)
    types = ContentType.objects.get_for_models(Household, Assessment, AdministrativeUnit)
    household_ct, assessment_ct, unit_ct = (
        types[Household].pk,
        types[Assessment].pk,
        types[AdministrativeUnit].pk,
    )
    total = len(plan.created) + len(plan.updated)
    done = 0

    def tick(count):
        nonlocal done
        done += count
        if progress:
            bulk.wait()  # what was submitted is written, and progress may use the connection
            progress(done, total)

    with transaction.atomic():
        now = bulk.db_value(timezone.now())  # one timestamp for every row, as the database stores it
        logs: list = []
        village_ids = _create_villages(
            new_villages, version=version, user=user, now=now, logs=logs, unit_ct=unit_ct, job_id=job_id
        )
        result.villages = len(village_ids)

        def village_of(row: ParsedRow):
            return village_ids.get(row.village) if isinstance(row.village, tuple) else row.village

        def reasons(row: ParsedRow) -> str:
            # The row was classified when it was read: rebuild that result rather than classify again.
            rules_of = rules[row.standard_id]
            bits = standards_bits[row.standard_id]
            deprived = tuple(code for code in rules_of.indicators if row.mask & bits[code])
            return Classification(
                row.result_class, row.result_group, rules_of, row.area, row.income, deprived
            ).reason_text

        standards_bits = {info.standard_id: info.bits for info in standards.values()}

        # --- new households, their head and their year-end assessment ---------------------------
        eff_value = bulk.db_value(eff)
        actor_email = getattr(user, "email", None) or None
        job_text = str(job_id) if job_id else None
        located_json: dict[int, str] = {}  # commune id → the audit entries' additional_data
        labels = {cls: _json_str(label) for cls, label in CLASS_LABELS.items()}
        create = LogEntry.Action.CREATE
        all_ids = [bulk.reserve_ids(model, len(plan.created)) for model in (Household, Member, Assessment)]
        # Each chunk's rows are prepared while a second thread writes the previous chunk's.
        with bulk.pipelined():
            for start in range(0, len(plan.created), 5000):
                chunk = plan.created[start : start + 5000]
                household_ids, member_ids, assessment_ids = (ids[start : start + 5000] for ids in all_ids)
                households, members, assessments, policies, causes = [], [], [], [], []
                for row, hid, mid, aid in zip(chunk, household_ids, member_ids, assessment_ids, strict=True):
                    commune = row.commune
                    village_id = village_of(row)
                    minority = ethnic_minority(row.ethnicity)
                    head_name = row.head_name
                    head_search = search_key(head_name)
                    result_class = row.result_class
                    households.append(
                        (
                            hid,
                            1,
                            row.code,
                            commune.province_id,
                            commune.district_id,
                            commune.pk,
                            village_id,
                            "",
                            row.area,
                            HAS_LABOUR,
                            False,
                            "",
                            head_name,
                            head_search,
                            row.sex == "female",
                            minority,
                            row.member_count,
                            result_class,
                            row.result_group,
                            year,
                            APPROVED,
                            None,
                            "",
                            user_id,
                            user_id,
                            now,
                            now,
                        )
                    )
                    members.append(
                        (
                            mid,
                            hid,
                            head_name,
                            head_search,
                            row.sex,
                            None,
                            row.birth_year,
                            HEAD,
                            row.citizen_id,
                            row.ethnicity,
                            False,
                            True,
                            "",
                            "",
                            0,
                        )
                    )
                    assessments.append(
                        (
                            aid,
                            1,
                            hid,
                            commune.province_id,
                            commune.district_id,
                            commune.pk,
                            village_id,
                            PERIODIC,
                            year,
                            eff_value,
                            row.standard_id,
                            row.area,
                            row.member_count,
                            None,
                            row.income,
                            row.mask,
                            row.deprived_count,
                            result_class,
                            row.result_group,
                            reasons(row),
                            row.commune_class,
                            APPROVED,
                            "",
                            FIRST,
                            None,
                            None,
                            "",
                            job_id,
                            user_id,
                            user_id,
                            None,
                            None,
                            user_id,
                            now,
                            now,
                            now,
                        )
                    )
                    if row.policy_ids:
                        policies.extend((hid, pk) for pk in row.policy_ids)
                    if row.cause_ids:
                        causes.extend((hid, pk) for pk in row.cause_ids)
                    located = located_json.get(commune.pk)
                    if located is None:
                        located = located_json[commune.pk] = _json(
                            {
                                "province": commune.province_id,
                                "district": commune.district_id,
                                "commune": commune.pk,
                                "import_job": job_text,
                            }
                        )
                    label = labels[result_class]
                    # The same entries as _log() with these changes (json.dumps' layout):
                    #   household: code, head_name, member_count, status_class
                    #   assessment: review_year, income_per_capita, deprived_count, result_class, state
                    logs.append(
                        (
                            household_ct,
                            str(hid),
                            hid,
                            f"{row.code} – {head_name}"[:200],
                            None,
                            create,
                            "",
                            f'{{"code": ["None", {_json_str(row.code)}], "head_name": ["None", {_json_str(head_name)}], '
                            f'"member_count": ["None", "{row.member_count}"], "status_class": ["None", {label}]}}',
                            user_id,
                            None,
                            None,
                            None,
                            now,
                            located,
                            actor_email,
                        )
                    )
                    logs.append(
                        (
                            assessment_ct,
                            str(aid),
                            aid,
                            f"{row.code} · {year} · {CLASS_LABELS[result_class]}"[:200],
                            None,
                            create,
                            "",
                            f'{{"review_year": ["None", "{year}"], "income_per_capita": ["None", "{row.income}"], '
                            f'"deprived_count": ["None", "{row.deprived_count}"], "result_class": ["None", {label}], '
                            f'"state": ["None", "approved"]}}',
                            user_id,
                            None,
                            None,
                            None,
                            now,
                            located,
                            actor_email,
                        )
                    )
                    result.household_ids.append(hid)
                tick(len(chunk))
                bulk.insert(Household, HOUSEHOLD_INSERT, households)
                bulk.insert(Member, MEMBER_INSERT, members)
                bulk.insert(Assessment, ASSESSMENT_INSERT, assessments)
                bulk.insert(Household.policy_groups.through, ("household_id", "policygroup_id"), policies)
                bulk.insert(Household.causes.through, ("household_id", "povertycause_id"), causes)
                bulk.insert(LogEntry, LOG_INSERT, logs)
                result.log_entries += len(logs)
                logs = []
                result.created += len(chunk)
                result.assessments_created += len(chunk)

            # --- households already there ---------------------------------------------------------
            for start in range(0, len(plan.updated), 5000):
                chunk = plan.updated[start : start + 5000]
                _update_chunk(
                    chunk,
                    plan=plan,
                    year=year,
                    eff=eff,
                    present=present,
                    user=user,
                    now=now,
                    job_id=job_id,
                    village_of=village_of,
                    reasons=reasons,
                    result=result,
                    logs=logs,
                    cts=(household_ct, assessment_ct),
                )
                tick(len(chunk))
                bulk.insert(LogEntry, LOG_INSERT, logs)
                result.log_entries += len(logs)
                logs = []
            if logs:
                bulk.insert(LogEntry, LOG_INSERT, logs)
                result.log_entries += len(logs)
        # The rows were written as plain tuples: their place in the 2025 tree in one UPDATE each.
        bulk.wait()
        communes = {row.commune.pk for row in plan.created} | {item[0].commune.pk for item in plan.updated}
        place_records(AdministrativeUnit, Household.objects.filter(commune_id__in=communes))
        place_records(AdministrativeUnit, Assessment.objects.filter(commune_id__in=communes))
    return result


def _update_chunk(
    chunk: list[tuple[ParsedRow, Existing, list]],
    *,
    plan,
    year,
    eff,
    present,
    user,
    now,
    job_id,
    village_of,
    reasons,
    result: ApplyResult,
    logs: list,
    cts,
) -> None:
    household_ct, assessment_ct = cts
    user_id = getattr(user, "pk", None)
    needs_member = [row for row, existing, _c in chunk if existing.head is None]
    needs_assessment = [row for row, existing, _c in chunk if existing.year_assessment(year) is None]
    member_ids = iter(bulk.reserve_ids(Member, len(needs_member)))
    assessment_ids = iter(bulk.reserve_ids(Assessment, len(needs_assessment)))
    household_rows, member_inserts, member_updates = [], [], []
    assessment_inserts, assessment_updates, chain_updates = [], [], []
    policy_replace, cause_replace, policy_rows, cause_rows = [], [], [], []
    for row, existing, changes in chunk:
        old = existing.household
        hid = existing.pk
        commune = row.commune
        located = {"province": commune.province_id, "district": commune.district_id, "commune": commune.pk}
        village_id = village_of(row) if "village" in present else old[H["village_id"]]
        female = row.sex == "female" if "sex" in present else old[H["female_head"]]
        minority = ethnic_minority(row.ethnicity) if "ethnicity" in present else old[H["ethnic_minority"]]

        # The year-end assessment: updated in place, or inserted into the chain.
        current = existing.year_assessment(year)
        links = [
            Link(
                a[A["id"]],
                a[A["effective_date"]],
                a[A["result_class"]],
                baseline=a[A["import_job_id"]] is not None,
                previous_id=a[A["previous_id"]],
                change=a[A["change"]],
                valid_until=a[A["valid_until"]],
            )
            for a in existing.assessments
        ]
        assessment_changed = True
        if current is None:
            aid = next(assessment_ids)
            links.append(Link(aid, eff, row.result_class, baseline=True))
        else:
            aid = current[A["id"]]
            same = (
                current[A["area"]],
                current[A["member_count"]],
                current[A["income_per_capita"]],
                current[A["deprived_mask"]],
                current[A["standard_id"]],
                current[A["result_class"]],
                current[A["result_group"]],
            ) == (
                row.area,
                row.member_count,
                row.income,
                row.mask,
                row.standard_id,
                row.result_class,
                row.result_group,
            )
            same = same and (
                "commune_class" not in present or current[A["commune_class"]] == row.commune_class
            )
            assessment_changed = not same
            for link in links:
                if link.id == aid:
                    link.cls = row.result_class
                    link.baseline = True
        changed_links = rechain(links)
        new_link = next(link for link in links if link.id == aid)
        commune_class = (
            row.commune_class
            if "commune_class" in present
            else (current[A["commune_class"]] if current else "")
        )
        if current is None:
            assessment_inserts.append(
                (
                    aid,
                    1,
                    hid,
                    commune.province_id,
                    commune.district_id,
                    commune.pk,
                    village_id,
                    PERIODIC,
                    year,
                    eff,
                    row.standard_id,
                    row.area,
                    row.member_count,
                    None,
                    row.income,
                    row.mask,
                    row.deprived_count,
                    row.result_class,
                    row.result_group,
                    reasons(row),
                    commune_class,
                    APPROVED,
                    "",
                    new_link.change,
                    new_link.previous_id,
                    new_link.valid_until,
                    "",
                    job_id,
                    user_id,
                    user_id,
                    None,
                    None,
                    user_id,
                    now,
                    now,
                    now,
                )
            )
            _log(
                logs,
                assessment_ct,
                pk=aid,
                repr_=f"{row.code} · {year} · {CLASS_LABELS[row.result_class]}",
                action=0,
                changes={
                    "review_year": ["None", str(year)],
                    "income_per_capita": ["None", str(row.income)],
                    "result_class": ["None", CLASS_LABELS[row.result_class]],
                },
                user=user,
                now=now,
                located=located,
                job_id=job_id,
            )
            result.assessments_created += 1
        elif assessment_changed:
            assessment_updates.append(
                (
                    current[A["version"]] + 1,
                    village_id,
                    row.standard_id,
                    row.area,
                    row.member_count,
                    row.income,
                    row.mask,
                    row.deprived_count,
                    row.result_class,
                    row.result_group,
                    reasons(row),
                    commune_class,
                    job_id,
                    user_id,
                    now,
                    aid,
                )
            )
            _log(
                logs,
                assessment_ct,
                pk=aid,
                repr_=f"{row.code} · {year} · {CLASS_LABELS[row.result_class]}",
                action=1,
                changes={c.label: [c.before, c.after] for c in changes},
                user=user,
                now=now,
                located=located,
                job_id=job_id,
            )
            result.assessments_updated += 1
        for link in changed_links:
            if link.id != aid or current is not None:
                chain_updates.append((link.previous_id, link.change, link.valid_until, link.id))

        # Status: the latest approved assessment of the chain.
        last = links[-1]  # rechain sorted them in effective order
        if last.id == aid:
            status = (row.result_class, row.result_group, year)
        else:
            latest = next(a for a in existing.assessments if a[A["id"]] == last.id)
            status = (latest[A["result_class"]], latest[A["result_group"]], latest[A["review_year"]])
        latest_state = old[H["latest_state"]] if old[H["latest_state"]] not in ("", APPROVED) else APPROVED
        household_rows.append(
            (
                old[H["version"]] + 1,
                village_id,
                row.area,
                row.head_name,
                search_key(row.head_name),
                female,
                minority,
                row.member_count,
                *status,
                latest_state,
                user_id,
                now,
                hid,
            )
        )
        household_changes = {c.label: [c.before, c.after] for c in changes}
        _log(
            logs,
            household_ct,
            pk=hid,
            repr_=f"{row.code} – {row.head_name}",
            action=1,
            changes=household_changes,
            user=user,
            now=now,
            located=located,
            job_id=job_id,
        )

        head = existing.head
        citizen_id = row.citizen_id if "citizen_id" in present or head is None else head[5]
        ethnicity = row.ethnicity if "ethnicity" in present or head is None else head[6]
        if head is None:
            member_inserts.append(
                (
                    next(member_ids),
                    hid,
                    row.head_name,
                    search_key(row.head_name),
                    row.sex,
                    None,
                    row.birth_year,
                    Member.Relation.HEAD,
                    citizen_id,
                    ethnicity,
                    False,
                    True,
                    "",
                    "",
                    0,
                )
            )
        elif (head[2], head[3], head[4], head[5], head[6]) != (
            row.head_name,
            row.sex,
            row.birth_year,
            citizen_id,
            ethnicity,
        ):
            member_updates.append(
                (
                    row.head_name,
                    search_key(row.head_name),
                    row.sex,
                    row.birth_year,
                    citizen_id,
                    ethnicity,
                    head[1],
                )
            )
        if "policy_groups" in present and existing.policy_ids != row.policy_ids:
            policy_replace.append(hid)
            policy_rows.extend((hid, pk) for pk in row.policy_ids)
        if "causes" in present and existing.cause_ids != row.cause_ids:
            cause_replace.append(hid)
            cause_rows.extend((hid, pk) for pk in row.cause_ids)
        result.household_ids.append(hid)

    bulk.update(Household, HOUSEHOLD_UPDATE, household_rows)
    bulk.insert(Member, MEMBER_INSERT, member_inserts)
    bulk.update(Member, MEMBER_UPDATE, member_updates)
    # Chain fields first (they may point at the new assessment only after it exists).
    bulk.insert(Assessment, ASSESSMENT_INSERT, assessment_inserts)
    bulk.update(Assessment, ASSESSMENT_UPDATE, assessment_updates)
    bulk.update(Assessment, CHAIN_UPDATE, chain_updates)
    policy_through = Household.policy_groups.through
    cause_through = Household.causes.through
    bulk.delete_where_in(policy_through, "household_id", policy_replace)
    bulk.insert(policy_through, ("household_id", "policygroup_id"), policy_rows)
    bulk.delete_where_in(cause_through, "household_id", cause_replace)
    bulk.insert(cause_through, ("household_id", "povertycause_id"), cause_rows)
    result.updated += len(chunk)
    result.chain_updates += len(chain_updates)
