"""`make bench-inspection`: report render+sign time, verification throughput, order lists at 200k orders.

On a fresh SQLite database (``var/bench/inspection.sqlite3``; set ``BENCH_DATABASE_URL`` for
PostgreSQL) it loads the demo city and the inspection catalogue, inserts ``--orders``
historical orders (default 200,000), then measures:

- render (WeasyPrint) + sign (pyHanko PAdES) of one report: median and p95 over ``--signs`` runs
  (target: median ≤ 1.5 s);
- verification by number and by upload (whole PDF: signature + hash + status), per second;
- order list pages through Django's full request stack: p50/p95 and SQL queries per page.

Results: bench/results/inspection.json, with the machine's core count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "inspection.json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--signs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--only", choices=["stats"],
                        help="measure only the city statistics page (prints, writes no results file)")
    args = parser.parse_args(argv)

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        db = bench_dir / "inspection.sqlite3"
        db.unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    os.environ["DATABASE_URL"] = url
    os.environ["QCITY_HOME"] = str(ROOT)
    os.environ["QCITY_SIGNING_DIR"] = str(bench_dir / "keys")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from qualitycity.core.services.audit import Actor
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city
    from qualitycity.inspection import demo
    from qualitycity.inspection.models import Order, Report
    from qualitycity.inspection.services import reports

    started = time.perf_counter()
    build_demo_city(scale=1, seed=2026)
    create_demo_users()
    rng = random.Random(2026)
    labs = demo._catalogue(rng, Actor.system("bench"))
    reviewer = demo._reviewer()
    walked = demo._walk_orders(rng, labs, reviewer)
    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    inserted = demo.bulk_orders(rng, args.orders)
    insert_s = time.perf_counter() - started
    with connection.cursor() as c:
        c.execute("ANALYZE")  # fresh statistics, as `qcity demo` leaves them
    total_orders = Order.objects.count()
    print(f"setup {setup_s:.1f}s, {inserted} orders inserted in {insert_s:.1f}s, total {total_orders}", flush=True)
    if args.only == "stats":
        return stats_only(args.repeats)

    # 1. render + sign one report (the reviewed demo order), without saving
    order = Order.objects.filter(state="reviewed").select_related("lab", "enterprise").first() or \
        Order.objects.filter(reports__isnull=False).select_related("lab", "enterprise").first()
    from django.utils import timezone

    reports.sign_pdf(lab=order.lab, pdf=reports.render_pdf(order=order, number="BG000000000000", issued_at=timezone.now(),
                                                           authorised_by=reviewer))  # warm fonts and keys
    render_times, sign_times = [], []
    for _ in range(args.signs):
        t = time.perf_counter()
        pdf = reports.render_pdf(order=order, number="BG000000000000", issued_at=timezone.now(), authorised_by=reviewer)
        t1 = time.perf_counter()
        reports.sign_pdf(lab=order.lab, pdf=pdf)
        render_times.append(t1 - t)
        sign_times.append(time.perf_counter() - t1)
    total = [a + b for a, b in zip(render_times, sign_times, strict=True)]

    # 2. verification throughput
    numbers = list(Report.objects.values_list("number", flat=True))
    sample_pdf = bytes(Report.objects.filter(status="valid").first().pdf)
    n_num = 2000
    t = time.perf_counter()
    for i in range(n_num):
        reports.verify_number(numbers[i % len(numbers)])
    by_number = n_num / (time.perf_counter() - t)
    n_up = 100
    t = time.perf_counter()
    for _ in range(n_up):
        assert reports.verify_pdf(sample_pdf).authentic
    by_upload = n_up / (time.perf_counter() - t)
    client = Client()
    t = time.perf_counter()
    for _ in range(50):
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = client.post("/api/v1/reports/verify", {"file": SimpleUploadedFile("r.pdf", sample_pdf)})
        assert r.status_code == 200 and r.json()["authentic"]
    api_upload = 50 / (time.perf_counter() - t)

    # 3. order list pages at scale
    pages = {}
    for username, urls in {
        "cityoffice": ["/inspection/orders/", "/inspection/orders/?page=2000", "/inspection/orders/?state=testing",
                       "/inspection/orders/?q=JY", "/inspection/stats/"],
        "lab": ["/inspection/orders/", "/inspection/lab/", "/api/v1/inspection/orders?page=10"],
        "enterprise": ["/inspection/orders/"],
        "district": ["/inspection/orders/"],
    }.items():
        c = Client()
        c.login(username=username, password="demo-2026")
        for u in urls:
            assert c.get(u).status_code == 200, (username, u)
            queries = queries_of(lambda u=u, c=c: c.get(u))
            repeats = 3 if "stats" in u else args.repeats
            lat = timed(lambda u=u, c=c: c.get(u), repeats)
            pages[f"{username} {u}"] = {"p50_ms": round(1000 * statistics.median(lat), 1),
                                        "p95_ms": round(1000 * percentile(lat, 95), 1), "queries": queries}
            print(f"{username:10s} {u:45s} p50 {pages[f'{username} {u}']['p50_ms']:8.1f} ms", flush=True)

    result = {
        "machine": {"cpu_count": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "database": connection.vendor,
        "orders": total_orders,
        "setup_seconds": round(setup_s, 1),
        "bulk_insert_seconds": round(insert_s, 1),
        "walked_orders": walked,
        "render_sign": {
            "runs": args.signs,
            "median_s": round(statistics.median(total), 3), "p95_s": round(percentile(total, 95), 3),
            "render_median_s": round(statistics.median(render_times), 3),
            "sign_median_s": round(statistics.median(sign_times), 3),
            "target_median_s": 1.5, "meets_target": statistics.median(total) <= 1.5,
        },
        "verification_per_second": {"by_number": round(by_number, 1), "by_upload_service": round(by_upload, 1),
                                    "by_upload_api": round(api_upload, 1), "pdf_bytes": len(sample_pdf)},
        "pages": pages,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("orders", "render_sign", "verification_per_second")}, ensure_ascii=False))
    return 0


def queries_of(request) -> int:
    """SQL statements one request runs. An execute wrapper, because Django resets its
    query log (what CaptureQueriesContext reads) at every request_started."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        request()
    return len(executed)


def stats_only(repeats: int) -> int:
    """The city statistics page alone (``--only stats``): p50/p95 and SQL queries per page."""
    from django.test import Client

    for username in ("cityoffice", "district"):
        c = Client()
        c.login(username=username, password="demo-2026")
        assert c.get("/inspection/stats/").status_code == 200
        queries = queries_of(lambda c=c: c.get("/inspection/stats/"))
        lat = timed(lambda c=c: c.get("/inspection/stats/"), repeats)
        print(f"{username:10s} /inspection/stats/ p50 {1000 * statistics.median(lat):8.1f} ms  "
              f"p95 {1000 * percentile(lat, 95):8.1f} ms  queries {queries}  "
              f"(repeats {repeats}, cores {os.cpu_count()})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
