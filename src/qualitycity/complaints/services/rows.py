"""Plain multi-row ``INSERT``s for the new rows of an intake.

Why not ``Model.save()`` or ``bulk_create``: every intake holds the day's number row locked
from the moment it takes its number until it commits (numbers have no gaps), so all
intakes queue behind the statements sent in that window. On a loaded two-core machine
each round trip in it cost about a millisecond of waiting (issue 5's intake benchmark:
200 requests/s), and the ORM spent as much CPU preparing the statements as the database
spent running them; on PostgreSQL ``bulk_create`` even sends every column as an array
through ``UNNEST``, which for two or three rows costs more than separate ``save()`` calls.
So the demand, its assignments and its events are written with the same field
conversions as ``save()``, one statement per model, and on PostgreSQL the intake sends
them with its audit events in one round trip (``statements``; the demand's key is reserved
from its sequence first, so the other rows can refer to it).

What it does not do, unlike ``save()``: send ``pre_save``/``post_save`` signals (nothing
in the platform listens to these models; every change is audited by its service) or
update an existing row.
"""

from __future__ import annotations

from django.db import connections, router


def _connection(model):
    return connections[router.db_for_write(model)]


_sequences: dict[tuple[str, str], str] = {}  # (alias, table): the sequence of its primary key
_sql: dict[tuple, tuple[list, str]] = {}  # (alias, model, keyed, rows, returning): fields and SQL


def reserve_key(model) -> int | None:
    """A primary key for a row about to be inserted, taken from the table's sequence
    (PostgreSQL); ``None`` where keys come only from the ``INSERT`` itself."""
    connection = _connection(model)
    if connection.vendor != "postgresql":
        return None
    meta = model._meta
    with connection.cursor() as cursor:
        sequence = _sequences.get((connection.alias, meta.db_table))
        if sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            sequence = _sequences[connection.alias, meta.db_table] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        return cursor.fetchone()[0]


def _statement(objs, connection, *, returning: bool = True) -> tuple[str, list]:
    meta = objs[0]._meta
    keyed = objs[0].pk is not None
    key = (connection.alias, meta.label, keyed, len(objs), returning)
    if key not in _sql:
        fields = [f for f in meta.concrete_fields if keyed or f is not meta.auto_field]
        q = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
               f"VALUES {', '.join([row] * len(objs))}")
        if returning:
            sql += f" RETURNING {q(meta.pk.column)}"
        _sql[key] = fields, sql
    fields, sql = _sql[key]
    return sql, [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]


def statements(*groups) -> list[tuple[str, list]]:
    """The ``INSERT`` statements of ``insert``, to be sent by someone else (the audit
    append sends them with its own); instances without a reserved key do not learn theirs.
    Once they have run, ``written`` marks an instance as saved."""
    groups = [list(g) for g in groups if g]
    if not groups:
        return []
    connection = _connection(type(groups[0][0]))
    return [_statement(objs, connection, returning=False) for objs in groups]


def insert(objs) -> None:
    """Insert new instances of one model (all with their primary key reserved, or all
    without) with one statement, and give each its key. Field defaults and
    ``auto_now``/``auto_now_add`` apply as in ``save()``."""
    objs = list(objs)
    if not objs:
        return
    connection = _connection(type(objs[0]))
    with connection.cursor() as cursor:
        cursor.execute(*_statement(objs, connection))
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):  # in VALUES order, which bulk_create relies on as well
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def written(obj) -> None:
    """Mark an instance inserted through ``statements`` as saved (it has its reserved key)."""
    obj._state.adding, obj._state.db = False, router.db_for_write(type(obj))
