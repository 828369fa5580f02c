"""SQLite under `make run`: the web process and the task worker write to one file at the same time.
The connection options (povertyplan/settings/env.py: WAL, a busy timeout, IMMEDIATE transactions)
make a second writer wait for the first instead of failing with "database is locked"; and a job's
progress is never written on the connection that is reading for it (core/jobs.Progress), the
write SQLite refuses at once whenever another connection has written since the read began."""

import sqlite3
import threading
import time

import pytest
from django.db.utils import ConnectionHandler

from povertyplan.settings.env import database_config

HOLD = 1.0  # seconds the first writer keeps its transaction open


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch, django_db_blocker):
    """A new connection to a SQLite file with the project's options, for each caller."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    handler = ConnectionHandler({"default": database_config()})
    opened = []

    def connect():
        wrapper = handler.create_connection("default")
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        first = connect()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE entry (writer TEXT)")
        yield connect
        for wrapper in opened:  # some were opened in the tests' threads
            wrapper.inc_thread_sharing()
            wrapper.close()


def _write_in_transaction(wrapper, writer: str, *, hold: float = 0.0, began: threading.Event | None = None):
    # What transaction.atomic() does on this backend: BEGIN in the configured mode, then COMMIT.
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    if began:
        began.set()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM entry")
        cursor.fetchone()
        time.sleep(hold)
        cursor.execute("INSERT INTO entry (writer) VALUES (%s)", [writer])
    wrapper.commit()
    wrapper.set_autocommit(True)


def test_the_database_is_in_wal_mode_with_a_busy_timeout(sqlite_file):
    wrapper = sqlite_file()
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_file):
    began, errors, waited = threading.Event(), [], []

    def first():
        try:
            _write_in_transaction(sqlite_file(), "worker", hold=HOLD, began=began)
        except Exception as error:
            errors.append(error)

    def second():
        began.wait(5)
        start = time.monotonic()
        try:
            _write_in_transaction(sqlite_file(), "web")
        except Exception as error:
            errors.append(error)
        waited.append(time.monotonic() - start)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert waited[0] >= HOLD / 2  # it did have to wait for the first writer's commit
    with sqlite_file().cursor() as cursor:
        cursor.execute("SELECT writer FROM entry ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == ["worker", "web"]


def test_writing_on_a_connection_in_the_middle_of_a_read_fails_once_another_has_written(sqlite_file):
    """Why the worker's progress goes to the heartbeat thread's own connection: the household
    export reads its rows in chunks, and writing its progress on that connection failed."""
    reader, other = sqlite_file(), sqlite_file()
    with reader.cursor() as cursor:
        cursor.executemany("INSERT INTO entry (writer) VALUES (%s)", [[f"row {i}"] for i in range(2000)])
    reading = reader.cursor()
    reading.execute("SELECT writer FROM entry")
    reading.fetchmany(100)
    with other.cursor() as cursor:
        cursor.execute("INSERT INTO entry (writer) VALUES ('web')")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        reader.connection.execute("INSERT INTO entry (writer) VALUES ('progress')")
    with other.cursor() as cursor:  # the same write on another connection goes through
        cursor.execute("INSERT INTO entry (writer) VALUES ('progress')")
    reading.close()
