"""Human-readable numbers for work orders, reports and certificates: a prefix, the local
date and a daily sequence, e.g. ``SQ202611260001``. Primary keys stay internal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import NumberSequence


def _upsert_sql(connection) -> str:
    q = connection.ops.quote_name
    table, key, last = q(NumberSequence._meta.db_table), q("key"), q("last")
    return (f"INSERT INTO {table} ({key}, {last}) VALUES (%s, 1) "
            f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}")


def next_number(prefix: str, *, day: dt.date | None = None, width: int = 4) -> str:
    """Must run inside the caller's transaction: the row lock makes two concurrent
    requests get different numbers, and a rollback gives the number back.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35) creates
    the day's row or takes its lock, increments and reads it in a single round trip; the
    earlier ``SELECT … FOR UPDATE`` then ``UPDATE`` (plus a savepoint on the day's first
    number) took three, all while other intakes waited on the lock."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must be called inside transaction.atomic()")
    day = day or timezone.localdate()
    key = f"{prefix}{day:%Y%m%d}"
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection), [key])
        (last,) = cursor.fetchone()
    return f"{key}{last:0{width}d}"
