"""Follow every link a person is shown, from the home page outwards, and check each page the way a
reviewer reads it: it answers (no 404, no server error), it says nothing in English or as a Python
value ("None", "True"), it prints no year with a thousands separator ("2.025") and no raw decimal
("6.79"), and its links carry no broken query string ("??").

Used by tests/test_crawl.py (the `world` personas) and tests/test_demo_crawl.py (the demo accounts on
the real units). Links that only vary by query string are followed a few times per URL shape, so a
list with a thousand households costs a handful of requests."""

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.utils import timezone

from households.models import Assessment, PovertyClass
from targets import services as target_services
from targets.models import HelpEntry, Outcome
from tests.households import factories as hf

# Links not to follow: leaving the session or the language, and files (checked by their own tests).
SKIP = re.compile(r"^/(accounts/logout|i18n/)|\.(pdf|xlsx)(\?|$)|/(pdf|xlsx|export|download|template)/")
# Words that, in a page meant to be Vietnamese, mean a label escaped translation or a Python value
# was printed. Kept to words no Vietnamese text uses.
ENGLISH = re.compile(
    r"\b(None|True|False|Select an option|Please submit|This field|Enter a (?:valid|whole)|"
    r"Submitted by|Proposed by|created by|updated by|Not found|Server Error|Traceback|"
    r"Add link|Filter navigation|Show counts)\b"
)
# Django's own admin labels that Django's Vietnamese catalogue lacks (Django 6.1): only a Vietnamese
# catalogue of Django's strings in locale/ can translate them. Tolerated on admin pages only.
# "True"/"False" are the alternative texts of the admin's yes/no icons.
ADMIN_UNTRANSLATED = frozenset({"Add link", "Filter navigation", "Show counts", "True", "False"})
# A year printed with the thousands separator (2.025), not followed by more groups (2.025.000 đ).
GROUPED_YEAR = re.compile(r"(?<![\d.,])(?:1\.9\d\d|2\.0\d\d)(?![\d.,]*\d)")
# A decimal written the English way: 6.79 (Vietnamese: 6,79). Three digits after the point are a
# thousands group (1.458), so only one or two count.
RAW_DECIMAL = re.compile(r"(?<![\d.,/])\d+\.\d{1,2}(?![\d.])")


class _Page(HTMLParser):
    """Visible text (no script or style) and link targets of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


@dataclass
class Finding:
    url: str
    problem: str

    def __str__(self):
        return f"{self.url}: {self.problem}"


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def shape(url: str) -> str:
    """The URL with its numbers replaced and only the names of its query parameters."""
    parts = urlsplit(url)
    if parts.path.startswith("/admin/"):
        return re.sub(r"/\d+", "/N", parts.path)  # the admin's filter and sort combinations: once each page
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"/\d+", "/N", parts.path) + "?" + "&".join(names)


def page_findings(url: str, html: str, allowed: frozenset = frozenset()) -> tuple[list[Finding], list[str]]:
    parser = _Page()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    findings = []
    for label, pattern in (
        ("English or a Python value", ENGLISH),
        ("a year with a thousands separator", GROUPED_YEAR),
        ("a decimal with a point", RAW_DECIMAL),
    ):
        found = sorted({match.group(0) for match in pattern.finditer(text)} - allowed)
        if found:
            findings.append(Finding(url, f"{label}: {', '.join(found[:5])}"))
    broken = [href for href in parser.links if "??" in href]
    if broken:
        findings.append(Finding(url, f"links with two question marks: {broken[:3]}"))
    return findings, parser.links


def crawl(
    client, *, start: str = "/", per_shape: int = 2, limit: int = 400, admin: bool = False
) -> CrawlResult:
    """Breadth-first over the links shown to the client's user; every page must answer 200."""
    result = CrawlResult()
    seen_shapes: dict[str, int] = defaultdict(int)
    queued = {start}
    queue = deque([start])
    referrer: dict[str, str] = {}
    while queue and len(result.visited) < limit:
        url = queue.popleft()
        key = shape(url)
        if seen_shapes[key] >= per_shape:
            continue
        seen_shapes[key] += 1
        response = client.get(url)
        result.visited.append(url)
        if response.status_code in (301, 302):
            location = response["Location"]
            if location.startswith("/accounts/login"):
                result.findings.append(Finding(url, "sends a logged-in person to the login page"))
            elif location not in queued:
                queued.add(location)
                referrer[location] = url
                queue.append(location)  # a redirect is a link like any other
            continue
        if response.status_code != 200:
            result.findings.append(
                Finding(url, f"HTTP {response.status_code} (linked from {referrer.get(url)})")
            )
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        allowed = ADMIN_UNTRANSLATED if url.startswith("/admin/") else frozenset()
        findings, links = page_findings(url, response.content.decode(), allowed)
        result.findings.extend(findings)
        for href in links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(local) or (local.startswith("/admin/") and not admin) or local in queued:
                continue
            queued.add(local)
            referrer[local] = url
            queue.append(local)
    return result


def populate(world) -> None:
    """A commune in use: households at every stage of the review, a target allocated down, a
    registration helped and waiting for the commune, and the other commune with a household.
    """
    year = timezone.localdate().year
    officer, leader = world.officer_a, world.leader_a
    approved = []
    for n, poverty in enumerate(["poor", "near_poor", "not_poor"]):
        household = hf.household(officer, world.A, village=world.A1, head=f"Nguyễn Văn {n}")
        hf.assessment(
            household, officer, state=Assessment.State.APPROVED, leader=leader, poverty=poverty, year=year - 1
        )
        approved.append(household)
    for n, state in enumerate(
        [Assessment.State.SUBMITTED, Assessment.State.RETURNED, Assessment.State.DRAFT]
    ):
        household = hf.household(officer, world.A, head=f"Trần Thị {n}")
        hf.assessment(household, officer, state=state, leader=leader, year=year)
    hf.household(world.officer_b, world.B, head="Lê Văn Bắc")
    target = target_services.target_create(
        unit=world.P,
        year=year,
        reduce_poor=2,
        reduce_near_poor=1,
        assessments=Assessment.objects.all(),
        user=world.province_officer,
    )
    target_services.target_allocate(
        parent=target,
        rows=[target_services.ChildAllocation(world.A, 2, 1), target_services.ChildAllocation(world.B, 0, 0)],
        mismatch_reason="",
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        expected_version=1,
    )
    poor = approved[0]
    assert poor.status_class == PovertyClass.POOR or poor.assessments.filter(result_class="poor").exists()
    registration = target_services.registration_create(
        organisation=world.union_p, household=poor, year=year, user=world.union_officer_p
    )
    target_services.help_entry_add(
        registration=registration,
        kind=HelpEntry.Kind.LOAN,
        value=30_000_000,
        date=min(timezone.localdate(), date(year, 12, 31)),
        user=world.union_officer_p,
    )
    registration.refresh_from_db()
    target_services.registration_propose_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        user=world.union_officer_p,
        expected_version=registration.version,
    )
