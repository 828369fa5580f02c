"""The baselines of bench_census_import.py, measured on the same generated rows as the import.

Every baseline starts from the rows already parsed and classified in memory — no .xlsx reading, no
validation, no dry run, no village lookup; that preparation is not timed — and writes them in one
transaction with the values the import stores (units, area, head, member count, status; the
year-end assessment with its income, deprivations, class, reasons, state and change; the
importing administrator as creator, updater and decider). Every choice favours the baselines.

Two scopes:

- "household+assessment" (the budget's baselines): one Household and one approved Assessment per
  row — two of the five rows the import writes;
- "every table": also the head Member and the two audit entries (LogEntry for the household and
  for the assessment, with the import's changes and unit data) — the same tables and rows as the
  import, villages and policy-group links aside (the generated file has none of the latter).

Two ways of writing:

- raw: Django's `bulk_create(batch_size=2000)` of model instances built beforehand;
- django-import-export: ModelResources tuned as its "Bulk imports → Performance tuning" page
  advises — `use_bulk`, `force_init_instance` (the rows are new), `skip_diff`, the default
  `batch_size` (1000; the docs found `None` slower), `report_skipped` off, and foreign keys read
  from a dictionary loaded once per import instead of `ForeignKeyWidget`'s query per row. The
  household resource runs first, then the member and assessment resources, which find each row's
  household by (commune code, household code) in one query. Bulk mode sends no signals, so in the
  "every table" scope the household and assessment resources write their audit entries with one
  `bulk_create` per batch, as a django-import-export user would have to."""

from datetime import date

YEAR = 2025
EFFECTIVE = date(YEAR, 12, 15)
SCOPES = ("household+assessment", "every table")


def classified_rows(n: int):
    """The generated rows with what the import computes from them."""
    from bench_census_import import generate_rows

    from households.classification import classify
    from households.models import Assessment, PovertyStandard

    standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, YEAR)
    rules = standard.rules()
    codes = list(rules.indicators)
    for (
        code,
        commune,
        _village,
        head,
        sex,
        year,
        citizen,
        ethnicity,
        members,
        area,
        income,
        deprived,
    ) in generate_rows(n):
        area = "rural" if area == "Nông thôn" else "urban"
        result = classify(rules, area, income, [codes[o - 1] for o in deprived])
        yield {
            "code": code,
            "commune": commune,
            "area": area,
            "head": head,
            "sex": "female" if sex == "Nữ" else "male",
            "birth_year": year,
            "citizen_id": citizen,
            "ethnicity": ethnicity,
            "members": members,
            "income": income,
            "mask": sum(1 << (o - 1) for o in deprived),
            "deprived": len(deprived),
            "class": result.poverty_class,
            "reasons": result.reason_text,
            "standard": standard,
        }


def _context():
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from households.models import Assessment, Household
    from units.models import AdministrativeUnit

    types = ContentType.objects.get_for_models(Household, Assessment)
    return {
        "user": get_user_model().objects.get(username="bench_admin"),
        "now": timezone.now(),
        "communes": {u.code: u for u in AdministrativeUnit.objects.filter(level=3)},
        "household_type": types[Household],
        "assessment_type": types[Assessment],
    }


def household_log(household, context):
    from auditlog.models import LogEntry

    from households.classification import CLASS_LABELS

    return LogEntry(
        content_type=context["household_type"],
        object_pk=str(household.pk),
        object_id=household.pk,
        object_repr=str(household)[:200],
        action=LogEntry.Action.CREATE,
        changes={
            "code": ["None", household.code],
            "head_name": ["None", household.head_name],
            "member_count": ["None", str(household.member_count)],
            "status_class": ["None", CLASS_LABELS[household.status_class]],
        },
        actor=context["user"],
        timestamp=context["now"],
        additional_data={**household.get_additional_data(), "import_job": None},
    )


def assessment_log(assessment, code, context):
    from auditlog.models import LogEntry

    from households.classification import CLASS_LABELS

    label = CLASS_LABELS[assessment.result_class]
    return LogEntry(
        content_type=context["assessment_type"],
        object_pk=str(assessment.pk),
        object_id=assessment.pk,
        object_repr=f"{code} · {YEAR} · {label}",
        action=LogEntry.Action.CREATE,
        changes={
            "review_year": ["None", str(YEAR)],
            "income_per_capita": ["None", str(assessment.income_per_capita)],
            "deprived_count": ["None", str(assessment.deprived_count)],
            "result_class": ["None", label],
            "state": ["None", "approved"],
        },
        actor=context["user"],
        timestamp=context["now"],
        additional_data={**assessment.get_additional_data(), "import_job": None},
    )


# --- raw bulk_create -------------------------------------------------------------------------------


def raw_objects(n: int, scope: str):
    from core.text import search_key
    from households.models import Assessment, Household, Member

    context = _context()
    user, now = context["user"], context["now"]
    households, members, assessments = [], [], []
    for row in classified_rows(n):
        unit = context["communes"][row["commune"]]
        households.append(
            Household(
                code=row["code"],
                province_id=unit.province_id,
                district_id=unit.district_id,
                commune_id=unit.pk,
                area=row["area"],
                head_name=row["head"],
                head_search=search_key(row["head"]),
                female_head=row["sex"] == "female",
                ethnic_minority=row["ethnicity"] != "Kinh",
                member_count=row["members"],
                status_class=row["class"],
                status_year=YEAR,
                latest_state="approved",
                created_by=user,
                updated_by=user,
            )
        )
        if scope == "every table":
            members.append(
                Member(
                    full_name=row["head"],
                    search_name=search_key(row["head"]),
                    sex=row["sex"],
                    birth_year=row["birth_year"],
                    relation=Member.Relation.HEAD,
                    citizen_id=row["citizen_id"],
                    ethnicity=row["ethnicity"],
                )
            )
        assessments.append(
            Assessment(
                province_id=unit.province_id,
                district_id=unit.district_id,
                commune_id=unit.pk,
                review_year=YEAR,
                effective_date=EFFECTIVE,
                standard=row["standard"],
                area=row["area"],
                member_count=row["members"],
                income_per_capita=row["income"],
                deprived_mask=row["mask"],
                deprived_count=row["deprived"],
                result_class=row["class"],
                reasons=row["reasons"],
                state="approved",
                change="first",
                created_by=user,
                updated_by=user,
                decided_by=user,
                decided_at=now,
            )
        )
    return households, members, assessments, context


def raw_write(households, members, assessments, context) -> None:
    from auditlog.models import LogEntry
    from django.db import transaction

    from households.models import Assessment, Household, Member
    from units.models import AdministrativeUnit
    from units.placement import place_objects

    with transaction.atomic():
        place_objects(AdministrativeUnit, households)
        place_objects(AdministrativeUnit, assessments)
        Household.objects.bulk_create(households, batch_size=2000)
        for household, assessment in zip(households, assessments, strict=True):
            assessment.household_id = household.pk
        if members:  # every table
            for household, member in zip(households, members, strict=True):
                member.household_id = household.pk
            Member.objects.bulk_create(members, batch_size=2000)
        Assessment.objects.bulk_create(assessments, batch_size=2000)
        if members:
            logs = [household_log(h, context) for h in households]
            logs += [assessment_log(a, h.code, context) for h, a in zip(households, assessments, strict=True)]
            LogEntry.objects.bulk_create(logs, batch_size=2000)


# --- tuned django-import-export --------------------------------------------------------------------

HOUSEHOLD_COLUMNS = (
    "code",
    "commune",
    "province",
    "district",
    "area",
    "head_name",
    "head_search",
    "female_head",
    "ethnic_minority",
    "member_count",
    "status_class",
    "status_year",
    "latest_state",
    "created_by",
    "updated_by",
)
MEMBER_COLUMNS = (
    "household",
    "full_name",
    "search_name",
    "sex",
    "birth_year",
    "relation",
    "citizen_id",
    "ethnicity",
)
ASSESSMENT_COLUMNS = (
    "household",
    "commune",
    "province",
    "district",
    "review_year",
    "effective_date",
    "standard",
    "area",
    "member_count",
    "income_per_capita",
    "deprived_mask",
    "deprived_count",
    "result_class",
    "reasons",
    "state",
    "change",
    "created_by",
    "updated_by",
    "decided_by",
    "decided_at",
)


def dje_datasets(n: int, scope: str):
    import tablib

    from core.text import search_key

    context = _context()
    user, now = context["user"].pk, context["now"]
    households = tablib.Dataset(headers=list(HOUSEHOLD_COLUMNS))
    members = tablib.Dataset(headers=list(MEMBER_COLUMNS))
    assessments = tablib.Dataset(headers=list(ASSESSMENT_COLUMNS))
    for row in classified_rows(n):
        unit = context["communes"][row["commune"]]
        key = f"{row['commune']}/{row['code']}"
        households.append(
            [
                row["code"],
                row["commune"],
                unit.province_id,
                unit.district_id,
                row["area"],
                row["head"],
                search_key(row["head"]),
                row["sex"] == "female",
                row["ethnicity"] != "Kinh",
                row["members"],
                row["class"],
                YEAR,
                "approved",
                user,
                user,
            ]
        )
        if scope == "every table":
            members.append(
                [
                    key,
                    row["head"],
                    search_key(row["head"]),
                    row["sex"],
                    row["birth_year"],
                    "head",
                    row["citizen_id"],
                    row["ethnicity"],
                ]
            )
        assessments.append(
            [
                key,
                row["commune"],
                unit.province_id,
                unit.district_id,
                YEAR,
                EFFECTIVE,
                row["standard"].pk,
                row["area"],
                row["members"],
                row["income"],
                row["mask"],
                row["deprived"],
                row["class"],
                row["reasons"],
                "approved",
                "first",
                user,
                user,
                user,
                now,
            ]
        )
    return households, members if scope == "every table" else None, assessments, context


def _resources(context, *, audit: bool):
    from auditlog.models import LogEntry
    from import_export import fields, resources, widgets

    from households.models import Assessment, Household, Member
    from units.models import AdministrativeUnit

    class CachedKeyWidget(widgets.Widget):
        """A foreign key by its natural key, from a dictionary loaded on first use (the bulk-import
        docs: "create a subclass which caches get_queryset() results")."""

        def __init__(self, load):
            super().__init__()
            self.load = load
            self.found = None

        def clean(self, value, row=None, **kwargs):
            if self.found is None:
                self.found = self.load()
            return self.found[value]

    def communes():
        return dict(AdministrativeUnit.objects.filter(level=3).values_list("code", "pk"))

    def households():
        # Instances, not ids: Assessment.__str__ (which the import result records for each row)
        # reads its household's code, which would otherwise cost a query per row.
        return {
            f"{household.commune.code}/{household.code}": household
            for household in Household.objects.select_related("commune").only("pk", "code", "commune__code")
        }

    def identity():
        return _Identity()

    def key(attribute, column, load):
        return fields.Field(attribute=attribute, column_name=column, widget=CachedKeyWidget(load))

    class Tuned:
        use_bulk = True
        force_init_instance = True
        skip_diff = True
        batch_size = 1000
        report_skipped = False
        use_transactions = True

    class Audited:
        """Bulk mode sends no signals: audit entries for each batch, in one bulk_create."""

        def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
            created = list(self.create_instances)
            super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
            if audit and created:
                LogEntry.objects.bulk_create(
                    [self.log(instance) for instance in created], batch_size=batch_size
                )

    class HouseholdResource(Audited, resources.ModelResource):
        commune = key("commune_id", "commune", communes)
        province = key("province_id", "province", identity)
        district = key("district_id", "district", identity)
        created_by = key("created_by_id", "created_by", identity)
        updated_by = key("updated_by_id", "updated_by", identity)

        class Meta(Tuned):
            model = Household
            fields = HOUSEHOLD_COLUMNS
            import_id_fields = ("commune", "code")

        def log(self, household):
            return household_log(household, context)

    class MemberResource(resources.ModelResource):
        household = key("household", "household", households)

        class Meta(Tuned):
            model = Member
            fields = MEMBER_COLUMNS
            import_id_fields = ("household", "relation")

    class AssessmentResource(Audited, resources.ModelResource):
        household = key("household", "household", households)
        commune = key("commune_id", "commune", communes)
        province = key("province_id", "province", identity)
        district = key("district_id", "district", identity)
        standard = key("standard_id", "standard", identity)
        created_by = key("created_by_id", "created_by", identity)
        updated_by = key("updated_by_id", "updated_by", identity)
        decided_by = key("decided_by_id", "decided_by", identity)

        class Meta(Tuned):
            model = Assessment
            fields = ASSESSMENT_COLUMNS
            import_id_fields = ("household", "review_year")

        def log(self, assessment):
            return assessment_log(assessment, assessment.household.code, context)

    return HouseholdResource, MemberResource, AssessmentResource


class _Identity(dict):
    """Ids given as they are (the dataset holds the province, standard and user ids)."""

    def __missing__(self, key):
        return key


def dje_write(households, members, assessments, context) -> None:
    from django.db import transaction

    household_resource, member_resource, assessment_resource = _resources(context, audit=members is not None)
    steps = [(household_resource(), households), (assessment_resource(), assessments)]
    if members is not None:
        steps.insert(1, (member_resource(), members))
    with transaction.atomic():
        for resource, dataset in steps:
            result = resource.import_data(dataset, dry_run=False, raise_errors=True)
            if result.has_errors() or result.has_validation_errors():
                raise RuntimeError(f"django-import-export refused rows: {result.invalid_rows[:3]}")
