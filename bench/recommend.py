"""Offline evaluation of the enterprise recommendations (issue 9).

Builds the demo city in a fresh SQLite database with the modules whose data the recommender
reads (standards library, service catalogue and orders, complaints, consultations,
classroom). Every demo enterprise's actions are, in time order and each item once: courses
it enrolled in, experts who took its consultations, services it ordered (an order imported
without a service counts as the lab's service for that product) and standards it follows.
For every enterprise with at least two actions the last one is hidden; the profile is built
with ``profile_for(before=<time of the hidden action>)``, so consultations, orders, failed
inspections and complaints after that moment are not seen either. Popularity and peer counts
come from the training part only (``methods.recommend.evaluate``; leave-last-out as in
Cremonesi et al. 2010).

Each user is scored on the list of the hidden action's kind (top k services, top k courses,
…), which is what the recommendations page shows; the popularity baseline lists the most
popular items of that kind. Figures are reported per kind and overall, with coverage (share
of that kind's catalogue recommended to anyone).

    .venv/bin/python bench/recommend.py [--seed 2026] [--k 5]
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
DEMO_APPS = ("standards", "inspection", "complaints", "consult", "training")


def _figures(e) -> dict:
    return {
        "enterprises_evaluated": e.users, "hit_rate_at_k": round(e.hit_rate, 4), "coverage": round(e.coverage, 4),
        "baseline_popularity_hit_rate_at_k": round(e.baseline_hit_rate, 4),
        "baseline_popularity_coverage": round(e.baseline_coverage, 4),
        "hit_rate_ratio_vs_popularity": round(e.hit_rate / e.baseline_hit_rate, 3) if e.baseline_hit_rate else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="qcity-bench-recommend-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("QCITY_SIGNING_DIR", f"{workdir}/keys")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    import django

    django.setup()
    from importlib import import_module

    from django.core.management import call_command

    from qualitycity.consult import recommend_catalogue as cat
    from qualitycity.consult import recommendations as rec
    from qualitycity.core.models import Organization
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city
    from qualitycity.methods.recommend import evaluate

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_demo_city(scale=1, seed=args.seed)
    create_demo_users()
    sink = io.StringIO()
    for app in DEMO_APPS:
        import_module(f"qualitycity.{app}.demo").load_demo(seed=args.seed, scale=1, stdout=sink)
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    index = cat.services()
    items = cat.catalogue(index=index)
    # an action on something no longer offered (a withdrawn service, an expert without a
    # login) can be predicted by neither method: it is left out of both
    offered = {i.key for i in items}
    timed = {org: [(t, k) for t, k in rows if k in offered] for org, rows in rec.all_histories(index).items()}
    timed = {org: rows for org, rows in timed.items() if rows}
    histories = {org: [k for _, k in rows] for org, rows in timed.items()}
    orgs = Organization.objects.select_related("industry__parent", "area", "park").in_bulk(list(histories))

    def make_profile(org_id, _keys):
        cutoff = timed[org_id][-1][0]  # the hidden action's time: nothing from then on is seen
        return rec.profile_for(orgs[org_id], before=cutoff, index=index)

    group_of = {pk: org.industry_id for pk, org in orgs.items()}
    result = evaluate(histories, make_profile, items, k=args.k, group_of=group_of, per_kind=True)
    eval_seconds = time.perf_counter() - started
    actions = {}
    for keys in histories.values():
        for key in keys:
            kind = key.split(":", 1)[0]
            actions[kind] = actions.get(kind, 0) + 1
    sample_org = max(orgs.values(), key=lambda o: (len(histories[o.pk]), -o.pk))
    sample = rec.for_enterprise(sample_org)
    report = {
        "benchmark": "recommend", "seed": args.seed, "k": args.k, "cpu_count": os.cpu_count(),
        "command": "bench/recommend.py" + (f" --seed {args.seed}" if args.seed != 2026 else ""),
        "protocol": "leave-last-out per enterprise, each item once in time order; scored on the top-k list of the "
                    "hidden action's kind; profile and signals cut off at the hidden action's time",
        "catalogue_items": {kind: sum(1 for i in items if i.kind == kind) for kind in sorted({i.kind for i in items})},
        "actions": actions, "enterprises_with_history": len(histories),
        "overall": _figures(result),
        "by_kind": {kind: _figures(e) for kind, e in result.by_kind.items()},
        "setup_seconds": round(setup_seconds, 1), "evaluation_seconds": round(eval_seconds, 2),
        "example": {"enterprise": f"{sample_org.industry} / {sample_org.get_size_class_display()} / "
                                  f"{sample_org.area.name}",
                    "recommendations": {kind: [{"title": r.item.title, "why": list(r.reasons), "link": r.item.url}
                                               for r in recs] for kind, recs in sample.items()}},
    }
    out = ROOT / "bench" / "results" / "recommend.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "example"}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
