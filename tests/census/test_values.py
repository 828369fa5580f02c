"""Cells as communes type them."""

import pytest

from households.census import values as v
from households.people import birth_year_error


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
        (1499999.6, 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("1.500.000 đồng", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1,5 triệu", 1_500_000),
        ("1.500", 1_500),
        (" 700.000 ", 700_000),
        ("0", 0),
        ("1.500.000,4", 1_500_000),
    ],
)
def test_numbers_typed_as_text_with_vietnamese_separators(cell, expected):
    assert v.number(cell, what="Thu nhập") == expected


@pytest.mark.parametrize("cell", ["abc", "1.5.0", "-200000", "một triệu", True])
def test_what_is_not_a_number_is_refused_with_a_vietnamese_message(cell):
    with pytest.raises(v.CellError) as error:
        v.number(cell, what="Thu nhập")
    assert "Thu nhập" in str(error.value)


@pytest.mark.parametrize("cell", [1.000000062271131e28, 1e300, "1" + "0" * 40 + ",5", "9" * 60 + ".5"])
def test_a_huge_number_is_out_of_bounds_not_a_crash(cell):
    """Found by the property test: 1e+28 in the member-count cell raised decimal.InvalidOperation."""
    with pytest.raises(v.CellError) as error:
        v.bounded(cell, what="Số nhân khẩu", low=1, high=50)
    assert "Số nhân khẩu" in str(error.value) and "phải từ 1 đến 50" in str(error.value)


@pytest.mark.parametrize("cell", ["x", "X", 1, 1.0, "1", "có", "Có", "CÓ", True])
def test_deprived_marks(cell):
    assert v.deprived(cell, indicator="Bảo hiểm y tế") is True


@pytest.mark.parametrize("cell", [None, "", "  ", 0, "0", "không", "Không", False])
def test_not_deprived_marks(cell):
    assert v.deprived(cell, indicator="Bảo hiểm y tế") is False


@pytest.mark.parametrize("cell", ["y", "2", 2, "thiếu"])
def test_other_marks_are_errors_naming_the_indicator(cell):
    with pytest.raises(v.CellError) as error:
        v.deprived(cell, indicator="Bảo hiểm y tế")
    assert "Bảo hiểm y tế" in str(error.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Hộ nghèo", "poor"),
        ("nghèo", "poor"),
        ("N2", "poor"),
        ("Hộ cận nghèo", "near_poor"),
        ("cận nghèo", "near_poor"),
        ("Hộ có mức sống trung bình", "medium"),
        ("Hộ không nghèo", "not_poor"),
        ("HỘ NGHÈO", "poor"),
    ],
)
def test_commune_class_labels(cell, expected):
    assert v.poverty_class(cell) == expected


def test_citizen_id_that_lost_its_leading_zero_in_excel_is_padded():
    assert v.citizen_id(45070001234) == "045070001234"
    assert v.citizen_id("045070001234") == "045070001234"
    assert v.citizen_id("045 070 001 234") == "045070001234"
    with pytest.raises(v.CellError):
        v.citizen_id("12345")


@pytest.mark.parametrize(
    ("cell", "expected"), [(1975, 1975), ("1975", 1975), ("05/03/1975", 1975), (27459, 1975)]
)
def test_birth_year_from_a_year_a_typed_date_or_an_excel_date(cell, expected):
    assert v.birth_year(cell, review_year=2024) == expected


def test_birth_year_after_the_review_year_is_refused_by_the_rule_of_every_entry():
    with pytest.raises(v.CellError) as error:
        v.birth_year(2030, review_year=2024)
    assert str(error.value) == birth_year_error(2030, latest=2024)


def test_lists_are_matched_by_name_part_or_code():
    names = {
        "ho co nguoi co cong": 1,
        "nguoi co cong": 1,
        "ho thuoc doi tuong bao tro xa hoi": 2,
        "bao tro xa hoi": 2,
    }
    assert v.lookup_list("Người có công; bảo trợ xã hội", names=names, what="Đối tượng") == (1, 2)
    assert v.lookup_list("", names=names, what="Đối tượng") == ()
    with pytest.raises(v.CellError):
        v.lookup_list("Hộ giàu", names=names, what="Đối tượng")
