"""Report builders. Each module has a pure `build_*` function (plain data in, a `tables.Document`
out: no request, no database, no clock) and a `produce(scope, params)` that reads the figures
through reports/selectors.py and calls it. The registry (reports/registry.py) names them."""

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
