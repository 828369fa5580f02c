"""The cast of personas whose access differs, on a small synthetic map:

2025 tree:  province P (Tỉnh Thử)            province Q (another province)
              ├─ commune A  ── village A1       └─ commune C
              └─ commune B
pre-2025:   province OP ─ district OD ─ communes OA, OB;  OP and OD's communes became part of P
            (lineage OP → P, OA → A, OB → B: P, A and B see OP's, OA's and OB's history)

officer_a        commune officer of A            leader_a     commune leader of A
officer_b        commune officer of B (same province as A)
union_officer    Women's Union officer at district OD (pre-2025)
union_officer_p  Women's Union officer at province P
province_officer province officer of P (sees OP, now part of P)
admin_p          administrator of P              national_admin  administrator, whole country
outsider         commune officer of C in province Q
nobody           an account with no membership
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from tests import factories as f
from units.models import AdminVersion, Area, Kind, Level, Organisation, Role
from units.services import lineage_link

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (creating data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    P: object
    A: object
    A1: object
    B: object
    Q: object
    C: object
    OP: object
    OD: object
    OA: object
    OB: object
    union_p: object
    union_od: object
    officer_a: object
    leader_a: object
    officer_b: object
    union_officer: object
    union_officer_p: object
    province_officer: object
    admin_p: object
    national_admin: object
    outsider: object
    nobody: object

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    @property
    def personas(self) -> dict:
        return {
            name: getattr(self, name)
            for name in (
                "officer_a",
                "leader_a",
                "officer_b",
                "union_officer",
                "union_officer_p",
                "province_officer",
                "admin_p",
                "national_admin",
                "outsider",
                "nobody",
            )
        }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login and reset limits count in the cache (core/security.py): each test starts uncounted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db) -> World:
    P = f.province(name="Tỉnh Thử", short_name="Thử", code="90")
    A = f.commune(P, name="Xã An Bình", short_name="An Bình", code="90001")
    A1 = f.village(A, name="Thôn Một", short_name="Thôn Một", kind=Kind.THON, code="90001-001")
    B = f.commune(
        P, name="Phường Bắc Sơn", short_name="Bắc Sơn", code="90002", kind=Kind.PHUONG, area=Area.URBAN
    )
    Q = f.province(name="Tỉnh Khác", short_name="Khác", code="91")
    C = f.commune(Q, name="Xã Cẩm Lệ", short_name="Cẩm Lệ", code="91001")
    OP = f.province(name="Tỉnh Cũ", short_name="Cũ", code="90", admin_version=AdminVersion.PRE2025)
    OD = f.district(OP, name="Huyện Cũ", short_name="Cũ", code="900")
    OA = f.commune(OD, name="Xã Cũ An", short_name="Cũ An", code="90011")
    OB = f.commune(
        OD, name="Thị trấn Cũ Bắc", short_name="Cũ Bắc", code="90012", kind=Kind.THI_TRAN, area=Area.URBAN
    )
    for old, new in ((OP, P), (OA, A), (OB, B)):
        lineage_link(old=old, new=new)
    for unit in (OP, OD, OA, OB):
        unit.refresh_from_db()

    union_p = f.OrganisationFactory(unit=P, kind=Organisation.Kind.WOMENS_UNION, name="Hội LHPN tỉnh Thử")
    union_od = f.OrganisationFactory(unit=OD, kind=Organisation.Kind.WOMENS_UNION, name="Hội LHPN huyện Cũ")

    def user(username, unit, role, organisation=None):
        account = f.UserFactory(username=username)
        f.member_of(account, unit, role, organisation)
        return account

    return World(
        P=P,
        A=A,
        A1=A1,
        B=B,
        Q=Q,
        C=C,
        OP=OP,
        OD=OD,
        OA=OA,
        OB=OB,
        union_p=union_p,
        union_od=union_od,
        officer_a=user("officer_a", A, Role.COMMUNE_OFFICER),
        leader_a=user("leader_a", A, Role.COMMUNE_LEADER),
        officer_b=user("officer_b", B, Role.COMMUNE_OFFICER),
        union_officer=user("union_officer", OD, Role.ORG_OFFICER, union_od),
        union_officer_p=user("union_officer_p", P, Role.ORG_OFFICER, union_p),
        province_officer=user("province_officer", P, Role.PROVINCE_OFFICER),
        admin_p=user("admin_p", P, Role.ADMINISTRATOR),
        national_admin=user("national_admin", None, Role.ADMINISTRATOR),
        outsider=user("outsider", C, Role.COMMUNE_OFFICER),
        nobody=f.UserFactory(username="nobody"),
    )


@pytest.fixture
def level():
    return Level


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """The real units and the demo data, loaded once for the `demo` test session.

    Tests using it are marked `demo` and run in their own pytest session (see the Makefile), so the
    committed demo rows never meet the tests that expect an empty database."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
        call_command("load_demo", verbosity=0)
    yield


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Demo tests run in their own session: the real units they commit would collide with the
    synthetic map of the other tests. A session that selects both keeps the others and leaves the
    demo tests to `pytest -m demo` (make test runs both sessions)."""
    for item in items:
        if "demo_db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo)
    demo = [item for item in items if item.get_closest_marker("demo")]
    # With -m the marker expression decides (`-m demo` must keep them); without, leave them out.
    if demo and len(demo) < len(items) and not config.getoption("markexpr", ""):
        config.hook.pytest_deselected(items=demo)
        items[:] = [item for item in items if not item.get_closest_marker("demo")]
