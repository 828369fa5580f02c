"""The citizen ID agrees with the member it is recorded for (domain.md §7)."""

import pytest

from households.citizen_id import FEMALE, MALE, century_sex_digit, check_citizen_id, clean_number


@pytest.mark.parametrize(
    ("number", "sex", "birth_year"),
    [
        ("045085000123", MALE, 1985),  # Quảng Trị, man born 1985
        ("045185000123", FEMALE, 1985),  # woman born 1985
        ("048200000001", MALE, 2000),  # 2000s man: digit 2
        ("048310000001", FEMALE, 2010),  # 2000s woman: digit 3
        ("001099123456", MALE, 1999),
        ("096199999999", FEMALE, 1999),  # the last province code
        ("079400000001", MALE, 2100),  # 2100s: digit 4
        ("079500000001", FEMALE, 2100),
        ("045 085 000 123", MALE, 1985),  # spaces as people type them
        ("045.085.000.123", MALE, 1985),
        ("", MALE, 1985),  # no number yet
        (None, FEMALE, 1990),
    ],
)
def test_numbers_that_agree_with_the_member_are_accepted(number, sex, birth_year):
    check = check_citizen_id(number, sex=sex, birth_year=birth_year)
    assert check.ok, check.errors
    assert not check.warnings


@pytest.mark.parametrize(
    ("number", "sex", "birth_year", "message"),
    [
        ("045185000123", MALE, 1985, "Chữ số thứ 4 (1) là của người nữ"),
        ("045085000123", FEMALE, 1985, "Chữ số thứ 4 (0) là của người nam"),
        ("045086000123", MALE, 1985, "cho năm sinh 1986"),
        ("045285000123", MALE, 1985, "cho năm sinh 2085"),  # right sex, wrong century
        ("045000000123", MALE, 2000, "cho năm sinh 1900"),  # born 2000 needs digit 2, not 0
        ("04508500012", MALE, 1985, "phải có 12 chữ số (đã nhập 11"),
        ("0450850001234", MALE, 1985, "phải có 12 chữ số (đã nhập 13"),
        ("04508500012A", MALE, 1985, "chỉ gồm chữ số"),
        ("000085000123", MALE, 1985, "từ 001 đến 096"),
        ("097085000123", MALE, 1985, "từ 001 đến 096"),
        ("999085000123", MALE, 1985, "từ 001 đến 096"),
    ],
)
def test_numbers_that_disagree_are_refused_with_the_reason(number, sex, birth_year, message):
    check = check_citizen_id(number, sex=sex, birth_year=birth_year)
    assert not check.ok
    assert any(message in error for error in check.errors), check.errors


def test_both_sex_and_year_mismatches_are_reported_together():
    check = check_citizen_id("045186000123", sex=MALE, birth_year=1985)
    assert len(check.errors) == 2


@pytest.mark.parametrize("province", ["003", "005", "050", "090"])
def test_an_unlisted_province_code_inside_the_range_only_warns(province):
    check = check_citizen_id(f"{province}085000123", sex=MALE, birth_year=1985)
    assert check.ok
    assert any(province in warning for warning in check.warnings)


@pytest.mark.parametrize(
    ("birth_year", "accepted"),
    [(1960, True), (2006, True), (2007, True), (2008, False), (2015, False), (None, True)],
)
def test_old_nine_digit_cards_only_for_people_old_enough_to_have_had_one(birth_year, accepted):
    check = check_citizen_id("197123456", sex=MALE, birth_year=birth_year)
    assert check.ok is accepted
    if accepted:
        assert any("9 chữ số" in warning for warning in check.warnings)
    else:
        assert "12 chữ số" in check.errors[0]


@pytest.mark.parametrize(
    ("sex", "year", "digit"),
    [
        (MALE, 1900, 0),
        (FEMALE, 1999, 1),
        (MALE, 2000, 2),
        (FEMALE, 2099, 3),
        (MALE, 2100, 4),
        (FEMALE, 2300, 9),
    ],
)
def test_century_and_sex_digit(sex, year, digit):
    assert century_sex_digit(sex, year) == digit


def test_clean_number_keeps_digits_and_letters():
    assert clean_number(" 045-085 000.123 ") == "045085000123"
    assert clean_number("") == ""
