"""Connection and schema of the ledger (SQLite).

Tables are created by the modules that own them: each calls
``register_schema(name, sql)`` at import, and ``Ledger`` applies every
registered script (all ``CREATE … IF NOT EXISTS``) when it opens a file, so a
ledger written by an older formgen gains the new tables. The ``meta`` table
records the schema version for later migrations.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from formgen.errors import FormgenError

SCHEMA_VERSION = 1
_SCHEMAS: dict[str, str] = {}
_MIGRATIONS: dict[str, object] = {}  # name -> fn(connection): brings an older ledger's table up to date

_BASE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Modules whose import registers their tables.
_SCHEMA_MODULES = ("formgen.ledger.files", "formgen.ledger.forms", "formgen.ledger.judging",
                   "formgen.ledger.tallies", "formgen.ledger.events",
                   "formgen.ledger.mail", "formgen.ledger.results", "formgen.ledger.ballots",
                   "formgen.ledger.decisions", "formgen.ledger.crops", "formgen.ledger.users")


def register_schema(name: str, sql: str) -> None:
    _SCHEMAS[name] = sql


def register_migration(name: str, fn) -> None:
    """``fn(connection)`` runs inside the schema transaction after every script, each time a
    ledger opens: it must see for itself whether there is anything to do."""
    _MIGRATIONS[name] = fn


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise FormgenError(f"无法打开台账 {self.path}（{e}）；请确认目录可写") from None
        self.conn.row_factory = sqlite3.Row
        try:  # the first statements are where a file that is not a database shows
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise FormgenError(f"台账文件 {self.path.name} 已损坏或不是 formgen 台账（{e}）；请从备份恢复") from None
        self._apply_schema()

    def _apply_schema(self) -> None:
        import importlib

        for mod in _SCHEMA_MODULES:
            importlib.import_module(mod)
        try:
            with self.transaction():
                self.conn.execute(_BASE)
                for sql in _SCHEMAS.values():
                    for stmt in _split(sql):
                        self.conn.execute(stmt)
                for migrate in _MIGRATIONS.values():
                    migrate(self.conn)
                self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                                  (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise FormgenError(f"台账文件 {self.path.name} 已损坏或不是 formgen 台账（{e}）；请从备份恢复") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error (nested calls join the outer one)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _split(script: str) -> list[str]:
    """Statements of a schema script (no semicolons inside our DDL strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
