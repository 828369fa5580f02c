"""axe-core (vendored in tests/browser/vendor/axe-core) run in the page under test: the WCAG 2.1
A and AA rules, and the violations whose impact is serious or critical."""

from collections import defaultdict
from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (nonces)
        # does not block it, as it would an injected <script>.
        page.evaluate(_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


class Findings:
    """Violations gathered over many pages, reported once per rule, element and message with the
    pages it was seen on."""

    def __init__(self):
        self._pages: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)

    def add(self, url: str, violations: list[dict]) -> None:
        for violation in violations:
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                summary = " ".join(node.get("failureSummary", "").split())
                key = (violation["impact"], violation["id"], target, summary)
                self._pages[key].append(url)

    def __bool__(self) -> bool:
        return bool(self._pages)

    def __str__(self) -> str:
        lines = []
        for (impact, rule, target, summary), urls in sorted(self._pages.items()):
            where = ", ".join(urls[:3]) + (f" and {len(urls) - 3} more" if len(urls) > 3 else "")
            lines.append(f"[{impact}] {rule}: {target} — {summary} — on {where}")
        return "\n".join(lines)
