"""axe-core's WCAG 2.1 AA rules on every page each persona can reach, on a laptop, where the whole
navigation shows (test_every_page_fits.py runs them on a phone): no serious or critical violation —
the colour contrast of the theme first among them."""

import pytest

from tests.browser.axe import Findings, axe_violations
from tests.browser.conftest import login
from tests.browser.test_every_page_fits import PERSONAS, reachable_pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reachable_page_passes_axe_on_a_laptop(desktop, world, persona):
    urls = reachable_pages(world, persona)
    login(desktop, persona)
    findings = Findings()
    for url in urls:
        desktop.goto(url, wait_until="load")
        findings.add(url, axe_violations(desktop))
    assert len(urls) > 10
    assert not findings, f"serious or critical accessibility violations at 1366 px:\n{findings}"
