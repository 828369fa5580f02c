"""What the Django admin prints: years without the thousand separator, counts with it, and empty
choices in Vietnamese."""

import pytest
from django.urls import reverse

from households.models import Assessment
from tests.households import factories as hf

pytestmark = pytest.mark.django_db


def test_the_admin_prints_years_plain_and_counts_grouped(world):
    household = hf.household(world.officer_a, world.A)
    hf.assessment(
        household, world.officer_a, state=Assessment.State.APPROVED, leader=world.leader_a, year=2024
    )
    client = world.client_for(world.national_admin)
    listing = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert 'field-status_year">2024<' in listing
    assert "2.024" not in listing
    assessments = client.get(reverse("admin:households_assessment_changelist")).content.decode()
    assert 'field-review_year">2024<' in assessments
    page = client.get(reverse("admin:households_assessment_change", args=[household.assessments.get().pk]))
    assert "2.024" not in page.content.decode()


def test_other_integers_keep_the_vietnamese_grouping():
    from django.contrib.admin.utils import display_for_field
    from django.utils import translation

    from households.models import PovertyStandard

    with translation.override("vi"):
        line = display_for_field(1500000, PovertyStandard._meta.get_field("poverty_line_rural"), "-")
        year = display_for_field(2021, PovertyStandard._meta.get_field("year_from"), "-")
    assert (line, year) == ("1.500.000", "2021")


def test_the_admin_audit_log_reads_in_vietnamese(world):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    with set_actor(world.officer_a):
        household = hf.household(world.officer_a, world.A)
        household.address = "Xóm Mới"
        household.save()
    entry = LogEntry.objects.get_for_object(household).filter(action=LogEntry.Action.UPDATE).latest("pk")
    client = world.client_for(world.national_admin)
    listing = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert "Lê Thị Hoa" in listing and ">Sửa<" in listing
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    assert "Xóm Mới" in page and "Lê Thị Hoa" in page
    assert "Updated" not in page and "Remote address" not in page and "mục đăng nhập" not in page
