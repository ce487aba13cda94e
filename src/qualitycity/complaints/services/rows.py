"""Plain multi-row ``INSERT``s for the new rows of an intake, sent together.

Why not ``Model.save()`` or ``bulk_create``: every intake holds the day's number row locked
from the moment it takes its number until it commits (numbers have no gaps), so all
intakes queue behind the statements sent in that window. On a loaded two-core machine
each round trip in it cost about a millisecond of waiting (issue 5's intake benchmark:
200 requests/s), and the ORM spent as much CPU preparing the statements as the database
spent running them; on PostgreSQL ``bulk_create`` even sends every column as an array
through ``UNNEST``, which for two or three rows costs more than separate ``save()`` calls.
So the demand, its assignments and its events are written with the same field
conversions as ``save()``, one statement per model, and on PostgreSQL all of them in one
round trip (the demand's key is reserved from its sequence first, so the other rows can
refer to it).

What it does not do, unlike ``save()``: send ``pre_save``/``post_save`` signals (nothing
in the platform listens to these models; every change is audited by its service) or
update an existing row.
"""

from __future__ import annotations

from django.db import connections, router


def _connection(model):
    return connections[router.db_for_write(model)]


def batches_statements(connection) -> bool:
    """Whether one ``execute`` may carry several statements: psycopg's client-side binding
    (Django's default on PostgreSQL) sends them as one simple query."""
    return connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get("server_side_binding")


def reserve_key(model) -> int | None:
    """A primary key for a row about to be inserted, taken from the table's sequence
    (PostgreSQL); ``None`` where keys come only from the ``INSERT`` itself."""
    connection = _connection(model)
    if connection.vendor != "postgresql":
        return None
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [meta.db_table, meta.pk.column])
        return cursor.fetchone()[0]


def _statement(objs, connection, *, returning: bool = True) -> tuple[str, list]:
    meta = objs[0]._meta
    keyed = objs[0].pk is not None
    fields = [f for f in meta.concrete_fields if keyed or f is not meta.auto_field]
    q = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(objs))}")
    if returning:
        sql += f" RETURNING {q(meta.pk.column)}"
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


def insert(*groups) -> None:
    """Insert new rows, each group a list of new instances of one model (all with their
    primary key reserved, or all without), and give every instance its key. Field defaults
    and ``auto_now``/``auto_now_add`` apply as in ``save()``."""
    groups = [list(g) for g in groups if g]
    if not groups:
        return
    connection = _connection(type(groups[0][0]))
    statements = [_statement(objs, connection) for objs in groups]
    with connection.cursor() as cursor:
        if batches_statements(connection):
            cursor.execute("; ".join(sql for sql, _ in statements), [p for _, params in statements for p in params])
            results = [cursor.fetchall()]
            while cursor.nextset():
                results.append(cursor.fetchall())
        else:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
    for objs, keys in zip(groups, results, strict=True):
        for obj, (pk,) in zip(objs, keys, strict=True):  # in VALUES order, which bulk_create relies on as well
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias


def written(obj) -> None:
    """Mark an instance inserted through ``statements`` as saved (it has its reserved key)."""
    obj._state.adding, obj._state.db = False, router.db_for_write(type(obj))
