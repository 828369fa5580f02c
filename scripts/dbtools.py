"""Backup and restore of the product's database, for scripts/backup and scripts/restore.

The database is the one the application uses: DATABASE_URL, or the SQLite file at the top of the
checkout (read by povertyplan/settings/env.py, the one place that reads the environment).

- PostgreSQL: `pg_dump --format=custom` and `pg_restore` (client tools of the server's version).
- SQLite: the sqlite3 online backup API, safe while the application and the worker are running.

Everything the product keeps is in the database (uploads and job outputs included), so one file
is a complete backup."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from povertyplan.settings.env import database_config  # noqa: E402

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


class BackupError(RuntimeError):
    pass


@dataclass
class Database:
    engine: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    options: dict | None = None

    @classmethod
    def from_url(cls, url: str | None = None) -> Database:
        """The database of DATABASE_URL (or `url`), as the application sees it."""
        saved = os.environ.get("DATABASE_URL")
        if url is not None:
            os.environ["DATABASE_URL"] = url
        try:
            config = database_config()
        finally:
            if url is not None:
                if saved is None:
                    os.environ.pop("DATABASE_URL", None)
                else:
                    os.environ["DATABASE_URL"] = saved
        engine = config["ENGINE"]
        if engine not in (POSTGRES, SQLITE):
            raise BackupError(f"Unsupported database engine: {engine}")
        return cls(
            engine=engine,
            name=str(config["NAME"]),
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            options=dict(config.get("OPTIONS") or {}),
        )

    @property
    def is_postgres(self) -> bool:
        return self.engine == POSTGRES

    @property
    def label(self) -> str:
        """Where the database is, without the password."""
        if self.is_postgres:
            return f"postgresql://{self.user}@{self.host or 'localhost'}:{self.port or 5432}/{self.name}"
        return f"sqlite:///{self.name}"

    def pg_env(self, database: str | None = None) -> dict[str, str]:
        env = dict(os.environ)
        values = {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": database or self.name,
            "PGSSLMODE": str((self.options or {}).get("sslmode", "")),
        }
        env.update({key: value for key, value in values.items() if value})
        return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def default_backup_path(db: Database, directory: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (the operator's local time)
    suffix = "dump" if db.is_postgres else "sqlite3"
    return directory / f"povertyplan-{stamp}.{suffix}"


def backup(db: Database, target: Path) -> Path:
    """Write a complete, consistent copy of `db` to `target` and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if db.is_postgres:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], db.pg_env())
    else:
        if not Path(db.name).exists():
            raise BackupError(f"No SQLite database at {db.name}")
        source = sqlite3.connect(f"file:{db.name}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    return target


def tables_of(db: Database) -> list[str]:
    """Names of the tables in `db` (empty for a fresh database)."""
    if db.is_postgres:
        result = subprocess.run(
            [
                "psql",
                "--no-psqlrc",
                "--tuples-only",
                "--no-align",
                "--command",
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            ],
            env=db.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"psql failed: {result.stderr.strip()}")
        return [line for line in result.stdout.splitlines() if line]
    if not Path(db.name).exists():
        return []
    with sqlite3.connect(db.name) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1").fetchall()
    return [name for (name,) in rows if not name.startswith("sqlite_")]


def create_postgres_database(db: Database) -> None:
    """Create the (empty) database `db` names, connecting to the server's `postgres` database."""
    _run(["createdb", "--template=template0", "--encoding=UTF8", db.name], db.pg_env(database="postgres"))


def restore(db: Database, source: Path) -> None:
    """Replace the contents of `db` with the backup at `source`."""
    if not source.exists():
        raise BackupError(f"No backup file at {source}")
    if db.is_postgres:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db.name}",
                str(source),
            ],
            db.pg_env(),
        )
    else:
        Path(db.name).parent.mkdir(parents=True, exist_ok=True)
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(db.name)
        try:
            backup_file.backup(target)
        finally:
            target.close()
            backup_file.close()
