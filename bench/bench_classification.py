"""Classification throughput in pure Python. Budget: ≥ 100,000 households/s. Baseline: the same
loop calling a trivial function that only compares income with the line, to show the cost of the
legal rule itself on this machine."""

import random
import time

from common import Result

N = 200_000


def _rules():
    import importlib

    from households.classification import StandardRules

    seed = importlib.import_module("households.migrations.0002_standards_and_lookups")
    data = next(s for s in seed.STANDARDS if s["code"] == "nd07-2021")
    return StandardRules(
        rule=data["rule"],
        poverty_line={"rural": data["poverty_line_rural"], "urban": data["poverty_line_urban"]},
        near_poverty_line={"rural": None, "urban": None},
        medium_upper={"rural": data["medium_upper_rural"], "urban": data["medium_upper_urban"]},
        deprivation_threshold=3,
        indicators={code: name for _d, code, name, _x in data["indicators"]},
        name=data["legal_basis"],
    )


def run() -> list[Result]:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyplan.settings.dev")
    django.setup()
    from households.classification import classify

    rules = _rules()
    codes = list(rules.indicators)
    rng = random.Random(7)
    rows = [
        (rng.choice(("rural", "urban")), rng.randrange(0, 4_000_000), rng.sample(codes, rng.randrange(0, 6)))
        for _ in range(N)
    ]

    def trivial(area, income, deprived):
        return income <= rules.poverty_line[area] and len(deprived) >= 3

    started = time.perf_counter()
    for area, income, deprived in rows:
        trivial(area, income, deprived)
    baseline = N / (time.perf_counter() - started)

    started = time.perf_counter()
    for area, income, deprived in rows:
        classify(rules, area, income, deprived)
    rate = N / (time.perf_counter() - started)
    return [
        Result(
            name="classification_rate",
            value=round(rate),
            unit="households/s",
            baseline=round(baseline),
            ratio=round(rate / baseline, 3),
            budget="value >= 100000 households/s",
            met=rate >= 100_000,
        )
    ]
