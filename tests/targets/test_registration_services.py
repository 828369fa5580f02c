"""Registering households, recording help, proposing and confirming outcomes."""

from datetime import date

import pytest

from core.concurrency import ConcurrentEditError
from households.models import Assessment, PovertyClass
from targets import services
from targets.models import Outcome, Registration, SupportMeasure

from .factories import household

TODAY = date(2026, 6, 30)


def _register(world, item, **kwargs):
    return services.registration_create(
        organisation=kwargs.pop("organisation", world.union_p),
        household=item,
        year=kwargs.pop("year", 2026),
        user=world.union_officer_p,
        today=TODAY,
        **kwargs,
    )


def test_registering_records_the_class_measures_and_responsible_member(world):
    item = household(world.A, PovertyClass.POOR)
    measures = SupportMeasure.objects.filter(code__in=["vay-von-nhcsxh", "dao-tao-nghe"])
    registration = _register(
        world,
        item,
        circumstances="Chồng mất, nuôi 2 con nhỏ",
        needs="Vốn nuôi bò",
        measures=measures,
        responsible_member="Chi hội thôn Một",
    )
    assert registration.class_at_registration == PovertyClass.POOR
    assert registration.registered_on == TODAY
    assert set(registration.measures.values_list("code", flat=True)) == {"vay-von-nhcsxh", "dao-tao-nghe"}


def test_a_household_that_is_not_poor_or_near_poor_cannot_be_registered(world):
    item = household(world.A, PovertyClass.NOT_POOR)
    with pytest.raises(services.RegistrationError) as error:
        _register(world, item)
    assert "không phải hộ nghèo hay hộ cận nghèo trong năm 2026" in str(error.value)
    assert not Registration.objects.exists()


def test_the_same_organisation_registers_a_household_once_a_year(world):
    item = household(world.A, PovertyClass.NEAR_POOR)
    _register(world, item)
    with pytest.raises(services.RegistrationError) as error:
        _register(world, item)
    assert str(error.value) == "Hội LHPN tỉnh Thử đã đăng ký giúp hộ này trong năm 2026."
    # Another year, or another organisation, is another registration.
    _register(world, item, year=2027)
    from tests import factories as f

    farmers = f.OrganisationFactory(unit=world.P, kind="hnd", name="Hội Nông dân tỉnh Thử")
    _register(world, item, organisation=farmers)
    assert Registration.objects.count() == 3


def test_help_entries_keep_the_last_help_date(world):
    registration = _register(world, household(world.A))
    services.help_entry_add(
        registration=registration,
        kind="loan",
        value=30_000_000,
        date=date(2026, 3, 1),
        user=world.union_officer_p,
        today=TODAY,
    )
    later = services.help_entry_add(
        registration=registration,
        kind="livelihood",
        value=5_000_000,
        date=date(2026, 5, 2),
        user=world.union_officer_p,
        today=TODAY,
    )
    registration.refresh_from_db()
    assert registration.last_help_on == date(2026, 5, 2)
    services.help_entry_delete(entry=later, user=world.union_officer_p)
    registration.refresh_from_db()
    assert registration.last_help_on == date(2026, 3, 1)
    with pytest.raises(services.RegistrationError):
        services.help_entry_add(
            registration=registration,
            kind="loan",
            value=1,
            date=date(2026, 7, 1),
            user=world.union_officer_p,
            today=TODAY,
        )


def test_outcome_is_proposed_then_confirmed(world):
    registration = _register(world, household(world.A), registered_on=date(2026, 3, 20))
    with pytest.raises(services.RegistrationError) as error:
        services.registration_confirm_outcome(
            registration=registration,
            outcome=Outcome.ESCAPED_POVERTY,
            confirmed_on=TODAY,
            user=world.leader_a,
            expected_version=1,
            today=TODAY,
        )
    assert str(error.value) == "Tổ chức chưa đề xuất kết quả cho hộ này nên chưa xác nhận được."

    services.registration_propose_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        user=world.union_officer_p,
        expected_version=1,
    )
    services.registration_confirm_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        confirmed_on=date(2026, 6, 1),
        user=world.leader_a,
        expected_version=2,
        today=TODAY,
    )
    registration.refresh_from_db()
    assert (registration.confirmed_outcome, registration.confirmed_on, registration.confirmed_by) == (
        Outcome.ESCAPED_POVERTY,
        date(2026, 6, 1),
        world.leader_a,
    )

    with pytest.raises(services.RegistrationError) as error:
        services.registration_propose_outcome(
            registration=registration, outcome=Outcome.NOT_YET, user=world.union_officer_p, expected_version=3
        )
    assert str(error.value) == "Kết quả đã được xã xác nhận ngày 01/06/2026; không sửa được đề xuất nữa."


def test_confirming_an_escape_opens_the_households_regular_review_and_changes_no_status(world):
    item = household(world.A)
    registration = _register(world, item, registered_on=date(2026, 3, 20))
    services.registration_propose_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        user=world.union_officer_p,
        expected_version=1,
    )
    services.registration_confirm_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        confirmed_on=date(2026, 6, 1),
        user=world.leader_a,
        expected_version=2,
        today=TODAY,
    )
    review = item.assessments.get(state=Assessment.State.DRAFT)
    assert (review.kind, review.effective_date, review.review_year) == ("regular", date(2026, 6, 1), 2026)
    assert "xác nhận hộ được" in review.note and review.member_count == 4
    item.refresh_from_db()
    assert item.status_class == PovertyClass.POOR  # until a leader approves the review
    registration.refresh_from_db()
    assert registration.awaiting_review
    assert item.assessments.filter(state=Assessment.State.APPROVED).count() == 1


def test_confirming_not_yet_opens_no_review(world):
    item = household(world.A)
    registration = _register(world, item, registered_on=date(2026, 3, 20))
    services.registration_propose_outcome(
        registration=registration, outcome=Outcome.NOT_YET, user=world.union_officer_p, expected_version=1
    )
    services.registration_confirm_outcome(
        registration=registration,
        outcome=Outcome.NOT_YET,
        confirmed_on=date(2026, 6, 1),
        user=world.leader_a,
        expected_version=2,
        today=TODAY,
    )
    assert not item.assessments.exclude(state=Assessment.State.APPROVED).exists()


def test_outcome_must_fit_the_class_registered(world):
    registration = _register(world, household(world.A, PovertyClass.NEAR_POOR))
    with pytest.raises(services.RegistrationError) as error:
        services.registration_propose_outcome(
            registration=registration,
            outcome=Outcome.ESCAPED_POVERTY,
            user=world.union_officer_p,
            expected_version=1,
        )
    assert (
        str(error.value)
        == "Hộ đăng ký là hộ cận nghèo: kết quả chỉ có thể là “Thoát cận nghèo” hoặc “Chưa thoát”."
    )


@pytest.mark.parametrize(
    ("confirmed_on", "message"),
    [
        (date(2026, 7, 1), "Ngày xác nhận không được sau hôm nay."),
        (date(2026, 6, 29), "Ngày xác nhận không được trước ngày đăng ký (30/06/2026)."),
    ],
)
def test_confirmation_dates(world, confirmed_on, message):
    registration = _register(world, household(world.A))
    services.registration_propose_outcome(
        registration=registration, outcome=Outcome.NOT_YET, user=world.union_officer_p, expected_version=1
    )
    with pytest.raises(services.RegistrationError) as error:
        services.registration_confirm_outcome(
            registration=registration,
            outcome=Outcome.NOT_YET,
            confirmed_on=confirmed_on,
            user=world.leader_a,
            expected_version=2,
            today=TODAY,
        )
    assert str(error.value) == message


def test_a_stale_form_does_not_overwrite_a_newer_proposal(world):
    registration = _register(world, household(world.A))
    services.registration_propose_outcome(
        registration=registration, outcome=Outcome.NOT_YET, user=world.union_officer_p, expected_version=1
    )
    stale = Registration.objects.get(pk=registration.pk)
    with pytest.raises(ConcurrentEditError):
        services.registration_propose_outcome(
            registration=stale,
            outcome=Outcome.ESCAPED_POVERTY,
            user=world.union_officer_p,
            expected_version=1,
        )
    registration.refresh_from_db()
    assert registration.proposed_outcome == Outcome.NOT_YET
