"""Classifier suggestions at intake, staff corrections, retraining, similar demands."""

from __future__ import annotations

import datetime as dt
import pickle

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.methods import textclassify, textsearch

from ..models import OPEN_STATES, ClassifierModel, Correction, Demand, State
from .suggester import CompiledSuggester

TARGETS = ("type", "category", "district", "unit")
_MEMO: dict = {}
CACHE_KEY = "qcity:complaints:classifier-id"


def current_model():
    """The newest trained model, unpickled once per process (the blob is our own)."""
    latest_id = cache.get(CACHE_KEY)
    if latest_id is None:
        latest_id = ClassifierModel.objects.order_by("-id").values_list("id", flat=True).first() or 0
        cache.set(CACHE_KEY, latest_id, 300)
    if not latest_id:
        return None
    if _MEMO.get("id") != latest_id:
        row = ClassifierModel.objects.filter(pk=latest_id).first()
        if row is None:
            return None
        model = pickle.loads(bytes(row.blob))  # noqa: S301
        _MEMO.update(id=latest_id, model=model, metrics=row.metrics, compiled=_compile(model))
    return _MEMO["model"]


def _compile(model):
    try:
        return CompiledSuggester(model)
    except (AttributeError, ValueError):  # a model of another shape: scikit-learn's own path
        return None


def suggest(text: str) -> dict:
    """Per target, the three likeliest labels with their probabilities (JSON-ready)."""
    model = current_model()
    if model is None:
        return {}
    compiled = _MEMO.get("compiled")
    found = compiled.suggest(text) if compiled is not None else model.suggest(text)
    return {k: [[label, p] for label, p in v] for k, v in found.items()}


def _labelled_rows():
    """Training rows: staff-confirmed labels where present, else the demand's own labels
    once a department accepted it (acceptance confirms the routing)."""
    corrections = {c.demand_id: c for c in Correction.objects.all()}
    qs = (Demand.objects.exclude(state__in=[State.RECEIVED, State.MERGED])
          .select_related("category", "area", "lead_org").order_by("pk"))
    texts, labels = [], {t: [] for t in TARGETS}
    for d in qs.iterator(chunk_size=2000):
        c = corrections.get(d.pk)
        unit = c.unit_name if c else (d.lead_org.name if d.lead_org else "")
        if not unit:
            continue
        texts.append(f"{d.title}。{d.description}")
        labels["type"].append(c.demand_type if c else d.demand_type)
        labels["category"].append(c.category_code if c else d.category.code)
        labels["district"].append(c.area_name if c else d.area.name)
        labels["unit"].append(unit)
    return texts, labels


def retrain(*, by: Actor, seed: int = 0) -> dict:
    """Measure on a held-out 20 %, then fit on everything and store the model."""
    texts, labels = _labelled_rows()
    if len(texts) < 20:
        raise ValueError(_("训练样本太少（{n} 条），至少需要 20 条已受理诉求").format(n=len(texts)))
    metrics = textclassify.evaluate(texts, labels, seed=seed)
    model = textclassify.DemandClassifier().fit(texts, labels)
    with transaction.atomic():
        row = ClassifierModel.objects.create(created_at=timezone.now(), blob=pickle.dumps(model), metrics=metrics,
                                             n_train=len(texts))
        audit.record(by=by, action="complaints.retrain", obj=row, changes={"n": [None, len(texts)]})
    cache.delete(CACHE_KEY)
    return metrics


def record_correction(*, by: Actor, demand: Demand, demand_type: str, category_code: str, area_name: str,
                      unit_name: str) -> Correction:
    """Staff confirm or correct the suggestion; kept as a training label."""
    s = demand.suggestion or {}
    top = lambda k: (s.get(k) or [[None]])[0][0]  # noqa: E731
    changed = (top("type"), top("category"), top("district"), top("unit")) != (demand_type, category_code, area_name, unit_name)
    with transaction.atomic():
        correction, _ = Correction.objects.update_or_create(
            demand=demand,
            defaults={"demand_type": demand_type, "category_code": category_code, "area_name": area_name,
                      "unit_name": unit_name, "changed": changed, "at": timezone.now()},
        )
        audit.record(by=by, action="complaints.classify_confirm", obj=demand, changes={"changed": [None, changed]})
    return correction


def similar_open(demand: Demand, *, window_days: int = 30, threshold: float = 0.35, limit: int = 10) -> list:
    """Open demands with the same category and district (and respondent, when known)
    within the window, ranked by text similarity through the shared analyser."""
    since = demand.received_at - dt.timedelta(days=window_days)
    qs = Demand.objects.filter(state__in=OPEN_STATES, category=demand.category, area=demand.area,
                               received_at__gte=since, received_at__lte=demand.received_at + dt.timedelta(days=window_days))
    if demand.respondent_id:
        qs = qs.filter(respondent=demand.respondent)
    text = f"{demand.title} {demand.description} {demand.address}"
    scored = []
    for other in qs.exclude(pk=demand.pk)[:500]:
        score = textsearch.similarity(text, f"{other.title} {other.description} {other.address}")
        if score >= threshold:
            scored.append((round(score, 3), other))
    scored.sort(key=lambda pair: -pair[0])
    return scored[:limit]
