"""`make bench-standards`: search over 71k real ISO records + 100k synthetic Chinese standards.

For SQLite (FTS5 unicode61 + bm25) and PostgreSQL ('simple' tsvector + GIN + ts_rank_cd)
it loads the corpus into an empty database (timed; ``--reuse`` keeps a corpus an earlier run
loaded, and loads only what is missing), runs ≥300 queries (numbers typed in
messy forms; 1-, 2- and 4-character Chinese words; phrases; English words; filters) through
the service function (with and without facet counts, always cold: the facet cache is
cleared before each query) and through the JSON API (Django's full request stack,
in-process), and reports p50/p95. Peers in the same run: a naive ``LIKE '%q%'`` scan (latency ratio)
and, on SQLite, FTS5 with the trigram tokenizer (recall on 2-character words, against the
LIKE scan as ground truth). Relevance: ≥100 labelled queries → recall@10 and MRR. The two
backends' top-10 lists are compared query by query. Results: bench/results/standards.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "standards.json"
ISO_FILE = Path(os.environ.get("BENCH_ISO_FILE", ROOT.parent / "shared" / "data" / "standards" / "iso_standards.csv.gz"))
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench-standards.sqlite3'}"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/qcity_bench_standards")
SYNTHETIC = int(os.environ.get("BENCH_SYNTHETIC", "100000"))
SEED = 2026


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def messy(number: str, rng: random.Random) -> str:
    """A number as people type it: case, spaces, full-width characters, em dashes."""
    text = number
    choice = rng.randrange(5)
    if choice == 0:
        text = text.lower()
    elif choice == 1:
        text = text.replace(" ", "")
    elif choice == 2:
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)  # full-width forms
    elif choice == 3:
        text = text.replace("-", "—", 1) if ":" not in text else text.replace(":", "：")
    else:
        text = "  " + text.replace("/", " / ") + " "
    return text


def load_corpus() -> dict:
    from django.core.management import call_command

    from qualitycity.core.services.audit import Actor
    from qualitycity.standards import demo
    from qualitycity.standards.models import Standard
    from qualitycity.standards.reference import ensure_code_tables
    from qualitycity.standards.services import iso

    call_command("migrate", verbosity=0)
    ensure_code_tables()
    timings = {}
    if not Standard.objects.filter(source="iso").exists():
        started = time.perf_counter()
        report = iso.import_iso(by=Actor.system("bench"), content=ISO_FILE.read_bytes())
        timings["iso_import_seconds"] = round(time.perf_counter() - started, 1)
        timings["iso_records"] = report.rows
    if not Standard.objects.filter(source="demo").exists():
        import datetime as dt

        from django.db import transaction

        started = time.perf_counter()
        with transaction.atomic():
            demo._real(Actor.system("bench"), None)
            demo.synthetic(seed=SEED, count=SYNTHETIC, today=dt.date(2026, 11, 26))
        timings["synthetic_load_seconds"] = round(time.perf_counter() - started, 1)
    from django.db import connection

    with connection.cursor() as cursor:
        # after a bulk load the planner's statistics are stale (PostgreSQL estimated 300 rows
        # for status='current' against 86k); autovacuum would get there, a DBA would too. On
        # PostgreSQL the vacuum also spares the timed queries an autovacuum of the new rows.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["corpus"] = Standard.objects.count()
    return timings


def build_queries() -> tuple[list[dict], list[dict]]:
    """(queries for latency, labelled queries for relevance), deterministic."""
    from qualitycity.standards.demo import ASPECTS, PRODUCTS
    from qualitycity.standards.models import Standard

    rng = random.Random(SEED)
    queries: list[dict] = []
    labelled: list[dict] = []
    ids = list(Standard.objects.exclude(source="reference").values_list("id", flat=True))
    sample = Standard.objects.filter(id__in=rng.sample(ids, 90)).order_by("id")
    for std in sample:
        q = {"kind": "number", "q": messy(std.number, rng), "expect": std.number}
        queries.append(q)
        labelled.append(q)
    words = sorted({p for p, *_ in PRODUCTS})
    two = sorted({w[i:i + 2] for w in words for i in range(len(w) - 1)})
    chars = sorted({c for w in words for c in w})
    four = sorted({w[:4] for w in words if len(w) >= 4})
    queries += [{"kind": "cjk1", "q": c} for c in rng.sample(chars, 30)]
    queries += [{"kind": "cjk2", "q": w} for w in rng.sample(two, min(70, len(two)))]
    queries += [{"kind": "cjk4", "q": w} for w in four]
    queries += [{"kind": "phrase", "q": f"{rng.choice(words)} {rng.choice(ASPECTS)}"} for _ in range(40)]
    english = ["cables", "steel", "quality management", "water", "plastics", "safety", "vocabulary", "textiles",
               "road vehicles", "rubber", "paints", "medical devices", "information technology", "welding",
               "petroleum", "fasteners", "lighting", "gas cylinders", "tractors", "glass", "ships", "aircraft",
               "concrete", "timber", "leather", "coffee", "milk", "laboratory", "sampling", "bearings", "gears",
               "pumps", "valves", "adhesives", "fertilizers", "cranes", "lifts", "solar", "batteries", "nuclear"]
    queries += [{"kind": "english", "q": w} for w in english]
    queries += [{"kind": "filter", "q": rng.choice(two), "status": "current", "kind_filter": rng.choice(
        ["national", "industry", "local", ""])} for _ in range(25)]
    # labelled titles: ISO titles that are unique in the corpus, and the real Chinese demo standards
    from django.db.models import Count

    unique_titles = (Standard.objects.filter(source="iso").exclude(title_en="").values("title_en")
                     .annotate(n=Count("id")).filter(n=1).order_by("title_en").values_list("title_en", flat=True))
    for title in rng.sample(list(unique_titles[:20000]), 30):
        std = Standard.objects.get(title_en=title)
        labelled.append({"kind": "iso_title", "q": title, "expect": std.number})
    for std in Standard.objects.filter(source="import", kind="national", status="current").exclude(title_zh=""):
        labelled.append({"kind": "cn_title", "q": std.title_zh, "expect": std.number})
    return queries, labelled


def run_query(search, q: dict, limit: int = 20):
    filters = search.Filters(status=q.get("status", ""), kind=q.get("kind_filter", ""))
    return search.search(q["q"], filters, limit=limit, with_facets=True)


def empty_database(name: str, url: str) -> None:
    """Drop the bench database so the corpus is loaded (and timed) from scratch."""
    if name == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    server, database = url.rsplit("/", 1)
    subprocess.run(["psql", server + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {database}"],
                   capture_output=True, check=False)


def worker(database_url: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["QCITY_HOME"] = str(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from qualitycity.standards import search
    from qualitycity.standards.models import Standard

    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    load_before = os.getloadavg()[0]
    timings = load_corpus()
    timings["corpus_reused"] = "synthetic_load_seconds" not in timings
    queries, labelled = build_queries()
    client = Client()
    for q in queries[:20]:  # warm the database's page cache
        run_query(search, q)
    from django.core.cache import cache

    cache.clear()  # facet counts are cached per query: measure every query cold
    service, lean, http, like, tops = [], [], [], [], {}
    by_kind: dict[str, list[float]] = {}
    for q in queries:
        started = time.perf_counter()
        result = run_query(search, q)
        elapsed = (time.perf_counter() - started) * 1000
        service.append(elapsed)
        by_kind.setdefault(q["kind"], []).append(elapsed)
        tops[q["q"] + "|" + q.get("status", "") + q.get("kind_filter", "")] = [h.standard.number for h in result.hits[:10]]
        cache.clear()
        started = time.perf_counter()
        search.search(q["q"], search.Filters(status=q.get("status", ""), kind=q.get("kind_filter", "")),
                      limit=20, with_facets=False)
        lean.append((time.perf_counter() - started) * 1000)
        cache.clear()
        params = {"q": q["q"], "status": q.get("status", ""), "kind": q.get("kind_filter", ""), "limit": 20}
        started = time.perf_counter()
        response = client.get("/api/v1/standards/search", params)
        http.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (q, response.status_code)
        if q["kind"] != "number":
            started = time.perf_counter()
            list(Standard.objects.filter(Q(title_zh__contains=q["q"]) | Q(title_en__icontains=q["q"]))
                 .values_list("number", flat=True)[:20])
            like.append((time.perf_counter() - started) * 1000)
    ranks = []
    for q in labelled:
        numbers = [h.standard.number for h in search.search(q["q"], limit=10, with_facets=False).hits]
        ranks.append(numbers.index(q["expect"]) + 1 if q["expect"] in numbers else None)
    by_label: dict[str, list] = {}
    for q, r in zip(labelled, ranks, strict=True):
        by_label.setdefault(q["kind"], []).append(r)
    out = {
        "database": connection.vendor,
        # other work on a shared machine slows every figure; the LIKE peer below is measured alongside
        "load_average_1min": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
        **timings,
        "queries": len(queries),
        "queries_by_kind": {k: len(v) for k, v in by_kind.items()},
        "service_ms": {"p50": round(percentile(service, 50), 2), "p95": round(percentile(service, 95), 2)},
        "service_without_facets_ms": {"p50": round(percentile(lean, 50), 2), "p95": round(percentile(lean, 95), 2)},
        "http_ms": {"p50": round(percentile(http, 50), 2), "p95": round(percentile(http, 95), 2)},
        "service_p95_ms_by_kind": {k: round(percentile(v, 95), 2) for k, v in by_kind.items()},
        "like_scan_ms": {"p50": round(percentile(like, 50), 2), "p95": round(percentile(like, 95), 2),
                         "queries": len(like)},
        "relevance": {
            "labelled_queries": len(labelled),
            "recall_at_10": round(sum(r is not None for r in ranks) / len(ranks), 4),
            "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4),
            "recall_at_10_by_kind": {k: round(sum(r is not None for r in v) / len(v), 4) for k, v in by_label.items()},
            "misses": [q["q"] for q, r in zip(labelled, ranks, strict=True) if r is None][:20],
        },
        "top10": tops,
    }
    service_like = [s for s, q in zip(service, queries, strict=True) if q["kind"] != "number"]
    out["like_vs_service_p50_ratio"] = round(percentile(like, 50) / percentile(service_like, 50), 2)
    out["like_vs_service_p95_ratio"] = round(percentile(like, 95) / percentile(service_like, 95), 2)
    if connection.vendor == "sqlite":
        out["trigram_peer"] = trigram_peer(queries)
    return out


def trigram_peer(queries: list[dict]) -> dict:
    """FTS5 trigram vs our bigram index on the 2-character queries; ground truth is the set
    of standards whose title contains the word (LIKE scan)."""
    from django.db import connection

    from qualitycity.standards import search
    from qualitycity.standards.models import Standard

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_trigram")
        cursor.execute("CREATE VIRTUAL TABLE bench_trigram USING fts5(title, tokenize='trigram')")
        cursor.execute("INSERT INTO bench_trigram(rowid, title) SELECT id, title_zh || ' ' || title_en FROM standards_standard")
    ours, trigram, truth_total = 0, 0, 0
    per_query = []
    for q in [q for q in queries if q["kind"] == "cjk2"]:
        truth = set(Standard.objects.filter(title_zh__contains=q["q"]).values_list("id", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM bench_trigram WHERE bench_trigram MATCH ?", ['"' + q["q"] + '"'])
            tri = {r[0] for r in cursor.fetchall()}
        total, _, sql, params = search.match([q["q"]])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            mine = {r[0] for r in cursor.fetchall()}
        truth_total += len(truth)
        ours += len(truth & mine)
        trigram += len(truth & tri)
        per_query.append((q["q"], len(truth), len(truth & mine), len(truth & tri)))
    return {
        "two_char_queries": len(per_query),
        "relevant": truth_total,
        "recall_ours": round(ours / truth_total, 4) if truth_total else None,
        "recall_fts5_trigram": round(trigram / truth_total, 4) if truth_total else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--reuse", action="store_true", help="keep a corpus an earlier run loaded")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return 0
    results = {}
    for name, url in (("sqlite", SQLITE_URL), ("postgresql", POSTGRES_URL)):
        if args.only and args.only != name:
            continue
        if not args.reuse:
            empty_database(name, url)
        if name == "postgresql":
            subprocess.run(["psql", url.rsplit("/", 1)[0] + "/postgres", "-qc",
                            f"CREATE DATABASE {url.rsplit('/', 1)[1]}"], capture_output=True, check=False)
        done = subprocess.run([sys.executable, __file__, "--worker", url], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        print(name, {k: v for k, v in results[name].items() if k != "top10"})
    if len(results) == 2:
        a, b = results["sqlite"]["top10"], results["postgresql"]["top10"]
        same = [k for k in a if a[k] == b.get(k)]
        overlap = [len(set(a[k]) & set(b.get(k, []))) / max(1, len(a[k])) for k in a]
        results["backends_agree"] = {
            "identical_top10_share": round(len(same) / len(a), 4),
            "mean_top10_overlap": round(sum(overlap) / len(overlap), 4),
            "first_result_same_share": round(sum(1 for k in a if a[k][:1] == b.get(k, [])[:1]) / len(a), 4),
        }
        print("backends agree:", results["backends_agree"])
    for r in results.values():
        if isinstance(r, dict):
            r.pop("top10", None)
    results["machine"] = {"cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
