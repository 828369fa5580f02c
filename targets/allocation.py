"""Pure rules for handing a target down the tree: proportional distribution with largest-remainder
rounding, an organisation's share of a locality's target, and the check that children add up.

No ORM, no dates, no floats: integer and Decimal arithmetic only, so the same inputs always give
the same households on every machine."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` into whole numbers proportional to `weights` that add up to `total` exactly.

    Hamilton's method: each child gets the whole part of its quota total × weight ÷ Σweights, and
    the households left over go one each to the largest remainders; equal remainders go to the
    larger weight, then to the earlier row (so the result never depends on dictionary order).
    A child with weight 0 always gets 0. When every weight is 0 (no child has a poor household in
    its baseline) there is nothing to be proportional to: every share is 0 and the caller must say
    so, since the shares then fall short of `total`."""
    if total < 0:
        raise ValueError("total must not be negative")
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if not weights or weight_sum == 0:
        return [0] * len(weights)
    numerators = [total * weight for weight in weights]
    shares = [numerator // weight_sum for numerator in numerators]
    remainders = [numerator % weight_sum for numerator in numerators]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for index in order[:left]:
        shares[index] += 1
    return shares


def parse_percent(value) -> Decimal:
    """A share percentage between 0 and 100 as a Decimal ("20", "20,5", 20 → Decimal)."""
    try:
        percent = Decimal(str(value).strip().replace(",", ".").rstrip("%").strip())
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not a percentage: {value!r}") from error
    if not percent.is_finite() or percent < 0 or percent > 100:
        raise ValueError(f"percentage out of range: {value!r}")
    return percent


def share_of(value: int, percent) -> int:
    """An organisation's share of a locality's target, in whole households.

    value × percent ÷ 100 rounded half-up (x,5 goes up), the way officials round by hand. In the
    Đà Nẵng Women's Union plan of 2017 every cell is 20 % of the locality's figure beside it
    (420 → 84, 350 → 70, 370 → 74 …) and every product happens to be whole, so half-up, ceiling
    and floor all reproduce it; half-up is the rule that stays closest to the stated percentage
    when a product is not whole. Totals are the sum of the rows (see `shares_with_total`)."""
    if value < 0:
        raise ValueError("value must not be negative")
    exact = Decimal(value) * parse_percent(percent) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def shares_with_total(values: Sequence[int], percent) -> tuple[list[int], int]:
    """Each row's share and the total row, which is the sum of the rows' shares — as in the source
    table, where 880 = 84 + 104 + … + 162 (it equals 20 % of 4.400 there, but need not in general)."""
    shares = [share_of(value, percent) for value in values]
    return shares, sum(shares)


@dataclass(frozen=True)
class Balance:
    """Whether children's targets add up to their parent's: difference = Σchildren − parent."""

    parent: int
    children: int

    @property
    def difference(self) -> int:
        return self.children - self.parent

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def balance(parent: int, children: Sequence[int]) -> Balance:
    return Balance(parent=parent, children=sum(children))
