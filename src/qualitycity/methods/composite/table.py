"""Reading and validating the wide unit × indicator table.

The engine works on a plain ``float`` matrix ``X`` of shape (m units, q indicators)
with ``NaN`` for missing cells.  This module turns CSV text into that matrix and
checks the structural problems listed under "Bad input" in the issue (missing or
duplicated unit column, non-numeric cell, indicator with no variance, indicator
with all values missing) so that every later step can assume a clean matrix.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from .errors import CompositeInputError

# Cells that mean "no value" rather than "bad value".  Kept deliberately short:
# anything else that does not parse as a number is reported, because a silent
# NaN would be imputed and hide a data-entry error.
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "-", "—", ".."})


@dataclass(frozen=True)
class Table:
    units: list[str]
    indicators: list[str]
    values: np.ndarray  # float, shape (len(units), len(indicators)), NaN = missing


def parse_number(text: str, row_label: str, column: str) -> float:
    raw = text.strip()
    if raw.lower() in MISSING_TOKENS:
        return math.nan
    try:
        value = float(raw)
    except ValueError:
        raise CompositeInputError(
            f"non-numeric cell in row {row_label}, column {column!r}: {raw!r}"
        ) from None
    if not math.isfinite(value):
        raise CompositeInputError(f"non-finite cell in row {row_label}, column {column!r}: {raw!r}")
    return value


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers in the file (a BOM from Excel is dropped)."""
    text = text.lstrip("\ufeff")  # Excel writes a BOM in "CSV UTF-8"
    reader = csv.reader(io.StringIO(text))
    out = []
    for row in reader:
        if any(c.strip() for c in row):
            out.append((reader.line_num, row))
    return out


def _header(rows: list[tuple[int, list[str]]], unit_column: str) -> list[str]:
    if not rows:
        raise CompositeInputError("data file is empty")
    header = [h.strip() for h in rows[0][1]]
    if not header or header[0] != unit_column:
        if unit_column in header:
            raise CompositeInputError(
                f"the {unit_column!r} column must be the first column (found at position {header.index(unit_column) + 1})"
            )
        raise CompositeInputError(f"unit column {unit_column!r} is missing (first column is {header[0]!r})")
    if header.count(unit_column) > 1:
        raise CompositeInputError(f"unit column {unit_column!r} appears {header.count(unit_column)} times in the header")
    return header


def _table(indicators: list[str], body: list[tuple[int, list[str]]]) -> Table:
    """Rows are ``[unit, value, value, …]`` in ``indicators`` order, with their file line numbers."""
    if not indicators:
        raise CompositeInputError("data file has no indicator columns")
    dup = sorted({h for h in indicators if indicators.count(h) > 1})
    if dup:
        raise CompositeInputError(f"indicator column(s) duplicated in the header: {', '.join(dup)}")
    if any(not h for h in indicators):
        raise CompositeInputError("an indicator column has an empty name")
    units: list[str] = []
    lines: list[int] = []
    values = np.full((len(body), len(indicators)), np.nan)
    for i, (line, row) in enumerate(body):
        unit = row[0].strip() if row else ""
        if not unit:
            raise CompositeInputError(f"row {line}: the unit cell is empty")
        if unit in units:
            raise CompositeInputError(f"unit {unit!r} is duplicated (rows {lines[units.index(unit)]} and {line})")
        if len(row) - 1 > len(indicators):
            raise CompositeInputError(f"row {line} (unit {unit}) has more cells than the header")
        units.append(unit)
        lines.append(line)
        for j, name in enumerate(indicators):
            cell = row[j + 1] if j + 1 < len(row) else ""
            values[i, j] = parse_number(cell, f"{line} (unit {unit})", name)
    if not units:
        raise CompositeInputError("data file has a header but no units")
    return Table(units, indicators, values)


def read_wide_csv(text: str, unit_column: str = "unit") -> Table:
    """Parse wide CSV text whose first column is ``unit``.

    Row labels in messages are ``<line number> (unit <name>)`` so the analyst can
    find the cell both in a spreadsheet and by district name.
    """
    rows = _csv_rows(text)
    header = _header(rows, unit_column)
    return _table(header[1:], rows[1:])


@dataclass(frozen=True)
class PanelData:
    """A long table split by time (oldest first), and each unit's imputation group if given."""

    tables: dict[float, Table]
    groups: dict[str, str] | None


def read_panel_csv(text: str, *, unit_column: str = "unit", time_column: str = "year",
                   group_column: str = "imputation_group") -> PanelData:
    """Like :func:`read_wide_csv`, with two optional extra columns anywhere after ``unit``.

    * ``year``: the data are long (one row per unit and year); LOCF imputation carries
      a unit's last earlier value forward, and each year is a table of its own;
    * ``imputation_group``: the unit's group for group-mean imputation (the same label
      in every year of a unit).

    Without either column this is exactly :func:`read_wide_csv` under time 0.
    """
    rows = _csv_rows(text)
    header = _header(rows, unit_column)
    t_col = header.index(time_column) if time_column in header else None
    g_col = header.index(group_column) if group_column in header else None
    for col, name in ((t_col, time_column), (g_col, group_column)):
        if col is not None and header.count(name) > 1:
            raise CompositeInputError(f"column {name!r} appears {header.count(name)} times in the header")
    meta = {c for c in (t_col, g_col) if c is not None}
    keep = [j for j in range(len(header)) if j not in meta]
    by_time: dict[float, list[tuple[int, list[str]]]] = {}
    groups: dict[str, str] = {}
    for line, row in rows[1:]:
        unit = row[0].strip() if row else ""
        t = 0.0
        if t_col is not None:
            raw = row[t_col].strip() if t_col < len(row) else ""
            try:
                t = float(raw)
            except ValueError:
                raise CompositeInputError(f"row {line} (unit {unit}): {time_column} {raw!r} is not a number") from None
        if g_col is not None:
            label = row[g_col].strip() if g_col < len(row) else ""
            if not label:
                raise CompositeInputError(f"row {line} (unit {unit}): the {group_column} cell is empty")
            if groups.setdefault(unit, label) != label:
                raise CompositeInputError(
                    f"row {line} (unit {unit}): {group_column} {label!r} differs from {groups[unit]!r} given earlier")
        by_time.setdefault(t, []).append((line, [row[j] if j < len(row) else "" for j in keep]))
    indicators = [header[j] for j in keep[1:]]
    if not by_time:
        _table(indicators, [])  # raises the "no units" message
    tables = {t: _table(indicators, body) for t, body in sorted(by_time.items())}
    return PanelData(tables, groups if g_col is not None else None)


def check_matrix(X: np.ndarray, indicators: list[str], *, allow_missing: bool = True) -> np.ndarray:
    """Validate a numeric matrix: all-missing and constant indicators are refused.

    A constant indicator cannot be normalised by min-max or z-scores (division by
    zero) and carries no information for ranking, so it is an input error rather
    than something to patch silently.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(indicators):
        raise CompositeInputError(f"data has shape {X.shape}, expected (units, {len(indicators)})")
    if X.shape[0] < 2:
        raise CompositeInputError("at least two units are needed to build a composite indicator")
    for j, name in enumerate(indicators):
        col = X[:, j]
        ok = ~np.isnan(col)
        if not ok.any():
            raise CompositeInputError(f"indicator {name!r}: all values are missing")
        if not allow_missing and not ok.all():
            bad = int(np.flatnonzero(~ok)[0])
            raise CompositeInputError(f"indicator {name!r}: missing value for unit #{bad + 1}; choose an imputation method")
        if np.ptp(col[ok]) == 0:
            raise CompositeInputError(
                f"indicator {name!r} has no variance (every unit has {col[ok][0]:g}); drop it or fix the data"
            )
    return X
