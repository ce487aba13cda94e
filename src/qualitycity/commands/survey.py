"""``qcity survey``: survey-analysis commands that need no Django.

``qcity survey pls --model model.toml --data data.csv --output results.json
[--scheme centroid|factorial|path] [--bootstrap N --seed S] [--weights COLUMN]
[--missing casewise|mean]`` estimates a PLS path model and writes its results as
JSON.  Other tools depend on this contract (see issue 7): the output always has
``paths`` (keys ``"Source -> Target"``), ``r2``, ``outer_weights``, ``loadings``,
``index``, ``quality``, ``iterations``, ``converged``, and ``bootstrap`` when
bootstrapping.  Bad input prints one line on stderr, exits with status 2 and
writes no output file.

Model file (TOML)::

    [constructs]
    Image = ["IMAG1", "IMAG2", "IMAG3"]
    Satisfaction = ["CUSA1", "CUSA2", "CUSA3"]
    [paths]
    Image = ["Satisfaction"]
    [modes]            # optional, default "A"
    Image = "A"
    [scale]            # optional: item scale for the 0-100 index
    min = 1
    max = 10
    [options]          # optional: scheme, missing, weights, ipma, tol, max_iter
    scheme = "path"

Command-line options override ``[options]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import sys
import tempfile
import tomllib
import warnings
from pathlib import Path

import numpy as np

from qualitycity.methods.pls import (
    MISSING_OPTIONS,
    SCHEMES,
    PLSModel,
    PLSModelError,
    bootstrap,
    fit,
    ipma,
)

_SECTIONS = {"constructs", "paths", "modes", "scale", "options"}
_OPTIONS = {"scheme", "missing", "weights", "ipma", "tol", "max_iter"}
_NA = {"", "na", "nan", "null", "none", "."}


class UsageError(Exception):
    """Any problem with the command line, the model file or the data file."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="qcity survey", description="Survey analysis commands.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    pls = sub.add_parser("pls", help="estimate a PLS path model (ACSI/ECSI-style index)")
    pls.add_argument("--model", required=True, type=Path, help="model TOML file")
    pls.add_argument("--data", required=True, type=Path, help="CSV with a header row")
    pls.add_argument("--output", required=True, type=Path, help="results JSON to write")
    pls.add_argument("--scheme", choices=SCHEMES, help="inner weighting scheme (default: path)")
    pls.add_argument("--bootstrap", type=int, metavar="N", help="bootstrap resamples (1000 or more advised)")
    pls.add_argument("--seed", type=int, metavar="S", help="bootstrap seed (default: random, reported)")
    pls.add_argument("--weights", metavar="COLUMN", help="case-weight column in the data")
    pls.add_argument("--missing", choices=MISSING_OPTIONS, help="missing cells: casewise deletion or mean imputation")
    pls.add_argument("--ipma", metavar="TARGET", help="add an importance-performance map for this construct")
    pls.add_argument("--max-iter", type=int, metavar="N", help="iteration cap (default 300)")
    pls.add_argument("--allow-nonconvergence", action="store_true",
                     help="write results (converged=false) instead of failing when the cap is hit")
    return p


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError as exc:
        print(f"qcity survey: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        return _pls(args)
    except (UsageError, PLSModelError) as exc:
        print(f"qcity survey pls: error: {_one_line(exc)}", file=sys.stderr)
        return 2


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _pls(args) -> int:
    spec = _read_model(args.model)
    opts = spec.get("options", {})
    unknown = set(opts) - _OPTIONS
    if unknown:
        raise UsageError(f"{args.model}: unknown key(s) in [options]: {', '.join(sorted(unknown))}")
    try:
        model = PLSModel(spec.get("constructs", {}), spec.get("paths", {}), spec.get("modes", {}))
    except (AttributeError, TypeError):
        raise UsageError(f"{args.model}: [constructs], [paths] and [modes] must be tables of names") from None
    if args.seed is not None and args.bootstrap is None:
        raise UsageError("--seed given without --bootstrap")
    if args.bootstrap is not None and args.bootstrap < 2:
        raise UsageError("--bootstrap needs at least 2 resamples")
    scheme = args.scheme or opts.get("scheme", "path")
    if scheme not in SCHEMES:
        raise UsageError(f"{args.model}: scheme '{scheme}' is not one of {', '.join(SCHEMES)}")
    missing = args.missing or opts.get("missing")
    weights = args.weights or opts.get("weights")
    target = args.ipma or opts.get("ipma")
    try:
        max_iter = int(args.max_iter or opts.get("max_iter", 300))
        tol = float(opts.get("tol", 1e-7))
    except (TypeError, ValueError):
        raise UsageError(f"{args.model}: [options] tol and max_iter must be numbers") from None
    scale = None
    if "scale" in spec:
        sc = spec["scale"]
        if not isinstance(sc, dict) or set(sc) != {"min", "max"}:
            raise UsageError(f"{args.model}: [scale] needs exactly 'min' and 'max'")
        scale = (sc["min"], sc["max"])

    columns = list(model.indicators) + ([weights] if weights else [])
    data = _read_csv(args.data, columns)
    with warnings.catch_warnings():
        # The engine also raises a RuntimeWarning for library callers; here the same text is
        # printed once below from result.notes, so the Python warning would repeat it.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = fit(model, data, scheme=scheme, weights=weights, missing=missing, scale=scale,
                     tol=tol, max_iter=max_iter,
                     allow_nonconvergence=args.allow_nonconvergence)
    out = result.to_dict()
    if target:
        out["ipma"] = ipma(result, target)
    if args.bootstrap is not None:
        if args.bootstrap < 1000:
            print(f"qcity survey pls: note: {args.bootstrap} resamples; 1000 or more are advised for CIs",
                  file=sys.stderr)
        seed = args.seed if args.seed is not None else secrets.randbelow(2 ** 32)
        out["bootstrap"] = bootstrap(result, n_boot=args.bootstrap, seed=seed).to_dict()
    for note in result.notes:
        print(f"qcity survey pls: warning: {note}", file=sys.stderr)
    miss = result.missing
    if miss["cases_dropped"] or miss["cells_imputed"]:
        print(f"qcity survey pls: note: {miss['cases_dropped']} case(s) dropped, "
              f"{miss['cells_imputed']} cell(s) imputed ({miss['method']})", file=sys.stderr)
    _write_json(args.output, out)
    return 0


def _read_model(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            spec = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"model file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"model file {path} is not valid TOML: {exc}") from None
    unknown = set(spec) - _SECTIONS
    if unknown:
        raise UsageError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}; "
                         f"expected {', '.join(sorted(_SECTIONS))}")
    for need in ("constructs", "paths"):
        if need not in spec:
            raise UsageError(f"{path}: missing [{need}] section")
    return spec


def _read_csv(path: Path, columns: list[str]) -> dict[str, np.ndarray]:
    """Read only the columns the model needs; blank/NA cells become NaN (handled by --missing)."""
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"data file {path} not found") from None
    with fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise UsageError(f"data file {path} is empty")
        header = [h.strip() for h in header]
        pos = {h: i for i, h in enumerate(header)}
        wanted = [c for c in dict.fromkeys(columns) if c in pos]   # absent ones: reported by the engine
        values: dict[str, list[float]] = {c: [] for c in wanted}
        for line, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise UsageError(f"{path} line {line}: {len(row)} fields, header has {len(header)}")
            for c in wanted:
                cell = row[pos[c]].strip()
                if cell.lower() in _NA:
                    values[c].append(math.nan)
                    continue
                try:
                    values[c].append(float(cell))
                except ValueError:
                    raise UsageError(f"{path} line {line}: column '{c}' has non-numeric value '{cell}'") from None
    return {c: np.asarray(v, dtype=float) for c, v in values.items()}


def _clean(obj):
    """JSON has no NaN/inf: turn them into null so the file stays standard JSON."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def _write_json(path: Path, obj) -> None:
    """Write atomically, so a failure never leaves a partial results file behind."""
    text = json.dumps(_clean(obj), indent=2, ensure_ascii=False, allow_nan=False)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
