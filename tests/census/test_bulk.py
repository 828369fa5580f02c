"""The set-based writes: what the database refuses surfaces as Django's IntegrityError, also when
the inserts run in a second thread (PostgreSQL), and an import that collides with a concurrent
write reports it and writes nothing."""

import pytest
from django.db import IntegrityError, transaction

from households.census import bulk, services
from households.census.apply import apply_plan
from households.census.services import CONFLICT, census_import
from households.models import Assessment, Household, Member, PolicyGroup
from tests import factories as f
from tests.census import files


def test_an_insert_the_database_refuses_raises_integrity_error_from_the_pipeline(camlo):
    household = f.HouseholdFactory(commune=camlo.tuyen)
    group = PolicyGroup.objects.first()
    through = Household.policy_groups.through
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.pipelined():
        bulk.insert(through, ("household_id", "policygroup_id"), [(household.pk, group.pk)] * 2)
        bulk.wait()
    assert not through.objects.exists()


def test_rows_submitted_in_several_batches_are_all_written(camlo, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 3)
    monkeypatch.setattr(bulk, "COPY_CHUNK", 3)
    households = [f.HouseholdFactory(commune=camlo.tuyen) for _ in range(4)]
    groups = list(PolicyGroup.objects.order_by("pk")[:2])
    through = Household.policy_groups.through
    rows = [(h.pk, g.pk) for h in households for g in groups]
    with transaction.atomic(), bulk.pipelined():
        assert bulk.insert(through, ("household_id", "policygroup_id"), rows) == 8
    assert sorted(through.objects.values_list("household_id", "policygroup_id")) == sorted(rows)


def test_an_import_colliding_with_a_concurrent_write_reports_it_and_writes_nothing(camlo, monkeypatch):
    data = files.simple([files.Household(f"H{i}", commune_code="19600") for i in range(1, 6)], 2020)

    def meanwhile(plan, **kwargs):
        f.HouseholdFactory(commune=camlo.tuyen, code="H4")  # another import got there first
        return apply_plan(plan, **kwargs)

    monkeypatch.setattr(services, "apply_plan", meanwhile)
    report = census_import(data=data, year=2020, user=camlo.admin)
    assert not report.written and [e.message for e in report.errors] == [CONFLICT]
    assert list(Household.objects.values_list("code", flat=True)) == ["H4"]
    assert not Assessment.objects.exists() and not Member.objects.exists()
