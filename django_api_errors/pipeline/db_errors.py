"""Reading the driver's error Django wraps as ``__cause__``: which model fields a unique violation names
(never the database's own names), whether the database is out of reach (``docs/pipeline.md``)."""

from __future__ import annotations

import re
import sqlite3
import traceback
from collections.abc import Iterable, Sequence
from itertools import islice
from types import CodeType
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import UniqueConstraint

#: PostgreSQL SQLSTATE of a unique violation, and MySQL's error number for a duplicate entry.
PG_UNIQUE_VIOLATION = "23505"
MYSQL_DUPLICATE_ENTRY = 1062

#: PostgreSQL SQLSTATEs (or their two-character classes) of a database out of reach or locked:
#: connection exceptions, too many connections, shutting down, cannot connect now, lock not
#: available, deadlock detected.
PG_UNAVAILABLE = ("08", "53300", "57P01", "57P02", "57P03", "55P03", "40P01")
#: MySQL errors of the same kind: can't connect, server gone away, lost connection, too many
#: connections, lock wait timeout, deadlock.
MYSQL_UNAVAILABLE = frozenset({2002, 2003, 2006, 2013, 1040, 1205, 1213})
#: SQLite's messages for a file it cannot open or a lock it cannot take.
SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database file")

_SQLITE_UNIQUE = re.compile(r"^UNIQUE constraint failed: (.+)$")
_PG_KEY = re.compile(r"Key \((.+?)\)=")
_MYSQL_KEY = re.compile(r"for key '([^']+)'")


def _driver_error(exc: BaseException) -> tuple[str, Any, BaseException]:
    """The vendor of the driver's error behind ``exc``, its error code (SQLite's: its message), the error."""
    error = exc.__cause__ or exc
    package = type(error).__module__.split(".")[0]
    if isinstance(error, sqlite3.Error):
        return "sqlite", str(error), error
    if package in ("psycopg", "psycopg2"):  # psycopg 3 names the SQLSTATE sqlstate, psycopg2 pgcode
        return "postgresql", getattr(error, "sqlstate", None) or getattr(error, "pgcode", None), error
    if package in ("MySQLdb", "pymysql") and error.args and isinstance(error.args[0], int):
        return "mysql", error.args[0], error
    return "", None, error


def unique_violation_fields(exc: BaseException) -> tuple[str, ...] | None:
    """The model fields a unique violation names (empty when unknowable); None for any other error."""
    vendor, code, error = _driver_error(exc)
    if vendor == "sqlite" and (match := _SQLITE_UNIQUE.match(code)):
        return _fields_by_columns(column.strip().rsplit(".", 1) for column in match.group(1).split(","))
    if vendor == "postgresql" and code == PG_UNIQUE_VIOLATION:
        diag = getattr(error, "diag", None)
        table = getattr(diag, "table_name", None)
        key = _PG_KEY.search(str(error))
        columns = [column.strip().strip('"') for column in key.group(1).split(",")] if key else []
        found = _fields_by_columns([(table, column) for column in columns]) if table else ()
        return found or _fields_by_constraint(getattr(diag, "constraint_name", None))
    if vendor == "mysql" and code == MYSQL_DUPLICATE_ENTRY:
        key = _MYSQL_KEY.search(str(error))
        return _fields_by_constraint(key.group(1).rsplit(".", 1)[-1]) if key else ()
    return None


def is_unavailable(exc: BaseException) -> bool:
    """Whether the database could not be reached or a lock could not be taken (worth a retry)."""
    vendor, code, _ = _driver_error(exc)
    if vendor == "sqlite":
        return code.startswith(SQLITE_UNAVAILABLE)
    if vendor == "postgresql":  # a client-side failure (connection refused, timeout) has no SQLSTATE
        return code is None or code.startswith(PG_UNAVAILABLE)
    return code in MYSQL_UNAVAILABLE


def _fields_by_columns(pairs: Iterable[Sequence[str | None]]) -> tuple[str, ...]:
    """The names of the installed models' fields stored in the ``(table, column)`` pairs."""
    fields = {
        (m._meta.db_table, f.column): f.name for m in apps.get_models() for f in m._meta.concrete_fields
    }
    return tuple(dict.fromkeys(fields[pair] for pair in map(tuple, pairs) if pair in fields))


def _fields_by_constraint(name: str | None) -> tuple[str, ...]:
    """The fields of the unique constraint (or unique field, whose index a database may name after
    its column) called ``name`` in any installed model."""
    if not name:
        return ()
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name == name:
                return tuple(constraint.fields)
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key and field.column == name:
                return (field.name,)
    return ()


def request_rolled_back(request: Any) -> bool:
    """Whether the Django request's writes are being rolled back: it runs inside an ``atomic`` block
    (the handler marks it for rollback), or ``ATOMIC_REQUESTS`` wrapped its view (already rolled back
    when a middleware sees the exception)."""
    if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        return True
    match = getattr(request, "resolver_match", None)
    non_atomic = getattr(getattr(match, "func", None), "_non_atomic_requests", set())
    return any(
        settings_dict.get("ATOMIC_REQUESTS") and alias not in non_atomic
        for alias, settings_dict in connections.settings.items()
    )


def raised_in(exc: BaseException, code: CodeType, depth: int = 64) -> bool:
    """Whether ``code`` ran in one of the first ``depth`` frames ``exc`` passed through."""
    return any(frame.f_code is code for frame, _ in islice(traceback.walk_tb(exc.__traceback__), depth))
