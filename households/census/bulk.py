"""Set-based writes for the census import: ids reserved in one query, rows inserted with COPY on
PostgreSQL and a prepared executemany on SQLite, updates batched. Django's bulk_create spends most
of its time preparing each value of each object in Python; rows here are plain tuples already in
database form, which is what makes a 100,000-row import fast.

Only the import uses this; model invariants (search keys, denormalised units) are the caller's."""

import csv
import io
import json
import queue
import threading
import uuid
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import partial

from django.db import connection

CHUNK = 2000  # rows per executemany (SQLite) and per UPDATE batch
COPY_CHUNK = 10_000  # rows per COPY (PostgreSQL)
PIPELINED = ("postgresql",)  # vendors whose inserts run in a second thread (see pipelined())


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model, names: Sequence[str]) -> list[str]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [fields[name].column for name in names]


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model`, never handed out before (call inside the write
    transaction: on SQLite it holds the database's write lock)."""
    if count <= 0:
        return []
    wait()
    table = model._meta.db_table
    pk = model._meta.pk.column
    # wrap_database_errors: driver errors become django.db errors (IntegrityError...) as usual.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({_quote(pk)}), 0) FROM {_quote(table)}")
        top = cursor.fetchone()[0]
        try:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
        except Exception:  # a database without AUTOINCREMENT tables has no sqlite_sequence
            pass
        return list(range(top + 1, top + 1 + count))


def db_value(value):
    """A value written on many rows (the import's timestamp, the effective date), converted once
    to what the database stores, so that the rows carrying it need no conversion."""
    if isinstance(value, datetime):
        if connection.vendor == "sqlite":
            return connection.ops.adapt_datetimefield_value(value)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _memo(function):
    """The same timestamp is written on every row: convert it once."""
    last = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, function(value)
        return last[1]

    return convert


def _sqlite_converter(value):
    if isinstance(value, uuid.UUID):
        return lambda v: v.hex  # Django stores UUIDs as 32 hex characters on SQLite
    if isinstance(value, bool):
        return None  # sqlite3 stores bools as 0/1
    if isinstance(value, datetime):
        return _memo(connection.ops.adapt_datetimefield_value)
    if isinstance(value, date):
        return _memo(date.isoformat)
    if isinstance(value, (dict, list)):
        return lambda v: json.dumps(v, ensure_ascii=False)
    return None


def _sqlite_rows(rows: Iterable[Sequence]):
    return _typed_rows(rows, _sqlite_converter)


def _copy_converter(value):
    """Values csv cannot write as PostgreSQL reads them: JSON (dicts, lists)."""
    if isinstance(value, (dict, list)):
        return lambda v: json.dumps(v, ensure_ascii=False)
    return None


def _typed_rows(rows: Iterable[Sequence], converter):
    """Rows with the columns that need it converted; each column holds one type, found from its
    first value that is not None."""
    pending = None
    convert: list = []
    for row in rows:
        if pending is None:
            pending = set(range(len(row)))
        if pending:
            for index in [i for i in pending if row[i] is not None]:
                pending.discard(index)
                function = converter(row[index])
                if function is not None:
                    convert.append((index, function))
        if convert:
            row = list(row)
            for index, function in convert:
                if row[index] is not None:
                    row[index] = function(row[index])
        yield row


def _not_null_text(model, names: Sequence[str]) -> list[str]:
    """Text columns that must read an empty CSV field as "" rather than NULL."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    text = ("CharField", "TextField", "SlugField", "GenericIPAddressField")
    return [fields[n].column for n in names if fields[n].get_internal_type() in text and not fields[n].null]


class _Writer:
    """Runs the inserts of `pipelined()` in a second thread, one after another, on the same
    database connection and so in the same transaction, while the first thread prepares the next
    rows: the PostgreSQL server maintains the tables' indexes meanwhile (the import's rows touch
    about forty index entries each, which takes the server about as long as Python takes to
    prepare them). The first thread touches the connection only after flush()."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection  # the DB-API connection under Django's
        self.jobs: queue.Queue = queue.Queue(maxsize=2)  # at most two batches prepared ahead
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="census-write", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while (job := self.jobs.get()) is not None:
                try:
                    if self.error is None:  # after a failure the transaction is lost: skip the rest
                        job(cursor)
                except BaseException as error:  # handed over to the first thread
                    self.error = error
                finally:
                    self.jobs.task_done()
        finally:
            cursor.close()

    def submit(self, job) -> None:
        self.check()
        self.jobs.put(job)

    def flush(self) -> None:
        """Wait for every insert submitted so far; raise its error as Django would."""
        self.jobs.join()
        self.check()

    def check(self) -> None:
        if self.error is not None:
            with connection.wrap_database_errors:  # IntegrityError... as django.db errors
                raise self.error

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()


_writer: ContextVar[_Writer | None] = ContextVar("census_bulk_writer", default=None)


@contextmanager
def pipelined():
    """Inside, insert() hands its batches to a second thread (see _Writer); update(),
    delete_where_in() and reserve_ids() wait for them first, and so must any other query made
    inside (wait()). Everything submitted is written (or its error raised) when the block ends.
    PostgreSQL only: SQLite's inserts hold the GIL for most of their time, so a second thread
    only adds switching."""
    if connection.vendor not in PIPELINED:
        yield
        return
    writer = _Writer()
    token = _writer.set(writer)
    try:
        yield
        writer.flush()
    finally:
        _writer.reset(token)
        writer.close()


def wait() -> None:
    """Inside pipelined(): wait until everything submitted is written (before other queries)."""
    writer = _writer.get()
    if writer is not None:
        writer.flush()


def _run(job, cursor) -> None:
    writer = _writer.get()
    if writer is None:
        job(cursor)
    else:
        writer.submit(job)


def _copy(sql: str, buffer: io.StringIO, cursor) -> None:
    buffer.seek(0)
    cursor.copy_expert(sql, buffer, size=1 << 16)


def _executemany(sql: str, batch: list, cursor) -> None:
    cursor.executemany(sql, batch)


def insert(model, names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert rows (tuples of values in the order of `names`, attnames of the model)."""
    table = _quote(model._meta.db_table)
    columns = _columns(model, names)
    count = 0
    # wrap_database_errors: driver errors become django.db errors (IntegrityError...) as usual.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # COPY in CSV format: the csv module formats each row in C. An unquoted empty field is
            # NULL, so NOT NULL text columns are read with FORCE_NOT_NULL (empty string).
            raw = cursor.cursor
            not_null = _not_null_text(model, names)
            options = "FORMAT csv" + (
                f", FORCE_NOT_NULL ({', '.join(_quote(c) for c in not_null)})" if not_null else ""
            )
            sql = f"COPY {table} ({', '.join(_quote(c) for c in columns)}) FROM STDIN WITH ({options})"
            batch = []
            for row in _typed_rows(rows, _copy_converter):
                batch.append(row)
                count += 1
                if len(batch) >= COPY_CHUNK:
                    _run(partial(_copy, sql, _csv(batch)), raw)
                    batch = []
            if batch:
                _run(partial(_copy, sql, _csv(batch)), raw)
        else:
            placeholders = ", ".join(["?"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(_quote(c) for c in columns)}) VALUES ({placeholders})"
            raw = cursor.cursor.connection.cursor() if hasattr(cursor.cursor, "connection") else cursor.cursor
            batch = []
            for row in _sqlite_rows(rows):
                batch.append(row)
                count += 1
                if len(batch) >= CHUNK:
                    _run(partial(_executemany, sql, batch), raw)
                    batch = []
            if batch:
                _run(partial(_executemany, sql, batch), raw)
    return count


def _csv(rows: list) -> io.StringIO:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer


def update(model, names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """UPDATE model SET names... WHERE pk = last value of each row."""
    wait()
    table = _quote(model._meta.db_table)
    columns = _columns(model, names)
    pk = _quote(model._meta.pk.column)
    count = 0
    # wrap_database_errors: driver errors become django.db errors (IntegrityError...) as usual.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            sql = f"UPDATE {table} SET {', '.join(f'{_quote(c)} = %s' for c in columns)} WHERE {pk} = %s"
            batch = []
            for row in rows:
                batch.append(
                    tuple(
                        json.dumps(x, ensure_ascii=False) if isinstance(x, (dict, list)) else x for x in row
                    )
                )
                count += 1
                if len(batch) >= CHUNK:
                    execute_batch(cursor.cursor, sql, batch, page_size=500)
                    batch = []
            if batch:
                execute_batch(cursor.cursor, sql, batch, page_size=500)
        else:
            sql = f"UPDATE {table} SET {', '.join(f'{_quote(c)} = ?' for c in columns)} WHERE {pk} = ?"
            raw = cursor.cursor.connection.cursor() if hasattr(cursor.cursor, "connection") else cursor.cursor
            batch = []
            for row in _sqlite_rows(rows):
                batch.append(row)
                count += 1
                if len(batch) >= CHUNK:
                    raw.executemany(sql, batch)
                    batch = []
            if batch:
                raw.executemany(sql, batch)
    return count


def delete_where_in(model, column_attname: str, ids: Sequence[int]) -> None:
    wait()
    table = _quote(model._meta.db_table)
    column = _quote(_columns(model, [column_attname])[0])
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = list(ids[start : start + 900])
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
