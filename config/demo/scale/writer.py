"""Writing millions of rows fast: PostgreSQL's COPY, with the tables' indexes and foreign keys
set aside while they load; a plain ``executemany`` on SQLite (a tiny province, in the tests).

Rows are tuples in the order of the columns a table was declared with; each table's ids are
given out here (from the largest id already there), so that rows can point at each other
before they are written. On PostgreSQL a thread of the writer sends them (on the transaction's
own connection, which the caller leaves alone until ``flush`` returns), so that the database
takes in one batch while Python makes the next.

On PostgreSQL, ``set_aside`` drops the loaded tables' foreign keys, unique constraints and
secondary indexes (the primary keys and CHECK constraints stay and judge every row as it
arrives), and ``restore`` builds them again from their stored definitions: a unique constraint
then judges every row at once, and every foreign key is validated by one query over the whole
table — the loaded rows are checked by the database, only not one by one. All of that runs in
the caller's transaction: a load that fails leaves the tables as they were. Only the search
indexes (GIN, not unique: no row can make them fail) are left to ``build_search_indexes``, for
after the commit, two at a time on connections of their own; they take most of the time.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

# Rows kept in memory per table before they are sent.
FLUSH_ROWS = 50_000


class BulkWriter:
    """Buffers rows per table and writes them in bulk (see the module)."""

    def __init__(self, log: Callable[[str], None] = lambda _msg: None):
        self.log = log
        self.postgres = connection.vendor == "postgresql"
        self.columns: dict[type[models.Model], tuple[str, ...]] = {}
        self.rows: dict[type[models.Model], list[tuple]] = defaultdict(list)
        self.written: dict[type[models.Model], int] = defaultdict(int)
        self._next_id: dict[type[models.Model], int] = {}
        self._aside: list[tuple[str, str, str]] = []  # (kind, table, definition)
        # The GIN indexes of the searched fields, built by build_search_indexes.
        self.search_indexes: list[tuple[str, str]] = []  # (table, definition)
        self._batches: queue.Queue = queue.Queue(maxsize=4)
        self._sender: threading.Thread | None = None
        self._failure: BaseException | None = None

    # --- tables and ids ----------------------------------------------------------------------

    def table(self, model: type[models.Model], fields: Sequence[str]) -> None:
        """Declare a table and the attribute names (``workstation_id`` …) its rows give."""
        self.columns[model] = tuple(fields)
        if model not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT MAX("{model._meta.pk.column}") FROM "{_table(model)}"')
                self._next_id[model] = (cursor.fetchone()[0] or 0) + 1

    def new_id(self, model: type[models.Model]) -> int:
        pk = self._next_id[model]
        self._next_id[model] = pk + 1
        return pk

    def add(self, model: type[models.Model], row: tuple) -> None:
        rows = self.rows[model]
        rows.append(row)
        if len(rows) >= FLUSH_ROWS:
            self._write(model)

    def flush(self) -> None:
        """Write every row added so far; on return the connection is the caller's again."""
        for model in list(self.rows):
            self._write(model)
        if self._sender is not None:
            self._batches.join()
        if self._failure is not None:
            raise self._failure

    def _write(self, model: type[models.Model]) -> None:
        rows = self.rows.pop(model, [])
        if not rows:
            return
        columns = [model._meta.get_field(f).column for f in self.columns[model]]
        names = ", ".join(f'"{c}"' for c in columns)
        self.written[model] += len(rows)
        if self.postgres:
            statement = f'COPY "{_table(model)}" ({names}) FROM STDIN (FORMAT BINARY)'
            self._send(statement, self._types(model), rows)
            return
        fields = [model._meta.get_field(f) for f in self.columns[model]]
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
            for row in rows
        ]
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{_table(model)}" ({names}) VALUES ({marks})', prepared
            )

    def stop(self) -> None:
        """Write what is left and end the sending thread."""
        self.flush()
        if self._sender is not None:
            self._batches.put(None)
            self._sender.join()
            self._sender = None

    def _types(self, model: type[models.Model]) -> list[str]:
        """The PostgreSQL types of a table's columns, which a binary COPY must be told."""
        types = [model._meta.get_field(name).db_type(connection) for name in self.columns[model]]
        return [t.split("(")[0].strip() for t in types]  # varchar(100) → varchar

    def _send(self, statement: str, types: list[str], rows: list[tuple]) -> None:
        if self._failure is not None:
            raise self._failure
        if self._sender is None:
            connection.ensure_connection()
            # The psycopg connection of this thread's transaction, for the sending thread.
            raw = connection.connection
            self._sender = threading.Thread(target=self._copy_batches, args=(raw,), daemon=True)
            self._sender.start()
        self._batches.put((statement, types, rows))

    def _copy_batches(self, raw) -> None:
        while True:
            batch = self._batches.get()
            if batch is None:  # stop()
                self._batches.task_done()
                return
            statement, types, rows = batch
            try:
                if self._failure is None:
                    with raw.cursor() as cursor, cursor.copy(statement) as copy:
                        copy.set_types(types)
                        for row in rows:
                            copy.write_row(row)
            except BaseException as failure:  # handed to the caller's thread by flush()
                self._failure = failure
            finally:
                self._batches.task_done()

    # --- PostgreSQL: indexes and foreign keys set aside while loading ------------------------

    def set_aside(self, models_: Iterable[type[models.Model]]) -> None:
        """Drop the foreign keys, unique constraints and secondary indexes of these tables,
        keeping their definitions for ``restore``. Nothing on SQLite."""
        if not self.postgres:
            return
        tables = [_table(m) for m in models_]
        with connection.cursor() as cursor:
            # Deferred checks of rows written earlier in this transaction (the demo's, in a
            # test) run now: a table with checks pending cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                """
                SELECT c.contype, t.relname, c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relname = ANY(%s) AND c.contype IN ('f', 'u')
                ORDER BY c.contype, t.relname, c.conname
                """,
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT t.relname, i.relname, pg_get_indexdef(i.oid),
                       am.amname = 'gin' AND NOT x.indisunique
                FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_am am ON am.oid = i.relam
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = ANY(%s) AND NOT x.indisprimary
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                  )
                ORDER BY t.relname, i.relname
                """,
                [tables],
            )
            indexes = cursor.fetchall()
            for kind, table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                statement = f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
                self._aside.append(("foreign key" if kind == "f" else "unique", table, statement))
            for table, name, definition, search in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
                if search:
                    self.search_indexes.append((table, definition))
                else:
                    self._aside.append(("index", table, definition))
        self.log(
            f"  set aside {len(indexes)} indexes and {len(constraints)} constraints "
            f"of {len(tables)} tables"
        )

    def restore(self) -> dict[str, float]:
        """Build again what ``set_aside`` dropped but the search indexes — indexes and unique
        constraints first, then the foreign keys (each validated over its whole table) — and
        move each loaded table's id sequence past its rows. Returns the seconds per kind."""
        self.stop()
        spent: dict[str, float] = defaultdict(float)
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                order = {"index": 0, "unique": 1, "foreign key": 2}
                for kind, _table_name, statement in sorted(self._aside, key=lambda a: order[a[0]]):
                    started = time.monotonic()
                    cursor.execute(statement)
                    spent[kind] += time.monotonic() - started
                for model in self.columns:
                    pk = model._meta.pk.column
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                        f'GREATEST((SELECT MAX("{pk}") FROM "{_table(model)}"), 1))',
                        [_table(model), pk],
                    )
        self._aside = []
        return dict(spent)


def build_search_indexes(indexes: list[tuple[str, str]], *, background: bool) -> _Builders:
    """Build the search indexes (table, definition) ``set_aside`` kept: with ``background``
    (after the load's commit) on two threads with connections of their own, those of the
    largest tables first, while the caller goes on (``join`` what is returned); else at once,
    on the caller's connection (a load inside a longer transaction, as in the tests)."""
    builders = _Builders()
    if not indexes:
        return builders
    with connection.cursor() as cursor:
        sizes = {}
        for table in {t for t, _d in indexes}:
            cursor.execute("SELECT pg_relation_size(%s)", [table])
            sizes[table] = cursor.fetchone()[0]
    pending: queue.Queue = queue.Queue()
    for _table_name, definition in sorted(indexes, key=lambda i: (-sizes[i[0]], i[1])):
        pending.put(definition)
    if not background:
        builders.build(pending, own_connection=False)
        builders.join()
        return builders
    for _ in range(2):
        thread = threading.Thread(target=builders.build, args=(pending, True))
        builders.threads.append(thread)
        thread.start()
    return builders


class _Builders:
    """The threads that build the search indexes; ``join`` raises what failed in them."""

    def __init__(self):
        self.threads: list[threading.Thread] = []
        self.failures: list[BaseException] = []

    def build(self, pending: queue.Queue, own_connection: bool) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                while True:
                    try:
                        statement = pending.get_nowait()
                    except queue.Empty:
                        return
                    cursor.execute(statement)
        except BaseException as failure:
            self.failures.append(failure)
        finally:
            if own_connection:
                connection.close()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()
        if self.failures:
            raise self.failures[0]


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def set_load_settings() -> None:
    """Settings of this transaction that make a large load cheaper (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")


def analyze(models_: Iterable[type[models.Model]], *, vacuum: bool) -> None:
    """Fresh planner statistics for these tables (and on PostgreSQL with ``vacuum`` their
    visibility maps, so that index-only scans work at once and autovacuum has nothing left
    to do during a benchmark). Outside any transaction."""
    with connection.cursor() as cursor:
        for model in models_:
            if connection.vendor == "postgresql":
                verb = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
                cursor.execute(f'{verb} "{_table(model)}"')
            else:
                cursor.execute(f'ANALYZE "{_table(model)}"')
