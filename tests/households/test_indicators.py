"""The one encoder of deprivation indicators as bits (households/indicators.py)."""

import pytest

from households import indicators

ORDERS = {"a": 1, "b": 2, "c": 5, "d": 12}


@pytest.mark.parametrize(
    ("codes", "mask"),
    [([], 0), (["a"], 1), (["b"], 2), (["c"], 16), (["d"], 2048), (["a", "d"], 2049), (["a", "a"], 1)],
)
def test_encode_and_decode_are_inverse(codes, mask):
    assert indicators.encode(codes, ORDERS) == mask
    assert indicators.decode(mask, sorted(ORDERS.items(), key=lambda kv: kv[1])) == sorted(set(codes))


def test_the_bit_of_order_n_is_bit_n_minus_one():
    assert [indicators.bit(n) for n in (1, 2, 3, 30)] == [1, 2, 4, 1 << 29]
