"""`make bench-directory`: the directory at 50,000 enterprises on SQLite and PostgreSQL.

For each database it loads the demo city's directory at `--scale 25` (50,000 enterprises,
the providers, departments, parks, experts and the demo logins: what `qcity demo` builds
before the modules' own demo data) into an empty database (timed), then
measures p50/p95 latency of the enterprise list API (filtered by district and industry,
page 1 and page 200) and of the city home page, through Django's full request stack
in-process. It also checks that the number of SQL queries per page does not grow with
the page number, the page size or the volume of data (no N+1): a small SQLite run at
``--scale 1`` is loaded first, and every page that exists at both scales must run the
same number of queries. Results: bench/results/directory.json.

Page 200 with both filters needs more than 200 pages of matches: the busiest district
has about 3,300 manufacturers at 50,000 enterprises (165 pages of 20), so that one URL
asks for pages of 10.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "directory.json"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/qcity_bench")
REPEATS = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def worker(database_url: str, scale: int, measure: bool = True) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["QCITY_HOME"] = str(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("flush", interactive=False, verbosity=0) if _has_tables(connection) else None
    call_command("migrate", verbosity=0)
    from qualitycity.core.models import Organization

    if Organization.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city

    # The modules' demo data scale with --scale too (a year of demands, orders, service items
    # per 2,000 firms); they have benchmarks of their own, so this one times the directory.
    started = time.perf_counter()
    build_demo_city(scale=scale, seed=2026)
    create_demo_users()
    load_seconds = time.perf_counter() - started
    enterprises = Organization.objects.filter(kind="enterprise").count()

    client = Client()
    client.login(username="cityoffice", password="demo-2026")
    district = "东湖新技术开发区"
    urls = {
        "api_filtered_page1": f"/api/v1/enterprises?district={district}&industry=C&page=1",
        "api_district_page200": f"/api/v1/enterprises?district={district}&page=200",
        "api_filtered_page200_or_last": None,
        "city_home": "/",
        "api_district_page1": f"/api/v1/enterprises?district={district}&page=1",
    }
    total = client.get(f"/api/v1/enterprises?district={district}&industry=C").json()["count"]
    last_page = max(1, min(200, -(-total // 10)))
    urls["api_filtered_page200_or_last"] = (f"/api/v1/enterprises?district={district}&industry=C"
                                            f"&page={last_page}&page_size=10")
    latencies = {}
    queries = {}
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code == 404 and not measure:
            continue  # page 200 does not exist at scale 1
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[name] = len(ctx.captured_queries)
        if not measure:
            continue
        samples = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
        latencies[name] = {
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(percentile(samples, 95), 2),
            "max_ms": round(max(samples), 2),
            "n": REPEATS,
        }
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/api/v1/enterprises?district={district}&page=1&page_size=100")
    queries["api_district_page1_size100"] = len(ctx.captured_queries)
    # Same filters, different page number or page size: the count must not change.
    same_filter_groups = [
        ("api_filtered_page1", "api_filtered_page200_or_last"),
        ("api_district_page1", "api_district_page200"),
        ("api_district_page200", "api_district_page1_size100"),
    ]
    return {
        "database": connection.vendor,
        "enterprises": enterprises,
        "demo_load_seconds": round(load_seconds, 1),
        "filtered_total": total,
        "filtered_last_page_measured": last_page,
        "latency": latencies,
        "queries_per_request": queries,
        "queries_constant": all(queries[a] == queries[b] for a, b in same_filter_groups),
    }


def _has_tables(connection) -> bool:
    return "core_organization" in connection.introspection.table_names()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=25, help="25 x 2,000 = 50,000 enterprises")
    parser.add_argument("--worker", help="internal: run one database")
    parser.add_argument("--queries-only", action="store_true", help="internal: count queries, no timing")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.scale, measure=not args.queries_only)))
        return 0

    sqlite_path = ROOT / "var" / "bench" / "directory.sqlite3"
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)

    def fresh_sqlite() -> str:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"

    print("[bench-directory] sqlite: scale 1, counting queries for the volume check…", flush=True)
    small = json.loads(subprocess.run(
        [sys.executable, __file__, "--worker", fresh_sqlite(), "--scale", "1", "--queries-only"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout.strip().splitlines()[-1])
    targets = [("sqlite", fresh_sqlite())]
    if not args.skip_postgres:
        _ensure_postgres_database()
        targets.append(("postgresql", POSTGRES_URL))
    runs = {}
    for label, url in targets:
        print(f"[bench-directory] {label}: loading scale {args.scale} and measuring…", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--worker", url, "--scale", str(args.scale)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )
        runs[label] = json.loads(out.stdout.strip().splitlines()[-1])
        run = runs[label]
        # The same page at 2,000 and at 50,000 enterprises: the count must not grow with volume.
        run["queries_at_scale_1_sqlite"] = small["queries_per_request"]
        if label == "sqlite":
            run["queries_independent_of_volume"] = all(
                run["queries_per_request"][k] == v for k, v in small["queries_per_request"].items())
            run["queries_constant"] = run["queries_constant"] and run["queries_independent_of_volume"]
    result = {
        "benchmark": "directory",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "target": "p95 < 100 ms for the list API; the demo directory at --scale 25 (50,000 enterprises) < 120 s",
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for label, run in runs.items():
        print(f"{label}: {run['enterprises']} enterprises loaded in {run['demo_load_seconds']} s; "
              f"queries constant: {run['queries_constant']} {run['queries_per_request']}")
        for name, lat in run["latency"].items():
            print(f"  {name:<30} p50 {lat['p50_ms']:>7} ms   p95 {lat['p95_ms']:>7} ms")
    failed = [label for label, run in runs.items() if not run["queries_constant"]]
    if failed:
        print(f"N+1: query count varies with the page on {failed}", file=sys.stderr)
        return 1
    return 0


def _ensure_postgres_database() -> None:
    import psycopg

    name = POSTGRES_URL.rsplit("/", 1)[1]
    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
