"""The deprivation indicators an assessment records, as bits of `Assessment.deprived_mask`: the
indicator of order n (1-based, the order of the legal text) is bit n − 1. The one encoder and
decoder; pure (callers pass the standard's (code, order) pairs)."""

from collections.abc import Iterable


def bit(order: int) -> int:
    """The bit of the indicator of this order."""
    return 1 << (order - 1)


def encode(codes: Iterable[str], orders: dict[str, int]) -> int:
    """The mask of the indicators named by `codes` (`orders`: code → order of the standard)."""
    return sum(bit(orders[code]) for code in set(codes))


def decode(mask: int, pairs: Iterable[tuple[object, int]]) -> list:
    """The keys (codes, names…) of `pairs` ((key, order), in the standard's order) set in `mask`."""
    return [key for key, order in pairs if mask & bit(order)]
