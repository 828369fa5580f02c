"""The source tables typed as printed (tests compare the product with them)."""

from decimal import Decimal

from targets.checks import Stated

# KH 44/KH-UBND Cam Lộ, 2021: name, 1 households, 2 poor, 3 rate, 4 policy, 5 rate, 6 social
# protection ("HN cứng"), 7 rate, 8 reduce, 9 rate, 10 year-end poor, 11 rate.
CAM_LO_2021 = [
    ("Xã Cam Tuyền", 1458, 99, "6,79", 44, "3,02", 55, "3,77", 17, "1,17", 82, "5,62"),
    ("Xã Thanh An", 2706, 99, "3,66", 16, "0,59", 83, "3,07", 6, "0,22", 93, "3,44"),
    ("Xã Cam Thủy", 1472, 43, "2,92", 7, "0,48", 36, "2,45", 5, "0,34", 38, "2,58"),
    ("Xã Cam Hiếu", 1779, 37, "2,08", 10, "0,56", 27, "1,52", 5, "0,28", 32, "1,80"),
    ("Xã Cam Thành", 2212, 38, "1,72", 1, "0,05", 37, "1,67", 1, "0,05", 37, "1,67"),
    ("TT Cam Lộ", 2169, 29, "1,76", 0, "0,00", 38, "1,75", 2, "0,09", 27, "1,64"),
    ("Xã Cam Nghĩa", 1647, 38, "1,75", 1, "0,06", 28, "1,70", 1, "0,06", 37, "1,71"),
    ("Xã Cam Chính", 1489, 22, "1,48", 0, "0,00", 22, "1,48", 0, "0,00", 22, "1,48"),
]
CAM_LO_2021_TOTAL = ("Tổng cộng", 14932, 405, "2,71", 79, "0,53", 326, "2,18", 37, "0,25", 368, "2,46")
CAM_LO_INCONSISTENT = {"TT Cam Lộ", "Xã Cam Nghĩa"}

KEYS = (
    "households",
    "poor",
    "poor_rate",
    "poor_policy",
    "poor_policy_rate",
    "poor_social_protection",
    "poor_social_protection_rate",
    "reduce_poor",
    "reduce_rate",
    "year_end_poor",
    "year_end_rate",
)


def as_values(row) -> dict:
    """A typed row as the checks take it: counts as ints, rates as Stated."""
    values = {}
    for key, cell in zip(KEYS, row[1:], strict=True):
        if isinstance(cell, str):
            values[key] = Stated(Decimal(cell.replace(",", ".")), len(cell.partition(",")[2]))
        else:
            values[key] = cell
    return values


# KH 12/KH-BTV Đà Nẵng Women's Union, 2017: district, locality poor, near-poor, Union PNN, PNCN.
DA_NANG_2017 = [
    ("Hải Châu", 420, 350, 84, 70),
    ("Thanh Khê", 520, 350, 104, 70),
    ("Sơn Trà", 820, 370, 164, 74),
    ("Ngũ Hành Sơn", 380, 350, 76, 70),
    ("Cẩm Lệ", 580, 250, 116, 50),
    ("Liên Chiểu", 870, 350, 174, 70),
    ("Hòa Vang", 810, 280, 162, 56),
]
DA_NANG_2017_TOTAL = (4400, 2300, 880, 460)
