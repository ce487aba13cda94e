"""`make bench-complaints`: Open311 intake throughput, classifier quality, bulletins and list pages at 1M demands.

PostgreSQL only. The bench creates a database of its own (``qcity_bench_complaints`` on
127.0.0.1:5432, user postgres; override with ``BENCH_COMPLAINTS_URL``), loads the demo city
and the complaints demo history into it, and drops it at the end (``--keep`` keeps it).

1. **Classifier quality**: ``classify.retrain``, the code path of ``qcity complaints retrain``,
   on the demo history: accuracy and macro-F1 per target on the held-out 20 %.
2. **Intake throughput**: the platform under gunicorn with 4 worker processes on loopback;
   ``--clients`` threads POST Open311 ``requests`` (form-encoded, with an ``api_key``) for
   ``--seconds``: requests/s, latency p50/p95, and afterwards the Demand rows counted, to
   prove none was lost (sent == created).  Target ≥ 200 requests/s.  The per-IP throttle of
   the complaints app guards the citizens' web form only; Open311 writes are authenticated
   by their api_key and not throttled, so there is nothing to relax for this test.
   ``SECURE_SSL_REDIRECT=0`` is set for the server because loopback has no TLS proxy.
   On a machine with few cores the rate is bounded by CPU, so the run also reports the CPU
   the gunicorn workers and the PostgreSQL backends spent per request (and the load
   average, since other work on the machine takes its share), and, in-process, the Python
   CPU, SQL statements and round trips of an Open311 POST through Django's test client.
   (bench/complaints_intake.py)
3. **Bulletin over ``--demands`` demands** (default 1,000,000), bulk-loaded with COPY:
   the monthly and quarterly bulletin per department and per district, and the page.
   Target ≤ 10 s. (bench/complaints_bulk.py, as part 4)
4. **Staff list pages** through Django's test client, before (≈ demo size) and after the bulk
   load: p50/p95 latency and SQL queries per page, which must not grow with the table.

``--quick``: 20,000 demands, 5 s of intake, fewer repeats (marked ``"quick": true``).
``--only-intake``: the classifier and intake parts only (no bulk load, bulletins or lists);
the run replaces only the ``intake`` section of the results (stamped with its own command
and time) and keeps the other sections of the last complete run.
Results: bench/results/complaints.json, with the machine's core count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import urllib.parse
from pathlib import Path

from complaints_bulk import bulk_load, bulletin_timing, list_pages  # parts 3 and 4
from complaints_intake import intake_throughput  # part 2

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qcity_bench_complaints"


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _db_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


# ---- 1. setup and classifier ---------------------------------------------------------------

def setup_city() -> dict:
    from django.core.management import call_command

    from qualitycity.complaints import demo
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_demo_city(scale=1, seed=2026)
    create_demo_users()
    demo.load_demo(seed=2026, scale=1, stdout=open(os.devnull, "w"))
    return {"seconds": round(time.perf_counter() - started, 1)}


def classifier_quality() -> dict:
    from qualitycity.complaints.services import classify
    from qualitycity.core.services.audit import Actor

    started = time.perf_counter()
    metrics = classify.retrain(by=Actor.system("bench"), seed=0)
    return {**metrics, "train_seconds": round(time.perf_counter() - started, 1), "path": "qcity complaints retrain"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 demands, 5 s of intake, fewer repeats")
    parser.add_argument("--demands", type=int, help="demands to bulk-load (default 1,000,000; quick 20,000)")
    parser.add_argument("--seconds", type=float, help="intake duration (default 30; quick 5)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent Open311 clients")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--only-intake", action="store_true", help="classifier and intake only")
    args = parser.parse_args(argv)
    n = args.demands or (20_000 if args.quick else 1_000_000)
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    repeats = 5 if args.quick else 20
    url = os.environ.get("BENCH_COMPLAINTS_URL", DEFAULT_URL)
    name = _db_name(url)
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(url, f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=url, QCITY_HOME=str(ROOT), DJANGO_SETTINGS_MODULE="qualitycity.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor != "postgresql":
        print("bench-complaints needs PostgreSQL (BENCH_COMPLAINTS_URL)", file=sys.stderr)
        return 2
    result = {"benchmark": "complaints", "quick": args.quick,
              "command": " ".join(["python bench/complaints.py", *(sys.argv[1:] if argv is None else argv)]),
              "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
              "database": f"PostgreSQL {connection.cursor().connection.info.server_version}"}
    try:
        result["setup"] = setup_city()
        print(f"[bench-complaints] demo city ready in {result['setup']['seconds']} s", flush=True)
        result["classifier"] = classifier_quality()
        for target, m in result["classifier"]["targets"].items():
            print(f"  classifier {target:9s} accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}", flush=True)
        result["intake"] = intake_throughput(url, seconds, args.clients)
        i = result["intake"]
        print(f"  intake {i['requests_per_second']} req/s (target 200), p50 {i['p50_ms']} ms, p95 {i['p95_ms']} ms; "
              f"sent {i['sent_ok_total']} created {i['demands_created']} none lost: {i['none_lost']}; {i['throttle']}",
              flush=True)
        cpu, proc = i["cpu_ms_per_request"], i["in_process"]
        print(f"  intake CPU per request: gunicorn workers {cpu['gunicorn_workers']} ms, PostgreSQL "
              f"{cpu['postgresql_backends']} ms, load generator {cpu['load_generator']} ms on {os.cpu_count()} cores "
              f"(load average {i['load_average']['before']} -> {i['load_average']['after']}); in-process "
              f"{proc['cpu_ms_per_request']} ms, {proc['queries_per_request']} SQL statements in "
              f"{proc['round_trips_per_request']} round trips per POST", flush=True)
        if not args.only_intake:
            later_parts(result, n, repeats, args.quick)
    finally:
        connection.close()
        if not args.keep:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    out = RESULTS / "complaints.json"
    if args.only_intake and out.exists():  # keep the other parts' figures of the last complete run
        result = {**json.loads(out.read_text()), "intake": {
            **result["intake"], "command": result["command"], "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": result["machine"], "database": result["database"]}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    constant = result.get("queries_constant", True)
    print(f"[bench-complaints] wrote {out.relative_to(ROOT)}; queries constant: {result.get('queries_constant', '-')}")
    return 0 if constant and result["intake"]["none_lost"] else 1


def later_parts(result: dict, n: int, repeats: int, quick: bool) -> None:
    """Lists at demo size, the bulk load, bulletins and lists at ``n`` demands."""
    result["list_small"] = list_pages(repeats)
    result["bulk_load"] = bulk_load(n, seed=2026)
    print(f"  bulk-loaded {n} demands in {result['bulk_load']['total_seconds']} s", flush=True)
    result["bulletin"] = bulletin_timing(3 if quick else 5)
    print(f"  bulletin worst {result['bulletin']['worst_s']} s (target 10 s)", flush=True)
    result["list_large"] = list_pages(repeats)
    small, large = result["list_small"]["pages"], result["list_large"]["pages"]
    result["queries_constant"] = all(small[k]["queries"] == large[k]["queries"] for k in small)
    for k, v in large.items():
        print(f"  {k:60s} p95 {v['p95_ms']:8.1f} ms  queries {small[k]['queries']} -> {v['queries']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
