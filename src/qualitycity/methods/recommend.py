"""Content-based recommendations with reasons, and their offline evaluation.

Each catalogue item (a service, standard, course, expert or support programme) carries tags:
the industries, sizes, growth stages, districts and topics it suits. An enterprise has a
profile of the same tags, taken from its directory record (industry, size, growth stage,
district, park) and from what it did or what happened to it on the platform (consultations,
enrolments, orders, products, failed inspections, complaints against it). The score is a weighted tag overlap plus a small popularity prior, the
classic content-based scheme (Pazzani & Billsus 2007, "Content-based recommendation
systems", LNCS 4321:325). Every matched tag yields a sentence, so each recommendation can
say why. Items the enterprise already used are not recommended again.

The evaluation is leave-last-out: hide each enterprise's latest action, recommend from the
rest, and count a hit when the hidden item is in the top k (hit rate@k), plus catalogue
coverage (share of items recommended to anyone), compared against recommending the most
popular items (Cremonesi, Koren & Turrin 2010, RecSys "Performance of recommender
algorithms on top-N recommendation tasks").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

WEIGHTS = {"industry": 3.0, "section": 1.5, "topic": 2.0, "size": 1.0, "stage": 1.0, "area": 0.8, "signal": 2.5,
           "peer": 3.0}
POPULARITY_WEIGHT = 1.0
POPULAR_REASON_SHARE = 0.6  # items at least this popular may be shown for that reason alone
POPULAR_REASON = "平台上常被选择"


@dataclass(frozen=True)
class Item:
    key: str  # "course:12", "expert:3", …
    kind: str
    title: str
    industries: frozenset = frozenset()  # GB/T 4754 division codes ("38")
    sections: frozenset = frozenset()  # GB/T 4754 section letters ("C")
    sizes: frozenset = frozenset()
    stages: frozenset = frozenset()
    areas: frozenset = frozenset()
    topics: frozenset = frozenset()
    signals: frozenset = frozenset()  # e.g. "failed_inspection", "complaint", "product:电线电缆"
    url: str = ""  # where the item lives on the platform (shown as a link; not used in scoring)


@dataclass
class Profile:
    industry: str = ""
    industry_name: str = ""
    section: str = ""
    size: str = ""
    size_label: str = ""
    stage: str = ""
    stage_label: str = ""
    area: str = ""  # district name
    park: str = ""  # industrial park name, when the enterprise sits in one
    topics: Counter = field(default_factory=Counter)  # topic -> how often it came up
    signals: dict = field(default_factory=dict)  # signal -> sentence ("2 of your samples failed in 2026")
    used: set = field(default_factory=set)  # item keys already used
    peers: dict = field(default_factory=dict)  # item key -> how many firms of the same industry used it


@dataclass(frozen=True)
class Recommendation:
    item: Item
    score: float
    reasons: tuple[str, ...]


def score(item: Item, profile: Profile, popularity: float = 0.0) -> tuple[float, list[str]]:
    """The item's score for this profile and the reasons behind it."""
    total, reasons = 0.0, []
    if profile.industry and profile.industry in item.industries:
        total += WEIGHTS["industry"]
        reasons.append(f"因为贵企业属于{profile.industry_name or profile.industry}（{profile.industry}）行业")
    elif profile.section and profile.section in item.sections:
        total += WEIGHTS["section"]
        reasons.append(f"适用于贵企业所在的{profile.section}门类行业")
    hits = [t for t in item.topics if profile.topics.get(t)]
    if hits:
        total += WEIGHTS["topic"] * min(len(hits), 2)
        reasons.append("与贵企业关注的“" + "、".join(sorted(hits)[:3]) + "”相关（来自问诊和学习记录）")
    if profile.size and profile.size in item.sizes:
        total += WEIGHTS["size"]
        reasons.append(f"面向{profile.size_label or profile.size}企业")
    if profile.stage and profile.stage in item.stages:
        total += WEIGHTS["stage"]
        reasons.append(f"适合{profile.stage_label or profile.stage}企业")
    if profile.park and profile.park in item.areas:
        total += WEIGHTS["area"]
        reasons.append(f"贵企业所在的{profile.park}可就近办理")
    elif profile.area and profile.area in item.areas:
        total += WEIGHTS["area"]
        reasons.append(f"贵企业所在的{profile.area}就有提供")
    for signal in sorted(item.signals & set(profile.signals)):
        total += WEIGHTS["signal"]
        reasons.append(profile.signals[signal])
    peers = profile.peers.get(item.key, 0)
    if peers:
        # "firms like yours chose it": the item-popularity signal restricted to the same
        # industry, a simple neighbourhood in the sense of collaborative filtering.
        total += WEIGHTS["peer"] * min(1.0, peers / 3)
        reasons.append(f"同行业已有 {peers} 家企业选择")
    total += POPULARITY_WEIGHT * popularity
    if popularity >= POPULAR_REASON_SHARE and not reasons:
        reasons.append("平台上最常被选择的之一")
    return total, reasons


def recommend(profile: Profile, items: Iterable[Item], *, k: int = 5, popularity: dict | None = None,
              kinds: Iterable[str] | None = None) -> list[Recommendation]:
    """The top ``k`` items not yet used, each with at least one reason; ties by title.

    When fewer than ``k`` items have a reason of their own, the list is topped up with the
    most used items on the platform, saying so: the popularity fallback of a hybrid
    recommender (Burke 2002, "Hybrid recommender systems", UMUAI 12:331), so a firm the
    platform knows little about still gets a full list and every entry still says why."""
    popularity = popularity or {}
    wanted = set(kinds) if kinds else None
    ranked, rest = [], []
    for item in items:
        if item.key in profile.used or (wanted and item.kind not in wanted):
            continue
        value, reasons = score(item, profile, popularity.get(item.key, 0.0))
        if reasons:
            ranked.append(Recommendation(item, round(value, 4), tuple(reasons)))
        elif popularity.get(item.key, 0.0) > 0:
            rest.append(Recommendation(item, round(value, 4), (POPULAR_REASON,)))
    ranked.sort(key=lambda r: (-r.score, r.item.title, r.item.key))
    if len(ranked) < k:
        rest.sort(key=lambda r: (-popularity[r.item.key], r.item.title, r.item.key))
        ranked += rest[: k - len(ranked)]
    return ranked[:k]


def popularity_shares(histories: dict[str, list[str]]) -> dict[str, float]:
    """Each item's share of enterprises that used it, scaled so the most popular is 1."""
    counts = Counter(key for keys in histories.values() for key in set(keys))
    top = max(counts.values(), default=1)
    return {key: n / top for key, n in counts.items()}


@dataclass(frozen=True)
class Evaluation:
    users: int
    hit_rate: float
    coverage: float
    baseline_hit_rate: float
    baseline_coverage: float
    by_kind: dict = field(default_factory=dict)  # kind -> Evaluation of the users whose hidden action is that kind


def peer_counts(histories: dict[str, list[str]], group_of: dict, user) -> dict[str, int]:
    """How many other users of ``user``'s group used each item."""
    group = group_of.get(user)
    counts: Counter = Counter()
    if group:
        for other, keys in histories.items():
            if other != user and group_of.get(other) == group:
                counts.update(set(keys))
    return dict(counts)


def evaluate(histories: dict[str, list[str]], make_profile: Callable[[str, list[str]], Profile],
             items: list[Item], *, k: int = 5, group_of: dict | None = None, per_kind: bool = False) -> Evaluation:
    """Leave-last-out hit rate@k and coverage, against a most-popular baseline. Popularity
    and peer counts come from the training part only (each user's actions minus the
    hidden last one), so the hidden action never leaks into either method.

    With ``per_kind`` each user is scored on the list of the hidden action's kind (top k
    courses, top k services, …), which is what the recommendations page shows; the baseline
    then lists the most popular items of that kind. ``by_kind`` splits the figures by the
    kind of the hidden action; coverage there is over that kind's part of the catalogue.
    """
    held = {u: keys for u, keys in histories.items() if len(keys) >= 2}
    train = {u: (keys[:-1] if u in held else keys) for u, keys in histories.items()}
    popularity = popularity_shares(train)
    kind_of = {item.key: item.kind for item in items}
    # both methods rank the same catalogue: a popular key no longer in it cannot be shown
    popular_order = sorted((key for key in popularity if key in kind_of), key=lambda key: (-popularity[key], key))
    tally: dict[str, list] = {}
    for user, keys in held.items():
        target = keys[-1]
        profile = make_profile(user, keys[:-1])
        if group_of is not None:
            profile.peers = peer_counts(train, group_of, user)
        kinds = [kind_of.get(target, "")] if per_kind else None
        top = [r.item.key for r in recommend(profile, items, k=k, popularity=popularity, kinds=kinds)]
        base = [key for key in popular_order
                if key not in profile.used and (kinds is None or kind_of[key] in kinds)][:k]
        for bucket in ("", kind_of.get(target, "?")):
            t = tally.setdefault(bucket, [0, 0, 0, set(), set()])
            t[0] += 1
            t[1] += target in top
            t[2] += target in base
            t[3].update(top)
            t[4].update(base)

    def summary(bucket: str) -> Evaluation:
        users, hits, base_hits, shown, base_shown = tally.get(bucket, [0, 0, 0, set(), set()])
        pool = {key for key, kind in kind_of.items() if not bucket or kind == bucket}
        size, n = max(len(pool), 1), max(users, 1)
        return Evaluation(users, hits / n, len(shown & pool) / size, base_hits / n, len(base_shown & pool) / size)

    overall = summary("")
    by_kind = {bucket: summary(bucket) for bucket in sorted(tally) if bucket}
    return Evaluation(overall.users, overall.hit_rate, overall.coverage, overall.baseline_hit_rate,
                      overall.baseline_coverage, by_kind)
