"""One plain multi-row ``INSERT`` for the new rows of an intake.

Why not ``Model.save()`` or ``bulk_create``: an Open311 intake writes the demand, its
assignments and its timeline events, and the ORM spent about as much CPU preparing those
three statements as the database spent running them (issue 5's intake benchmark counts
every millisecond: 200 requests/s on two cores shared with PostgreSQL). On PostgreSQL
``bulk_create`` sends every column as an array through ``UNNEST``, which for two or three
rows costs more than two separate ``save()`` calls; this writes the same values through
the same field conversions, in one statement, with none of that.

What it does not do, unlike ``save()``: send ``pre_save``/``post_save`` signals (nothing
in the platform listens to these models; every change is audited by its service) or
update an existing row.
"""

from __future__ import annotations

from django.db import connections, router


def insert(objs) -> None:
    """Insert these new instances of one model with a single statement and give them their
    primary keys. Field defaults and ``auto_now``/``auto_now_add`` apply as in ``save()``."""
    objs = list(objs)
    if not objs:
        return
    meta = objs[0]._meta
    connection = connections[router.db_for_write(meta.model)]
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    q = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(objs))} RETURNING {q(meta.pk.column)}")
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()  # in VALUES order, which bulk_create relies on as well
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
