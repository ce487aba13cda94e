"""Loading the ICS and CCS code tables shipped in ``data/`` (see data/SOURCES.md)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_code_tables(IcsCode, CcsCode) -> tuple[int, int]:
    """Fill both tables if empty (idempotent; takes the model classes so a data migration
    can pass its historical models)."""
    added = [0, 0]
    if not IcsCode.objects.exists():
        IcsCode.objects.bulk_create(
            IcsCode(code=r["code"], description=r["description"][:300], parent_code=r["parent"], level=int(r["level"]))
            for r in _rows("ics_codes.csv")
        )
        added[0] = IcsCode.objects.count()
    if not CcsCode.objects.exists():
        CcsCode.objects.bulk_create(
            CcsCode(code=r["code"], name=r["name"][:120], parent_code=r["parent"], level=int(r["level"]), notes=r["notes"])
            for r in _rows("ccs_codes.csv")
        )
        added[1] = CcsCode.objects.count()
    return added[0], added[1]


def ensure_code_tables() -> None:
    from .models import CcsCode, IcsCode

    load_code_tables(IcsCode, CcsCode)
