"""scripts/backup and scripts/restore, for real: back up the test database (PostgreSQL when the
tests run on PostgreSQL, SQLite otherwise), restore into a fresh database, and compare every
table's row count."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests import factories as f

ROOT = settings.BASE_DIR


def _script(name, *args, database_url):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _some_data(world):
    # Households only: transactional tests may run after a flush that emptied the standards.
    for commune in (world.A, world.B, world.C):
        f.MemberFactory(household=f.HouseholdFactory(commune=commune))


def _counts_sqlite(path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not name.startswith("sqlite_")
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def _counts_postgres(dsn) -> dict[str, int]:
    import psycopg2

    with psycopg2.connect(dsn) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


def _assert_same_data(before, after):
    assert before == after
    for table in (
        "units_administrativeunit",
        "units_membership",
        "households_household",
        "auditlog_logentry",
    ):
        assert before[table] > 0, f"{table} is empty: the test proves nothing about it"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path; PostgreSQL below")
def test_sqlite_backup_and_restore_into_a_fresh_database(transactional_db, world, tmp_path):
    _some_data(world)
    # The test database lives in memory: give the scripts a file holding the same data.
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    before = _counts_sqlite(live)

    made = _script(
        "backup", "--output", str(tmp_path / "backups"), "--json", database_url=f"sqlite:///{live}"
    )
    assert made.returncode == 0, made.stderr
    backup_file = json.loads(made.stdout)["file"]
    assert backup_file.endswith(".sqlite3") and os.path.getsize(backup_file) > 0

    restored = tmp_path / "restored.sqlite3"
    done = _script("restore", backup_file, "--json", database_url=f"sqlite:///{restored}")
    assert done.returncode == 0, done.stderr
    _assert_same_data(before, _counts_sqlite(restored))

    refused = _script("restore", backup_file, database_url=f"sqlite:///{restored}")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert _script("restore", backup_file, "--yes", database_url=f"sqlite:///{restored}").returncode == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs when the tests run on PostgreSQL")
def test_postgres_backup_and_restore_into_a_fresh_database(transactional_db, world, tmp_path):
    _some_data(world)
    config = connection.settings_dict
    base = f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
    live_url = f"{base}/{config['NAME']}"
    before = _counts_postgres(live_url)

    made = _script("backup", "--output", str(tmp_path), "--json", database_url=live_url)
    assert made.returncode == 0, made.stderr
    backup_file = json.loads(made.stdout)["file"]
    assert backup_file.endswith(".dump")

    fresh = f"{config['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    fresh_url = f"{base}/{fresh}"
    try:
        done = _script("restore", backup_file, "--create", "--json", database_url=fresh_url)
        assert done.returncode == 0, done.stderr
        _assert_same_data(before, _counts_postgres(fresh_url))
        refused = _script("restore", backup_file, database_url=fresh_url)
        assert refused.returncode == 2 and "--yes" in refused.stderr
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", fresh],
            env=os.environ
            | {
                "PGHOST": config["HOST"] or "localhost",
                "PGPORT": str(config["PORT"] or 5432),
                "PGUSER": config["USER"],
                "PGPASSWORD": config["PASSWORD"],
                "PGDATABASE": "postgres",
            },
            check=False,
        )


def test_backup_of_a_missing_sqlite_file_fails_clearly(tmp_path):
    result = _script(
        "backup", "--output", str(tmp_path), database_url=f"sqlite:///{tmp_path / 'none.sqlite3'}"
    )
    assert result.returncode == 1 and "Sao lưu thất bại" in result.stderr
