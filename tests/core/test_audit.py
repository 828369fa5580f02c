"""The audit trail: every change made in a request names its author; the administrator's audit
page shows the changes in their scope, with filters; a record's page shows its history."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from units.models import AdministrativeUnit, Level

AUDIT = reverse("audit_list")


@pytest.fixture
def changes(world):
    """One household changed in A (province P), one in C (province Q), one in OA (the old
    province of P), each by a named person."""
    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    homes = {}
    for name, commune, actor in (
        ("A", world.A, world.officer_a),
        ("C", world.C, world.outsider),
        ("OA", world.OA, world.national_admin),
    ):
        with set_actor(actor):
            home = f.HouseholdFactory(commune=commune, head_name=f"Chủ hộ {name}", address="Cũ")
            home.address = f"Địa chỉ mới {name}"
            home.save()
        homes[name] = home
    return homes


def _listed(response) -> set[str]:
    return {entry.object_repr for entry in response.context["page"].object_list}


def _households(names) -> set[str]:
    return {entry for entry in names if "Chủ hộ" in entry}


def test_province_administrator_sees_the_changes_in_their_province_and_its_old_units(world, changes):
    response = world.client_for(world.admin_p).get(AUDIT)
    assert response.status_code == 200
    assert _households(_listed(response)) == {str(changes["A"]), str(changes["OA"])}


def test_national_administrator_sees_every_change(world, changes):
    response = world.client_for(world.national_admin).get(AUDIT)
    assert _households(_listed(response)) == {str(home) for home in changes.values()}


@pytest.mark.parametrize(
    "persona", ["officer_a", "leader_a", "province_officer", "union_officer_p", "nobody"]
)
def test_people_without_the_audit_permission_get_404(world, persona):
    assert world.client_for(getattr(world, persona)).get(AUDIT).status_code == 404


def test_filter_by_kind_of_record(world, changes):
    household = ContentType.objects.get(app_label="households", model="household")
    response = world.client_for(world.national_admin).get(AUDIT, {"model": household.pk})
    entries = response.context["page"].object_list
    assert entries and {e.content_type_id for e in entries} == {household.pk}


def test_filter_by_author_name_family_name_first(world, changes):
    response = world.client_for(world.national_admin).get(AUDIT, {"actor": "Lê Thị Hoa"})
    assert _listed(response) == {str(changes["A"])}
    response = world.client_for(world.national_admin).get(AUDIT, {"actor": "officer_a"})
    assert _listed(response) == {str(changes["A"])}


def test_filter_by_action(world, changes):
    response = world.client_for(world.national_admin).get(
        AUDIT, {"action": LogEntry.Action.UPDATE, "record": "Chủ hộ"}
    )
    entries = response.context["page"].object_list
    assert len(entries) == 3 and {e.action for e in entries} == {LogEntry.Action.UPDATE}


def test_filter_by_record(world, changes):
    response = world.client_for(world.national_admin).get(AUDIT, {"record": "Chủ hộ C"})
    assert _listed(response) == {str(changes["C"])}


def test_filter_by_dates_in_vietnamese_format(world, changes):
    LogEntry.objects.filter(object_repr=str(changes["C"])).update(
        timestamp=timezone.now() - timedelta(days=40)
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    client = world.client_for(world.national_admin)
    recent = _households(_listed(client.get(AUDIT, {"date_from": today})))
    assert recent == {str(changes["A"]), str(changes["OA"])}
    old_day = (timezone.localdate() - timedelta(days=40)).strftime("%d/%m/%Y")
    old = _households(_listed(client.get(AUDIT, {"date_from": old_day, "date_to": old_day})))
    assert old == {str(changes["C"])}


def test_an_invalid_date_lists_nothing_and_says_how_to_write_it(world, changes):
    response = world.client_for(world.national_admin).get(AUDIT, {"date_from": "2024-13-45"})
    assert not response.context["page"].object_list
    assert "dd/mm/yyyy" in response.content.decode()


def test_audit_page_names_authors_family_name_first_and_shows_before_and_after(world, changes):
    page = world.client_for(world.admin_p).get(AUDIT, {"record": "Chủ hộ A"}).content.decode()
    assert "Lê Thị Hoa" in page
    assert "Địa chỉ mới A" in page and "Cũ" in page


def test_history_panel_shows_who_changed_what_before_and_after(world, changes):
    html = Template("{% load history %}{% history_panel object %}").render(Context({"object": changes["A"]}))
    assert "Lịch sử thay đổi" in html
    assert "Lê Thị Hoa" in html
    assert "Cũ" in html and "Địa chỉ mới A" in html
    assert html.index("Địa chỉ mới A") > html.index("Cũ"), "before comes before after"
    assert "Sửa" in html and "Tạo mới" in html  # actions in Vietnamese
    assert "None" not in html and "households.Member" not in html, "internal values leak into the panel"
    assert "Phiên bản" not in html and "Version" not in html
    assert ">Không<" in html  # booleans in words


def test_history_panel_of_a_record_without_changes(world):
    LogEntry.objects.all().delete()
    html = Template("{% load history %}{% history_panel object %}").render(Context({"object": world.Q}))
    assert "Chưa có thay đổi nào được ghi nhận" in html


def test_history_panel_ids_are_plain_numbers(world, changes):
    LogEntry.objects.all().delete()
    AdministrativeUnit.objects.filter(pk=world.A1.pk).update(id=12345)
    village = AdministrativeUnit.objects.get(pk=12345)
    html = Template("{% load history %}{% history_panel object %}").render(Context({"object": village}))
    assert 'id="history-12345"' in html


def test_a_change_made_in_a_request_records_its_author_and_address(world):
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("units:village_create", args=[world.A.pk]),
        {"name": "Thôn Hai", "kind": "thon"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    village = AdministrativeUnit.objects.get(parent=world.A, name="Thôn Hai", level=Level.VILLAGE)
    entry = LogEntry.objects.get_for_object(village).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == world.officer_a
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["commune"] == world.A.pk
    # The new village's creation is in the province administrator's audit page.
    assert "Thôn Hai" in _listed(world.client_for(world.admin_p).get(AUDIT))


def test_a_change_outside_a_request_has_no_author_unless_set(world):
    village = f.village(world.A, name="Thôn Ba")
    assert LogEntry.objects.get_for_object(village).get().actor is None


def test_history_panel_shows_many_to_many_changes(world, changes):
    from households.models import PolicyGroup

    group = PolicyGroup.objects.first()
    with set_actor(world.officer_a):
        changes["A"].policy_groups.add(group)
    html = Template("{% load history %}{% history_panel object %}").render(Context({"object": changes["A"]}))
    assert f"Thêm: {group}" in html


def test_history_reads_people_money_and_indicators_as_people_do(world):
    """Users by name (not their login), amounts grouped (1.250.000), years plain, deprivations by name."""
    from households.models import Assessment
    from tests.households import factories as hf

    world.officer_a.first_name, world.officer_a.last_name = "Hoa", "Lê Thị"
    world.officer_a.save()
    with set_actor(world.officer_a):
        household = hf.household(world.officer_a, world.A)
        assessment = hf.assessment(household, world.officer_a, state=Assessment.State.SUBMITTED, year=2024)
    html = Template("{% load history %}{% history_panel object %}").render(Context({"object": assessment}))
    assert "Lê Thị Hoa" in html and world.officer_a.username not in html
    assert f"{assessment.income_per_capita:,}".replace(",", ".") in html  # e.g. 1.000.000
    assert ">2024<" in html
    deprived = [
        i.name for i in assessment.standard.indicators.all() if assessment.deprived_mask & 1 << (i.order - 1)
    ]
    assert deprived and ", ".join(deprived) in html
    assert f">{assessment.deprived_mask}<" not in html


def test_the_audit_filter_names_actions_in_vietnamese(world):
    page = world.client_for(world.national_admin).get(AUDIT).content.decode()
    assert ">Tạo mới<" in page and ">Sửa<" in page and ">Xóa<" in page
    assert ">create<" not in page and ">update<" not in page
