"""Offline evaluation of the enterprise recommendations (issue 9).

Builds the demo city (core directory, demo logins, consultation and classroom demos) in a
fresh SQLite database, then for every demo enterprise with at least two actions
(enrolments and consultations, in time order) hides the last one, recommends from what came
before, and reports hit rate@5 and catalogue coverage against a most-popular baseline
(``methods.recommend.evaluate``; leave-last-out as in Cremonesi et al. 2010).

Only courses and experts can be held-out actions (the demo has no orders, inspections or
complaints yet), so both methods rank the course + expert part of the catalogue.

    .venv/bin/python bench/recommend.py [--seed 2026]
Writes bench/results/recommend.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="qcity-bench-recommend-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from qualitycity.consult import demo as consult_demo
    from qualitycity.consult import recommendations as rec
    from qualitycity.core.models import Organization
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city
    from qualitycity.methods.recommend import evaluate
    from qualitycity.training import demo as training_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_demo_city(scale=1, seed=args.seed)
    create_demo_users()
    sink = io.StringIO()
    consult_demo.load_demo(seed=args.seed, scale=1, stdout=sink)
    training_demo.load_demo(seed=args.seed, scale=1, stdout=sink)
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    timed = rec.all_histories()
    histories = {org: [k for _, k in rows] for org, rows in timed.items()}
    items = [i for i in rec.catalogue() if i.kind in ("course", "expert")]
    orgs = Organization.objects.select_related("industry__parent", "area").in_bulk(list(histories))

    def make_profile(org_id, _keys):
        cutoff = timed[org_id][-1][0]
        return rec.profile_for(orgs[org_id], before=cutoff, signals={})

    group_of = {pk: org.industry_id for pk, org in orgs.items()}
    result = evaluate(histories, make_profile, items, k=args.k, group_of=group_of)
    eval_seconds = time.perf_counter() - started
    sample_org = next(iter(orgs.values()))
    sample = rec.for_enterprise(sample_org)
    report = {
        "benchmark": "recommend", "seed": args.seed, "k": args.k, "cpu_count": os.cpu_count(),
        "enterprises_evaluated": result.users, "catalogue_items": len(items),
        "hit_rate_at_k": round(result.hit_rate, 4), "coverage": round(result.coverage, 4),
        "baseline_popularity_hit_rate_at_k": round(result.baseline_hit_rate, 4),
        "baseline_popularity_coverage": round(result.baseline_coverage, 4),
        "hit_rate_ratio_vs_popularity": round(result.hit_rate / result.baseline_hit_rate, 3)
        if result.baseline_hit_rate else None,
        "setup_seconds": round(setup_seconds, 1), "evaluation_seconds": round(eval_seconds, 2),
        "example": {"enterprise": f"{sample_org.industry} / {sample_org.get_size_class_display()}",
                    "recommendations": {kind: [{"title": r.item.title, "why": list(r.reasons)} for r in recs]
                                        for kind, recs in sample.items()}},
    }
    out = ROOT / "bench" / "results" / "recommend.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "example"}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
