"""What can be recommended, built from the modules that own it: published services from the
service catalogue (inspection), standards from the standards library, courses (training),
experts with a login, and the support programmes. Each item carries the tags
``methods.recommend.score`` compares with an enterprise's profile, and a link.

Support programmes have no module of their own yet, so they are a short list here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from qualitycity.core.models import Expert, GrowthStage, SizeClass
from qualitycity.methods.recommend import Item

from .matching import standard_numbers
from .models import Case, ExpertProfile

TOPIC = {"quality": "质量管理", "metrology": "计量", "standards": "标准化", "testing": "检验检测",
         "certification": "认证认可", "brand": "品牌建设", "product": "产品专题"}
F = frozenset
SMALL = F({SizeClass.SMALL, SizeClass.MICRO})
# A failed test or a complaint is a quality problem; these are the generic signals the
# problem-solving items answer to (product-specific ones are "failed:<product>").
PROBLEM = F({"failed_inspection", "complaint"})

PROGRAMMES = [
    Item("programme:sme", "programme", "中小企业质量提升专项", sizes=SMALL, signals=PROBLEM, topics=F({"质量管理"})),
    Item("programme:cqo", "programme", "首席质量官培养计划", sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}),
         stages=F({GrowthStage.MATURE, GrowthStage.GROWTH})),
    Item("programme:benchmark", "programme", "质量标杆企业培育", stages=F({GrowthStage.MATURE, GrowthStage.TRANSFORMING}),
         sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}), topics=F({"品牌建设"})),
    Item("programme:startup", "programme", "初创企业质量入门帮扶", stages=F({GrowthStage.STARTUP}), sizes=SMALL),
    Item("programme:transform", "programme", "智能化改造质量提升", stages=F({GrowthStage.TRANSFORMING}), sections=F({"C"})),
    Item("programme:root-cause", "programme", "质量问题“问诊+复检”帮扶（专家现场服务）", sections=F({"C"}),
         signals=PROBLEM),
    Item("programme:park", "programme", "园区质量服务站“一站式”服务", signals=F({"park"})),
]

# service category -> tags for whom that kind of service suits
SERVICE_TAGS = {
    "testing": dict(topics=F({"检验检测"}), sections=F({"C"})),
    "metrology": dict(topics=F({"计量"}), sections=F({"C"})),
    "certification": dict(topics=F({"认证认可", "质量管理"}), sizes=SMALL | {SizeClass.MEDIUM},
                          stages=F({GrowthStage.STARTUP, GrowthStage.GROWTH})),
    "standards": dict(topics=F({"标准化"}), sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}),
                      stages=F({GrowthStage.MATURE, GrowthStage.GROWTH})),
}


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def standard_key(text: str) -> str:
    """One key per edition family ("GB/T 5023.3"), whatever way the number was typed."""
    from qualitycity.standards.numbers import try_parse

    parsed = try_parse(text)
    return f"standard:{parsed.base}" if parsed else ""


@dataclass
class ServiceIndex:
    """How an order maps onto a recommended service: by the order's service, or (orders
    imported without one) by the lab and the product it tested."""

    items: list[Item] = field(default_factory=list)
    by_service: dict[int, str] = field(default_factory=dict)
    by_lab_product: dict[tuple, str] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)
    methods: dict[str, set] = field(default_factory=dict)  # product -> method standard numbers

    def key_for(self, service_id, lab_id, product) -> str:
        return self.by_service.get(service_id) or self.by_lab_product.get((lab_id, product), "")


def services() -> ServiceIndex:
    """Published services, one item per offer (category + title) however many providers make it,
    so ten labs testing cables are one recommendation that names how many offer it."""
    from qualitycity.inspection.models import Service, ServiceStatus

    index = ServiceIndex()
    groups: dict[tuple, list] = defaultdict(list)
    published = Service.objects.filter(status=ServiceStatus.PUBLISHED).select_related("provider__area")
    for service in published.prefetch_related("items").order_by("number"):
        groups[(service.category, service.title)].append(service)
    for (category, title), offers in sorted(groups.items()):
        key = f"service:{offers[0].number}"
        products = {it.product for s in offers for it in s.items.all() if it.product}
        for s in offers:
            index.by_service[s.pk] = key
            for product in {it.product for it in s.items.all() if it.product}:
                index.by_lab_product[(s.provider_id, product)] = key
            for it in s.items.all():
                if it.product and it.method_no:
                    index.methods.setdefault(it.product, set()).add(it.method_no)
        index.products |= products
        signals = {f"product:{p}" for p in products} | {f"failed:{p}" for p in products}
        shown = title if len(offers) == 1 else f"{title}（{len(offers)} 家机构提供）"
        index.items.append(Item(key, "service", shown, areas=F(s.provider.area.name for s in offers),
                                signals=F(signals), url=_url("inspection:service", offers[0].number),
                                **SERVICE_TAGS.get(category, {})))
    return index


def standards(index: ServiceIndex, *, extra_industry=None, extra_limit: int = 8) -> list[Item]:
    """Standards from the library, never bare numbers: the method standards of the catalogue's
    services (tagged with the product they test), the standards named in consultations and the
    ones enterprises follow (tagged with their industry), and optionally the library's current
    standards for one industry."""
    from qualitycity.standards.models import VALID_STATUSES, Standard

    products_of: dict[str, set] = defaultdict(set)
    industries_of: dict[str, set] = defaultdict(set)
    for product, numbers in index.methods.items():
        for number in numbers:
            if key := standard_key(number):
                products_of[key].add(product)
    for code, text in Case.objects.exclude(standards="").values_list("industry__code", "standards"):
        for number in standard_numbers(text):
            if (key := standard_key(number)) and code:
                industries_of[key].add(code)
    from qualitycity.standards.models import Follow

    followed = Follow.objects.filter(target=Follow.Target.STANDARD, standard__isnull=False)
    for base, code in followed.values_list("standard__base_number", "organization__industry__code"):
        industries_of[f"standard:{base}"].update({code} if code else set())
    bases = {k.split(":", 1)[1] for k in set(products_of) | set(industries_of)}
    found = {}
    for std in Standard.objects.filter(base_number__in=bases, status__in=VALID_STATUSES).order_by("base_number", "-year"):
        found.setdefault(f"standard:{std.base_number}", std)
    if extra_industry is not None:
        library = (Standard.objects.filter(industries=extra_industry, status__in=VALID_STATUSES)
                   .order_by("-implemented_on", "number")[:extra_limit])
        for std in library:
            key = f"standard:{std.base_number}"
            found.setdefault(key, std)
            industries_of[key].add(extra_industry.code)
    items = []
    for key, std in sorted(found.items()):
        signals = {f"product:{p}" for p in products_of[key]} | {f"failed:{p}" for p in products_of[key]}
        items.append(Item(key, "standard", f"{std.number} {std.title_zh}".strip(), industries=F(industries_of[key]),
                          topics=F({"标准化"}), signals=F(signals), url=_url("standards:detail", std.number)))
    return items


def courses() -> list[Item]:
    from qualitycity.training.models import Course  # imported late: training imports consult's demo

    items = []
    for course in Course.objects.filter(published=True).prefetch_related("industries__parent"):
        inds = list(course.industries.all())
        # a problem (failed test, complaint) points to the course for the firm's own industry,
        # or to a general quality course; never to another industry's product course
        if inds:
            signals = F(f"failed_industry:{i.code}" for i in inds)
        else:
            signals = PROBLEM if course.topic in ("product", "quality") else F()
        items.append(Item(f"course:{course.pk}", "course", course.title, industries=F(i.code for i in inds),
                          sections=F(i.parent.code for i in inds if i.parent_id), topics=F({TOPIC[course.topic]}),
                          signals=signals, url=_url("training:course", course.code)))
    return items


def experts(products: set[str]) -> list[Item]:
    profiles = {p.expert_id: p for p in ExpertProfile.objects.all()}
    items = []
    for expert in Expert.objects.filter(user__isnull=False).prefetch_related("industries__parent"):
        p = profiles.get(expert.pk)
        inds = list(expert.industries.all())
        fields = p.fields if p else []
        text = f"{expert.specialties} {p.product_areas if p else ''}"
        signals = {f"product:{x}" for x in products if x and x in text} | {f"failed:{x}" for x in products if x and x in text}
        if {"testing", "product"} & set(fields):
            signals |= {f"failed_industry:{i.code}" for i in inds}
        items.append(Item(f"expert:{expert.pk}", "expert", f"{expert.name}（{expert.specialties}）",
                          industries=F(i.code for i in inds), sections=F(i.parent.code for i in inds if i.parent_id),
                          topics=F(TOPIC[f] for f in fields if f in TOPIC), signals=F(signals)))
    return items


def catalogue(*, index: ServiceIndex | None = None, industry=None) -> list[Item]:
    index = index or services()
    return [*index.items, *PROGRAMMES, *courses(), *experts(index.products),
            *standards(index, extra_industry=industry)]
