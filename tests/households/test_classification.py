"""The classification against every vector of domain.md §8 and each threshold at −1, 0, +1 đồng,
for both areas and all three standards. The numbers come from the migration that loads the
standards, so these tests also prove the loaded data says what the legal texts say."""

import importlib

import pytest

from households.classification import (
    DEPRIVATION,
    INCOME,
    MEDIUM,
    NEAR_POOR,
    NOT_POOR,
    POOR,
    ClassificationError,
    Lines,
    StandardRules,
    classify,
    lines_for,
)

_seed = importlib.import_module("households.migrations.0002_standards_and_lookups")


def _rules(code: str) -> StandardRules:
    data = next(s for s in _seed.STANDARDS if s["code"] == code)
    return StandardRules(
        rule=data["rule"],
        poverty_line={"rural": data["poverty_line_rural"], "urban": data["poverty_line_urban"]},
        near_poverty_line={
            "rural": data["near_poverty_line_rural"],
            "urban": data["near_poverty_line_urban"],
        },
        medium_upper={"rural": data["medium_upper_rural"], "urban": data["medium_upper_urban"]},
        deprivation_threshold=data["deprivation_threshold"],
        indicators={code: name for _dim, code, name, _def in data["indicators"]},
        name=data["legal_basis"],
    )


QD59 = _rules("qd59-2015")
ND07 = _rules("nd07-2021")
ND351 = _rules("nd351-2025")
STANDARDS = {"qd59": QD59, "nd07": ND07, "nd351": ND351}


def deprived(rules: StandardRules, count: int) -> list[str]:
    return list(rules.indicators)[:count]


N1 = (POOR, INCOME)
N2 = (POOR, DEPRIVATION)
P = (POOR, "")
NEAR = (NEAR_POOR, "")
MED = (MEDIUM, "")
NOT = (NOT_POOR, "")

# domain.md §8: (no, area, income, deprivations, QĐ 59, NĐ 07, NĐ 351)
VECTORS = [
    (1, "rural", 700_000, 0, N1, NEAR, NEAR),
    (2, "rural", 700_001, 3, N2, P, P),
    (3, "rural", 700_001, 2, NEAR, NEAR, NEAR),
    (4, "rural", 1_000_000, 3, N2, P, P),
    (5, "rural", 1_000_001, 5, MED, P, P),
    (6, "rural", 1_500_000, 3, MED, P, P),
    (7, "rural", 1_500_000, 2, MED, NEAR, NEAR),
    (8, "rural", 1_500_001, 4, NOT, MED, P),
    (9, "rural", 2_200_000, 3, NOT, MED, P),
    (10, "rural", 2_200_001, 6, NOT, MED, NOT),
    (11, "rural", 2_250_000, 0, NOT, MED, NOT),
    (12, "rural", 2_250_001, 0, NOT, NOT, NOT),
    (13, "urban", 900_000, 0, N1, NEAR, NEAR),
    (14, "urban", 1_300_000, 3, N2, P, P),
    (15, "urban", 1_300_001, 3, MED, P, P),
    (16, "urban", 2_000_000, 2, NOT, NEAR, NEAR),
    (17, "urban", 2_000_001, 3, NOT, MED, P),
    (18, "urban", 2_800_000, 3, NOT, MED, P),
    (19, "urban", 3_000_000, 5, NOT, MED, NOT),
    (20, "urban", 3_000_001, 0, NOT, NOT, NOT),
    (21, "rural", 0, 0, N1, NEAR, NEAR),
    (22, "urban", 950_000, 10, N2, P, P),
]


@pytest.mark.parametrize(("no", "area", "income", "count", "qd59", "nd07", "nd351"), VECTORS)
def test_domain_vectors(no, area, income, count, qd59, nd07, nd351):
    for rules, expected in ((QD59, qd59), (ND07, nd07), (ND351, nd351)):
        result = classify(rules, area, income, deprived(rules, count))
        assert (result.poverty_class, result.group) == expected, f"vector {no} under {rules.name}"


def test_vector_2_uses_the_named_indicators():
    codes = ["bao-hiem-y-te", "nha-tieu", "nguon-nuoc"]
    assert (
        classify(QD59, "rural", 700_001, codes).poverty_class,
        classify(ND07, "rural", 700_001, codes).poverty_class,
    ) == (
        POOR,
        POOR,
    )
    assert classify(ND07, "rural", 700_001, codes[:2]).poverty_class == NEAR_POOR


def test_area_switch_at_1_800_000_with_three_deprivations():
    three = deprived(ND07, 3)
    assert classify(ND07, "rural", 1_800_000, three).poverty_class == MEDIUM
    assert classify(ND07, "urban", 1_800_000, three).poverty_class == POOR
    assert classify(ND351, "rural", 1_800_000, three).poverty_class == POOR
    assert classify(ND351, "urban", 1_800_000, three).poverty_class == POOR


# Each threshold at −1, 0 and +1 đồng, both areas: (standard, area, line, deprivations, below/at, above).
THRESHOLDS = [
    # QĐ 59/2015: the poverty line (N1 at or below, then the near band decides on deprivations).
    ("qd59", "rural", 700_000, 0, N1, NEAR),
    ("qd59", "rural", 700_000, 3, N1, N2),
    ("qd59", "urban", 900_000, 0, N1, NEAR),
    ("qd59", "urban", 900_000, 3, N1, N2),
    # QĐ 59/2015: the near-poverty line.
    ("qd59", "rural", 1_000_000, 3, N2, MED),
    ("qd59", "rural", 1_000_000, 2, NEAR, MED),
    ("qd59", "urban", 1_300_000, 3, N2, MED),
    ("qd59", "urban", 1_300_000, 0, NEAR, MED),
    # QĐ 59/2015: the medium band's upper bound (UNCONFIRMED values, editable).
    ("qd59", "rural", 1_500_000, 0, MED, NOT),
    ("qd59", "urban", 1_950_000, 4, MED, NOT),
    # NĐ 07/2021: the poverty line.
    ("nd07", "rural", 1_500_000, 3, P, MED),
    ("nd07", "rural", 1_500_000, 2, NEAR, MED),
    ("nd07", "urban", 2_000_000, 3, P, MED),
    ("nd07", "urban", 2_000_000, 0, NEAR, MED),
    # NĐ 07/2021: the medium band.
    ("nd07", "rural", 2_250_000, 5, MED, NOT),
    ("nd07", "urban", 3_000_000, 0, MED, NOT),
    # NĐ 351/2025: the poverty line; no medium band is known.
    ("nd351", "rural", 2_200_000, 3, P, NOT),
    ("nd351", "rural", 2_200_000, 2, NEAR, NOT),
    ("nd351", "urban", 2_800_000, 3, P, NOT),
    ("nd351", "urban", 2_800_000, 1, NEAR, NOT),
]


@pytest.mark.parametrize(("standard", "area", "line", "count", "at_or_below", "above"), THRESHOLDS)
def test_thresholds_minus_one_zero_plus_one(standard, area, line, count, at_or_below, above):
    rules = STANDARDS[standard]
    codes = deprived(rules, count)

    def outcome(income):
        result = classify(rules, area, income, codes)
        return (result.poverty_class, result.group)

    assert outcome(line - 1) == at_or_below
    assert outcome(line) == at_or_below
    assert outcome(line + 1) == above


@pytest.mark.parametrize("standard", ["qd59", "nd07", "nd351"])
@pytest.mark.parametrize("area", ["rural", "urban"])
def test_deprivation_count_threshold_is_three_inclusive(standard, area):
    rules = STANDARDS[standard]
    income = rules.poverty_line[area] if standard != "qd59" else rules.poverty_line[area] + 1
    assert classify(rules, area, income, deprived(rules, 2)).poverty_class == NEAR_POOR
    assert classify(rules, area, income, deprived(rules, 3)).poverty_class == POOR


def test_reasons_read_as_the_issue_example():
    result = classify(ND07, "rural", 1_450_000, ["bao-hiem-y-te", "nguon-nuoc", "nha-tieu"])
    assert result.reason_text == (
        "Thu nhập 1.450.000 đ/người/tháng ≤ chuẩn nghèo nông thôn 1.500.000 đ; "
        "thiếu hụt 3 chỉ số: Bảo hiểm y tế, Nguồn nước sinh hoạt, Nhà tiêu hợp vệ sinh"
    )
    assert result.label == "Hộ nghèo"


def test_reasons_name_the_n1_and_n2_groups():
    assert "N1" in classify(QD59, "rural", 650_000, []).reason_text
    n2 = classify(QD59, "urban", 1_000_000, deprived(QD59, 4))
    assert n2.group_label == "N2" and "N2" in n2.reason_text
    assert "thiếu hụt 4 chỉ số" in n2.reason_text


def test_reasons_for_near_poor_medium_and_not_poor():
    near = classify(ND07, "urban", 1_999_999, ["bao-hiem-y-te"])
    assert near.reason_text == (
        "Thu nhập 1.999.999 đ/người/tháng ≤ chuẩn nghèo thành thị 2.000.000 đ; thiếu hụt 1 chỉ số (dưới 3): Bảo hiểm y tế"
    )
    medium = classify(ND07, "rural", 2_000_000, [])
    assert medium.reason_text == (
        "Thu nhập 2.000.000 đ/người/tháng > chuẩn nghèo nông thôn 1.500.000 đ và ≤ mức sống trung bình 2.250.000 đ"
    )
    assert classify(ND07, "rural", 2_250_001, []).reason_text == (
        "Thu nhập 2.250.001 đ/người/tháng > mức sống trung bình nông thôn 2.250.000 đ"
    )
    assert "chưa quy định mức sống trung bình" in classify(ND351, "rural", 2_300_000, []).reason_text


def test_deprived_indicators_come_back_in_legal_order():
    result = classify(ND07, "rural", 1_000_000, ["nha-tieu", "viec-lam", "bao-hiem-y-te"])
    assert result.deprived == ("viec-lam", "bao-hiem-y-te", "nha-tieu")
    assert result.deprived_count == 3


@pytest.mark.parametrize(
    ("area", "income", "codes"),
    [("suburb", 1_000_000, []), ("rural", -1, []), ("rural", 1_000_000, ["khong-co"])],
)
def test_bad_inputs_are_refused(area, income, codes):
    with pytest.raises(ClassificationError):
        classify(ND07, area, income, codes)


def test_information_assets_indicator_needs_both_conditions_in_its_definition():
    data = next(s for s in _seed.STANDARDS if s["code"] == "qd59-2015")
    definition = {code: text for _d, code, _n, text in data["indicators"]}["tai-san-thong-tin"]
    assert "VÀ không nghe được" in definition


@pytest.mark.django_db
def test_rules_loaded_from_the_database_match_the_seed():
    from households.models import PovertyStandard

    for code, rules in (("qd59-2015", QD59), ("nd07-2021", ND07), ("nd351-2025", ND351)):
        assert PovertyStandard.objects.get(code=code).rules() == rules


@pytest.mark.parametrize(
    ("standard", "area", "expected"),
    [
        ("qd59", "rural", Lines(700_000, 1_000_000, 1_500_000, 3)),
        ("qd59", "urban", Lines(900_000, 1_300_000, 1_950_000, 3)),
        ("nd07", "rural", Lines(1_500_000, None, 2_250_000, 3)),
        ("nd07", "urban", Lines(2_000_000, None, 3_000_000, 3)),
        ("nd351", "rural", Lines(2_200_000, None, None, 3)),
        ("nd351", "urban", Lines(2_800_000, None, None, 3)),
    ],
)
def test_the_lines_a_household_is_compared_with(standard, area, expected):
    assert lines_for(STANDARDS[standard], area) == expected


def test_a_near_poverty_line_counts_only_under_the_2016_shape():
    shaped = StandardRules(**{**ND07.__dict__, "near_poverty_line": {"rural": 1_800_000, "urban": 2_400_000}})
    assert lines_for(shaped, "rural").near_poverty is None
    with pytest.raises(ClassificationError):
        lines_for(ND07, "mountain")
