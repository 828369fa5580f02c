"""Household pages under load (issue 3 §9): gunicorn with the production settings on PostgreSQL, a
commune of 10,000 households, 20 logged-in commune officers for 60 s (locust, headless) opening
their household list (plain, searched, filtered), household pages and assessment forms, and saving
assessments. Budget: p95 < 300 ms for pages, < 500 ms for saves, 0 errors. Baseline in the same
run: the p95 of /healthz (one SELECT 1), so the ratio says what the pages cost over a request that
does nothing.

Officers think between actions (1–3 s, as people do); each has five draft assessments of its own
to save, so saves never conflict. Sessions are created in the database before the run (a login
hashes the password once per officer, which is not what is measured here)."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import OUT, ROOT, Result, migrate, pg_available, python, run_child, scratch_pg

HOUSEHOLDS = 10_000
OFFICERS = 20
DURATION = 60  # seconds measured at full load, after a ramp of RAMP seconds
RAMP = 10
PAGE_BUDGET_MS = 300
SAVE_BUDGET_MS = 500
PAGES = (
    "household list",
    "household list search",
    "household list filter",
    "household page",
    "assessment form",
)
SAVES = ("assessment save",)

SEED = r"""
import json, random
from datetime import date
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from core.text import search_key
from households.classification import classify
from households.models import Assessment, Household, Member, PovertyStandard
from units.models import AdministrativeUnit, AdminVersion, Kind, Level, Role
from units.placement import place_objects
from units.services import membership_grant

rng = random.Random(3)
province = AdministrativeUnit.objects.create(admin_version=AdminVersion.V2025, code="99", name="Tỉnh Đo Tải",
    short_name="Đo Tải", kind=Kind.TINH, level=Level.PROVINCE)
commune = AdministrativeUnit.objects.create(admin_version=AdminVersion.V2025, code="99001", name="Xã Đo Tải",
    short_name="Đo Tải", kind=Kind.XA, level=Level.COMMUNE, parent=province, area="rural")
villages = [AdministrativeUnit.objects.create(admin_version=AdminVersion.V2025, code=f"99001-{n:03d}",
    name=f"Thôn {n}", short_name=f"Thôn {n}", kind=Kind.THON, level=Level.VILLAGE, parent=commune, area="rural")
    for n in range(1, 13)]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_M, MIDDLE_F = ["Văn", "Hữu", "Đức", "Minh"], ["Thị", "Ngọc", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga", "Phúc",
         "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]

def name(female):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F if female else MIDDLE_M)} {rng.choice(GIVEN)}"

standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, 2024)  # NĐ 07, as for 2022 and 2025
rules = standard.rules()
codes = list(rules.indicators)
order = dict(standard.indicators.values_list("code", "order"))

def survey(income, deprived):
    result = classify(rules, "rural", income, deprived)
    return dict(income_per_capita=income, deprived_mask=sum(1 << (order[c] - 1) for c in result.deprived),
        deprived_count=result.deprived_count, result_class=result.poverty_class, result_group=result.group,
        reasons="\n".join(result.reasons))

def draw():
    roll = rng.random()
    income = (rng.randrange(600_000, 1_500_000) if roll < 0.12 else rng.randrange(1_500_001, 2_250_000)
              if roll < 0.25 else rng.randrange(2_250_001, 9_000_000))
    return income, rng.sample(codes, rng.choice([0, 0, 1, 2, 3, 4]))

households, people, later = [], [], []
for n in range(1, HOUSEHOLDS + 1):
    village = villages[n % len(villages)]
    female = rng.random() < 0.3
    head = name(female)
    households.append(Household(code=f"99001-{n % len(villages) + 1:02d}-{n:05d}", province=province,
        commune=commune, village=village, area="rural", head_name=head, head_search=search_key(head),
        female_head=female, member_count=3))
place_objects(AdministrativeUnit, households)  # what save() does, for bulk_create
Household.objects.bulk_create(households, batch_size=2000)
for h in households:
    people.append(Member(household=h, full_name=h.head_name, search_name=search_key(h.head_name),
        sex="female" if h.female_head else "male", birth_year=rng.randrange(1950, 1995), relation="head",
        citizen_id=f"099{1 if h.female_head else 0}{rng.randrange(50, 95)}{rng.randrange(10**6):06d}", order=1))
    for k in (2, 3):
        child = name(k == 3)
        people.append(Member(household=h, full_name=child, search_name=search_key(child),
            sex="female" if k == 3 else "male", birth_year=rng.randrange(2000, 2020), relation="child", order=k))
Member.objects.bulk_create(people, batch_size=5000)

surveys = []
for h in households:
    base = dict(household=h, province=province, commune=commune, village=h.village, standard=standard,
        area="rural", member_count=3, state=Assessment.State.APPROVED)
    first, second = survey(*draw()), survey(*draw())
    surveys.append(Assessment(review_year=2022, effective_date=date(2022, 12, 15), valid_until=date(2024, 12, 15),
        change="first", **base, **first))
    surveys.append(Assessment(review_year=2024, effective_date=date(2024, 12, 15), change="unchanged", **base,
        **second))
    h.status_class, h.status_group, h.status_year, h.latest_state = (second["result_class"],
        second["result_group"], 2024, "approved")
place_objects(AdministrativeUnit, surveys)
Assessment.objects.bulk_create(surveys, batch_size=5000)
Household.objects.bulk_update(households, ["status_class", "status_group", "status_year", "latest_state"],
    batch_size=2000)

User = get_user_model()
password = make_password("Do-tai-2026")
officers, drafts = {}, {}
free = iter(households[::7])
for n in range(1, OFFICERS + 1):
    user = User.objects.create(username=f"officer{n:02d}", password=password, first_name=f"Cán bộ {n}")
    membership_grant(user=user, unit=commune, role=Role.COMMUNE_OFFICER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the project's, not ModelBackend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    officers[user.username] = session.session_key
    mine = []
    for _ in range(5):
        h = next(free)
        mine.append(Assessment.objects.create(household=h, province=province, commune=commune, village=h.village,
            standard=standard, area="rural", member_count=3, review_year=2025, effective_date=date(2025, 12, 15),
            kind="periodic", state=Assessment.State.DRAFT, created_by=user, updated_by=user,
            **survey(*draw())).pk)
        Household.objects.filter(pk=h.pk).update(latest_state="draft")
    drafts[user.username] = mine

drafted = {pk for mine in drafts.values() for pk in Assessment.objects.filter(pk__in=mine).values_list("household_id", flat=True)}
print(json.dumps({"commune": commune.pk, "households": [h.pk for h in households], "officers": officers,
    "undrafted": [h.pk for h in households if h.pk not in drafted],
    "drafts": drafts, "codes": codes, "villages": [v.pk for v in villages]}))
""".replace("HOUSEHOLDS + 1", str(HOUSEHOLDS + 1)).replace("OFFICERS + 1", str(OFFICERS + 1))

LOCUSTFILE = r"""
import json, os, random, re
from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["HOUSEHOLD_LOAD_DATA"]).read())
HIDDEN = re.compile(r'name="(version|original|csrfmiddlewaretoken)" value="([^"]*)"')
NAMES = ["nguyen van", "tran thi", "le", "hoa", "pham van hung", "Lan", "đỗ thị"]


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username, session = OFFICERS.pop()
        self.client.cookies.set("sessionid", session)
        self.drafts = DATA["drafts"][self.username]
        self.list_url = f"/households/unit/{DATA['commune']}/"

    def _insecure_cookies(self):
        # Production cookies are Secure; this run is plain HTTP on 127.0.0.1.
        for cookie in self.client.cookies:
            cookie.secure = False

    def _get(self, url, name, **kw):
        self._insecure_cookies()
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kw) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response

    @task(4)
    def household_list(self):
        self._get(self.list_url, "household list", params={"page": random.randrange(1, 200)})

    @task(2)
    def household_list_search(self):
        self._get(self.list_url, "household list search", params={"q": random.choice(NAMES)})

    @task(2)
    def household_list_filter(self):
        params = random.choice([{"status": "poor"}, {"status": "near_poor", "female_head": "1"},
            {"village": random.choice(DATA["villages"])}, {"year": 2022, "status": "poor"}, {"state": "draft"}])
        self._get(self.list_url, "household list filter", params=params)

    @task(4)
    def household_page(self):
        self._get(f"/households/{random.choice(DATA['households'])}/", "household page")

    @task(2)
    def assessment_form(self):
        # A household without an open assessment: the form opens (one with a draft redirects to it).
        self._get(f"/households/{random.choice(DATA['undrafted'])}/assessments/new/", "assessment form")

    @task(2)
    def save_assessment(self):
        pk = random.choice(self.drafts)
        form = self._get(f"/households/assessments/{pk}/edit/", "assessment edit form")
        hidden = dict(HIDDEN.findall(form.text))
        data = {
            "csrfmiddlewaretoken": hidden.get("csrfmiddlewaretoken", ""),
            "version": hidden.get("version", ""),
            "original": hidden.get("original", ""),
            "kind": "periodic", "review_year": "2025", "effective_date": "15/12/2025", "area": "rural",
            "member_count": "3", "income_per_capita": f"{random.randrange(800_000, 3_000_000):,}".replace(",", "."),
        }
        for code in random.sample(DATA["codes"], random.randrange(0, 5)):
            data[f"indicator_{code}"] = "on"
        self._insecure_cookies()
        headers = {"Referer": self.host + f"/households/assessments/{pk}/edit/"}
        with self.client.post(f"/households/assessments/{pk}/edit/", data=data, headers=headers,
                              name="assessment save", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: the save was not accepted")

    @task(1)
    def healthz(self):
        self._get("/healthz", "healthz")


OFFICERS = list(DATA["officers"].items())
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def _warm_up(base: str, data: dict, rounds: int) -> None:
    """A few requests per page before measuring: a server that has run for a while has its templates
    compiled and its database connections open in every worker."""
    import urllib.request

    session = next(iter(data["officers"].values()))
    commune = data["commune"]
    urls = [
        f"/households/unit/{commune}/",
        f"/households/unit/{commune}/?q=nguyen",
        f"/households/unit/{commune}/?status=poor",
        f"/households/{data['households'][0]}/",
        f"/households/{data['households'][1]}/assessments/new/",
        "/healthz",
    ]
    for _ in range(rounds):
        for url in urls:
            request = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={session}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                if "/accounts/login/" in response.geturl():  # a load of login redirects measures nothing
                    raise RuntimeError(
                        f"the officers' sessions are not logged in ({url} → {response.geturl()})"
                    )


def _stats(csv_prefix: Path) -> dict[str, dict]:
    import csv

    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def run() -> list[Result]:
    if not pg_available():
        raise RuntimeError("PostgreSQL is not reachable (BENCH_PG_URL); this benchmark needs it")
    OUT.mkdir(parents=True, exist_ok=True)
    url = scratch_pg("household_load")
    migrate(url)
    secret = secrets.token_urlsafe(48)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    seeded, _peak = run_child(SEED, env={**env, "DJANGO_SETTINGS_MODULE": "povertyplan.settings.dev"})
    data_file = OUT / "household_load.json"
    data_file.write_text(seeded.strip().splitlines()[-1])
    prod = {**env, "DJANGO_SETTINGS_MODULE": "povertyplan.settings.prod"}
    subprocess.run(
        [python(), "manage.py", "collectstatic", "--no-input", "-v", "0"], check=True, env=prod, cwd=ROOT
    )

    load_before = os.getloadavg()[0]
    port = _free_port()
    gunicorn = Path(python()).with_name("gunicorn")
    workers = str(2 * (os.cpu_count() or 1) + 1)  # gunicorn's advice for sync workers
    server = subprocess.Popen(
        [str(gunicorn), "povertyplan.wsgi", "-b", f"127.0.0.1:{port}", "-w", workers, "--log-level", "warning"],
        env=prod, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        _warm_up(f"http://127.0.0.1:{port}", json.loads(data_file.read_text()), rounds=4 * int(workers))
        locustfile = OUT / "locustfile_households.py"
        locustfile.write_text(LOCUSTFILE)
        prefix = OUT / "household_load"
        locust = Path(python()).with_name("locust")
        subprocess.run(
            [str(locust), "-f", str(locustfile), "--headless", "-u", str(OFFICERS),
             "-r", str(OFFICERS / RAMP), "-t", f"{DURATION + RAMP}s", "--reset-stats",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
            env={**os.environ, "HOUSEHOLD_LOAD_DATA": str(data_file)}, cwd=ROOT, check=False,
        )  # fmt: skip
        stats = _stats(prefix)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    baseline = float(stats["healthz"]["95%"])
    total = stats["Aggregated"]
    errors = int(total["Failure Count"])
    notes = {
        "requests": int(total["Request Count"]),
        "errors": errors,
        "households": HOUSEHOLDS,
        "officers": OFFICERS,
        "duration_s": DURATION,
        "ramp_s": RAMP,
        "gunicorn": f"{workers} sync workers",
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "p95_ms": {name: float(row["95%"]) for name, row in stats.items()},
        "median_ms": {name: float(row["50%"]) for name, row in stats.items()},
        "requests_per_name": {name: int(row["Request Count"]) for name, row in stats.items()},
    }
    results = []
    for name, budget in [(n, PAGE_BUDGET_MS) for n in PAGES] + [(n, SAVE_BUDGET_MS) for n in SAVES]:
        row = stats[name]
        p95 = float(row["95%"])
        failures = int(row["Failure Count"])
        results.append(
            Result(
                name=f"household_load_p95_{name.replace(' ', '_')}",
                value=p95,
                unit="ms",
                baseline=baseline,
                ratio=round(p95 / baseline, 2) if baseline else None,
                budget=f"value < {budget} ms p95, 0 errors",
                met=p95 < budget and failures == 0,
                notes={
                    "requests": int(row["Request Count"]),
                    "errors": failures,
                    "median_ms": float(row["50%"]),
                },
            )
        )
    results.append(
        Result(
            name="household_load_errors",
            value=errors,
            unit="errors",
            baseline=None,
            budget="value == 0",
            met=errors == 0,
            notes=notes,
        )
    )
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for result in run():
        print(result.summary())
    print(json.dumps(result.notes, indent=2, ensure_ascii=False))
