"""Every households URL through the access ladder (see tests/scope.py). Objects live in commune A
of province P; each world builds them once (memoised on the world)."""

from tests.scope import ALL_PERSONAS, SEES_A, Case, becomes, grows, shows

EDITORS_A = frozenset({"officer_a", "admin_p", "national_admin"})
APPROVERS_A = frozenset({"leader_a", "admin_p", "national_admin"})
ASSESSORS = frozenset({"officer_a", "officer_b", "outsider", "admin_p", "national_admin"})


def _once(world, name, build):
    key = f"_scope_{name}"
    if not hasattr(world, key):
        setattr(world, key, build())
    return getattr(world, key)


def _household(world):
    from tests.households import factories as hf

    return _once(world, "household", lambda: hf.household(world.officer_a, world.A, village=world.A1))


def _assessment(world, state):
    from tests.households import factories as hf

    def build():
        household = hf.household(world.officer_a, world.A, head=f"Hộ phiếu {state}")
        return hf.assessment(household, world.officer_a, state=state, leader=world.leader_a)

    return _once(world, f"assessment_{state}", build)


def _households_of_a(world, kwargs):
    from households.models import Household

    return Household.objects.filter(commune_id=kwargs["unit"]).count()


def _address_and_head(world, kwargs):
    from households.models import Household

    household = Household.objects.get(pk=kwargs["pk"])
    return household.address, household.members.get().full_name


def _assessments_of(world, kwargs):
    from households.models import Assessment

    return Assessment.objects.filter(household_id=kwargs["pk"]).count()


def _year_and_income(world, kwargs):
    from households.models import Assessment

    assessment = Assessment.objects.get(pk=kwargs["pk"])
    return assessment.review_year, assessment.income_per_capita


def _state(world, kwargs):
    from households.models import Assessment

    return Assessment.objects.filter(pk=kwargs["pk"]).values_list("state", flat=True).first()


def unit_a(world):
    return {"unit": world.A.pk}


def household_kwargs(world):
    return {"pk": _household(world).pk}


def draft_kwargs(world):
    return {"pk": _assessment(world, "draft").pk}


def submitted_kwargs(world):
    return {"pk": _assessment(world, "submitted").pk}


MEMBER_POST = {
    "members-TOTAL_FORMS": "1",
    "members-MIN_NUM_FORMS": "1",
    "members-MAX_NUM_FORMS": "1000",
    "members-0-full_name": "Nguyễn Văn An",
    "members-0-relation": "head",
    "members-0-sex": "male",
    "members-0-birth_year": "1980",
    "members-0-health_insurance": "on",
}


def create_post(world):
    return {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "0",
        "labour": "has_labour",
        "address": "Thôn Một",
    }


def update_post(world):
    household = _household(world)
    head = household.members.get()
    return {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "1",
        "members-0-id": str(head.pk),
        "members-0-full_name": "Nguyễn Văn Anh",
        "code": household.code,
        "area": household.area,
        "labour": "has_labour",
        "address": "Thôn Hai",
        "version": str(household.version),
    }


def assessment_post(world):
    return {
        "kind": "periodic",
        "review_year": "2024",
        "effective_date": "15/12/2024",
        "area": "rural",
        "member_count": "1",
        "income_per_capita": "1.000.000",
        "indicator_bao-hiem-y-te": "on",
        "indicator_nguon-nuoc": "on",
        "indicator_nha-tieu": "on",
    }


def assessment_update_post(world):
    return {
        **assessment_post(world),
        "income_per_capita": "900.000",
        "version": str(_assessment(world, "draft").version),
    }


def approve_many_post(world):
    assessment = _assessment(world, "submitted")
    return {"approve": [str(assessment.pk)], f"version_{assessment.pk}": str(assessment.version)}


CASES = [
    # Everyone who sees households somewhere is sent to the list of their own area.
    Case("households:list", get=ALL_PERSONAS - {"nobody"}),
    Case("households:unit_list", kwargs=unit_a, get=SEES_A),
    Case("households:export", kwargs=unit_a, get=SEES_A),
    Case(
        "households:create",
        kwargs=unit_a,
        get=EDITORS_A,
        post=EDITORS_A,
        post_data=create_post,
        effect=grows(_households_of_a),
    ),
    Case("households:detail", kwargs=household_kwargs, get=SEES_A),
    Case(
        "households:update",
        kwargs=household_kwargs,
        get=EDITORS_A,
        post=EDITORS_A,
        post_data=update_post,
        effect=becomes(_address_and_head, ("Thôn Hai", "Nguyễn Văn Anh")),
    ),
    Case(
        "households:assessment_create",
        kwargs=household_kwargs,
        get=EDITORS_A,
        post=EDITORS_A,
        post_data=assessment_post,
        effect=grows(_assessments_of),
    ),
    Case(
        "households:assessment_preview",
        kwargs=household_kwargs,
        post=EDITORS_A,
        post_data=assessment_post,
        effect=shows("Hộ nghèo"),
    ),
    Case("households:assessment_detail", kwargs=draft_kwargs, get=SEES_A),
    Case(
        "households:assessment_update",
        kwargs=draft_kwargs,
        get=EDITORS_A,
        post=EDITORS_A,
        post_data=assessment_update_post,
        effect=becomes(_year_and_income, (2024, 900_000)),
    ),
    Case(
        "households:assessment_submit",
        kwargs=draft_kwargs,
        post=EDITORS_A,
        effect=becomes(_state, "submitted"),
    ),
    Case(
        "households:assessment_withdraw",
        kwargs=submitted_kwargs,
        post=EDITORS_A,
        effect=becomes(_state, "draft"),
    ),
    Case(
        "households:assessment_approve",
        kwargs=submitted_kwargs,
        post=APPROVERS_A,
        post_data=lambda w: {"checked": "on"},
        effect=becomes(_state, "approved"),
    ),
    Case(
        "households:assessment_return",
        kwargs=submitted_kwargs,
        post=APPROVERS_A,
        post_data=lambda w: {"reason": "Kiểm tra lại thu nhập"},
        effect=becomes(_state, "returned"),
    ),
    Case("households:assessment_delete", kwargs=draft_kwargs, post=EDITORS_A, effect=becomes(_state, None)),
    Case("households:approval_queue", get=APPROVERS_A),
    Case(
        "households:approve_many",
        post=APPROVERS_A,
        post_data=approve_many_post,
        effect=becomes(lambda w, kw: _state(w, {"pk": _assessment(w, "submitted").pk}), "approved"),
    ),
    Case("households:my_assessments", get=ASSESSORS),
    Case("households:unit_figures", kwargs=unit_a, get=SEES_A),
]
