"""One truth across the reform: the households of the pre-2025 communes OA and OB, reviewed at the
end of 2020, are the 2025 province P's history. P's dashboard, quarterly report, household list and
progress page for 2021 agree with each other and with the old province OP's; OP has no report for a
quarter after 30/06/2025; Biểu 3's escapes agree with the progress page's."""

from datetime import date

import pytest
from django.urls import reverse

from households.models import PovertyClass
from reports import registry
from reports.params import ReportParamError
from reports.registry import resolve
from reports.scope import ReportScope, SystemUser
from tests import factories as f
from units.models import AdminVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    classes = [PovertyClass.POOR] * 3 + [PovertyClass.NEAR_POOR] * 2 + [PovertyClass.NOT_POOR] * 4
    for number, klass in enumerate(classes):
        commune = world.OA if number % 3 else world.OB
        household = f.HouseholdFactory(commune=commune, code=f"OLD-{number}", status_class=klass)
        f.AssessmentFactory(
            household=household, review_year=2020, effective_date=date(2020, 12, 15), result_class=klass
        )
    for unit in (world.OP, world.OD, world.OA, world.OB):
        unit.valid_to = date(2025, 6, 30)
        unit.save()
    return {"households": 9, "poor": 3, "near_poor": 2}


def _quarterly_total(unit, year, quarter):
    scope = ReportScope(SystemUser())
    document = registry.get("quarterly").produce(
        scope, resolve(scope, code="quarterly", unit=unit, year=year, quarter=quarter)
    )
    stock = next(t for t in document.tables if t.key == "stock").total_row.cells
    return document, {k: stock[k] for k in ("households", "poor", "near_poor")}


def test_every_page_gives_the_new_province_its_predecessors_figures(world, history):
    client = world.client_for(world.province_officer)
    dashboard = client.get(reverse("reports:dashboard_unit", args=[world.P.pk]), {"year": 2021})
    document, quarterly = _quarterly_total(world.P, 2021, 4)
    listing = client.get(reverse("households:unit_list", args=[world.P.pk]), {"year": 2021})
    figures = {k: dashboard.context["total"][k] for k in ("households", "poor", "near_poor")}
    assert figures == quarterly == history
    assert listing.context["page"].paginator.count == history["households"]
    assert "Số liệu trước 01/07/2025 tổng hợp từ: Tỉnh Cũ." in document.notes
    _old_document, old = _quarterly_total(world.OP, 2021, 4)
    assert old == history  # the same households, read in the old tree: never counted twice apart


def test_the_old_province_has_no_figures_after_the_reform(world, history):
    scope = ReportScope(SystemUser())
    resolve(scope, code="quarterly", unit=world.OP, year=2025, quarter=2)
    with pytest.raises(ReportParamError) as error:
        resolve(scope, code="quarterly", unit=world.OP, year=2025, quarter=3)
    assert "Tỉnh Thử" in str(error.value)
    page = world.client_for(world.province_officer).get(
        reverse("reports:dashboard_unit", args=[world.OP.pk]), {"year": 2026}
    )
    assert page.context["year"] == 2025 and page.context["dissolved"]["successors"] == [(world.P, True)]
    assert world.OP.admin_version == AdminVersion.PRE2025


def test_a_commune_officer_of_the_new_commune_sees_the_old_communes_households(world, history):
    page = world.client_for(world.officer_a).get(
        reverse("households:unit_list", args=[world.A.pk]), {"year": 2021}
    )
    assert page.context["page"].paginator.count == 6  # OA's households (OB's went to B)


def test_escapes_agree_between_the_quarterly_report_and_the_progress_page(world, history):
    from targets import selectors as target_selectors
    from units import access

    poor = world.OA.households.filter(status_class=PovertyClass.POOR).first()
    f.AssessmentFactory(
        household=poor,
        kind="regular",
        review_year=2021,
        effective_date=date(2021, 5, 10),
        result_class=PovertyClass.NEAR_POOR,
        change="escaped_to_near_poor",
    )
    from households.services import assessment_chain_rebuild

    assessment_chain_rebuild(household=poor)
    document, _stock = _quarterly_total(world.P, 2021, 4)
    changes = next(t for t in document.tables if t.key == "changes").total_row.cells
    own, _children = target_selectors.progress(
        unit=world.P,
        children=[],
        year=2021,
        kind=None,
        targets=access.targets_visible_to(world.province_officer),
        registrations=access.registrations_visible_to(world.province_officer),
        assessments=access.assessments_visible_to(world.province_officer),
        today=date(2026, 12, 3),
    )
    assert changes["done_poor"] == own.escaped_poor == 1
