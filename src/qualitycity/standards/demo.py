"""Demo data of the standards library: a few real, well-known standards (data/demo_standards.csv,
to be checked before production use) and a generator of synthetic Chinese standards.

The real rows go through the import service (so they get change events). The synthetic
catalogue is bulk-inserted for speed, like the core demo city; the ISO catalogue is not
loaded here (``qcity standards import-iso …`` or ``qcity demo --standards-iso`` for that).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db import transaction

from qualitycity.core.models import Industry, Membership, Organization, OrgKind, Role
from qualitycity.core.services import audit

from .models import Adoption, CcsCode, IcsCode, Kind, Replacement, Standard, StandardBody, Status
from .numbers import PROVINCES, parse
from .reference import ensure_code_tables
from .services import follows, imports
from .services.catalogue import build_search_text, ics_fields_of

DATA = Path(__file__).resolve().parent / "data"
SYNTHETIC_PER_SCALE = 1500

# (product, ICS, CCS, GB/T 4754 division) — plausible pairings for realistic titles and facets.
PRODUCTS = [
    ("电线电缆", "29.060.20", "K13", "38"), ("电力电缆", "29.060.20", "K13", "38"), ("光纤光缆", "33.180.10", "M33", "39"),
    ("锂离子电池", "29.220.20", "K82", "38"), ("电动汽车充电桩", "43.120", "T35", "38"), ("汽车座椅", "43.040.60", "T26", "36"),
    ("螺纹钢筋", "77.140.60", "H44", "31"), ("不锈钢管", "77.140.75", "H48", "31"), ("铝合金型材", "77.150.10", "H61", "32"),
    ("预拌混凝土", "91.100.30", "Q13", "30"), ("陶瓷砖", "91.100.23", "Q32", "30"), ("建筑涂料", "87.040", "G51", "26"),
    ("食用植物油", "67.200.10", "X14", "13"), ("饮料", "67.160.20", "X51", "15"), ("乳制品", "67.100.10", "X16", "14"),
    ("茶叶", "67.140.10", "X55", "15"), ("大米", "67.060", "X11", "13"), ("热干面", "67.060", "X11", "14"),
    ("儿童玩具", "97.200.50", "Y57", "24"), ("家用电冰箱", "97.040.30", "Y61", "38"), ("空气净化器", "97.030", "Y62", "38"),
    ("纺织面料", "59.080.30", "W20", "17"), ("服装", "61.020", "Y76", "18"), ("鞋类", "61.060", "Y78", "19"),
    ("医用口罩", "11.140", "C48", "27"), ("一次性输液器", "11.040.20", "C31", "35"), ("化妆品", "71.100.70", "Y42", "26"),
    ("工业机器人", "25.040.30", "J28", "34"), ("数控机床", "25.040.20", "J50", "34"), ("压力容器", "23.020.30", "J74", "34"),
    ("电梯", "91.140.90", "Q78", "34"), ("起重机械", "53.020.20", "J80", "34"), ("光伏组件", "27.160", "F12", "38"),
    ("城市道路照明", "93.080.40", "P53", "48"), ("生活垃圾分类", "13.030.10", "Z13", "77"), ("物业服务", "03.080.99", "A20", "70"),
]
ASPECTS = ["通用技术条件", "试验方法", "安全要求", "术语", "检验规则", "能效限定值及能效等级", "质量分级", "技术规范",
           "服务规范", "评价方法"]
INDUSTRY_PREFIXES = ["JB/T", "QB/T", "HG/T", "SN/T", "YY/T", "NY/T", "FZ/T", "QC/T", "SJ/T", "JG/T"]
ASSOCIATIONS = ["T/CAQ", "T/CECS", "T/CNTAC", "T/CSAE", "T/HBAS", "T/WHSQ"]  # synthetic group codes


def _real(by: audit.Actor, stdout) -> int:
    lines = (DATA / "demo_standards.csv").read_text(encoding="utf-8").splitlines()
    content = "\n".join(line for line in lines if not line.startswith("#")).encode("utf-8")
    return imports.import_file(by=by, filename="demo_standards.csv", content=content).created


def _number(rng: random.Random, kind: str, year: int, used: set[str]) -> str:
    while True:
        if kind == Kind.NATIONAL:
            prefix = rng.choice(["GB", "GB/T", "GB/T", "GB/T"])
            seq = str(rng.randint(10000, 45999))
        elif kind == Kind.INDUSTRY:
            prefix = rng.choice(INDUSTRY_PREFIXES)
            seq = str(rng.randint(1000, 9999))
        elif kind == Kind.LOCAL:
            prefix = rng.choice(["DB42/T", "DB42/T", "DB42/T", f"DB{rng.choice(list(PROVINCES))}/T"])
            seq = str(rng.randint(100, 2500))
        else:
            prefix = rng.choice(ASSOCIATIONS)
            seq = str(rng.randint(1, 999)).zfill(3)
        part = f".{rng.randint(1, 4)}" if rng.random() < 0.15 else ""
        base = f"{prefix} {seq}{part}"
        if base not in used:
            used.add(base)
            return base


def synthetic(*, seed: int, count: int, today: dt.date) -> list[Standard]:
    """Realistic synthetic Chinese standards with edition chains; returns them saved."""
    rng = random.Random(seed)
    ics = dict(IcsCode.objects.values_list("code", "id"))
    ccs = dict(CcsCode.objects.values_list("code", "id"))
    used = set(Standard.objects.values_list("base_number", flat=True))
    objects, chains, ics_links, industry_codes = [], [], [], []
    kinds = [Kind.NATIONAL] * 4 + [Kind.INDUSTRY] * 3 + [Kind.LOCAL] * 2 + [Kind.GROUP]
    while len(objects) < count:
        product, ics_code, ccs_code, industry = rng.choice(PRODUCTS)
        kind = rng.choice(kinds)
        title = f"{product} {rng.choice(ASPECTS)}"
        if rng.random() < 0.15:
            title += f" 第{rng.randint(1, 4)}部分：{rng.choice(['总则', '性能要求', '测试方法', '标志和包装'])}"
        base = _number(rng, kind, 0, used)
        editions = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        year = rng.randint(1998, 2016)
        chain = []
        for e in range(editions):
            last = e == editions - 1
            published = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            implemented = published + dt.timedelta(days=rng.choice([90, 180, 182, 365]))
            if last and rng.random() < 0.08:  # a new edition that is not yet in force
                published = today - dt.timedelta(days=rng.randint(10, 120))
                implemented = today + dt.timedelta(days=rng.randint(5, 200))
            status = Status.REPLACED if not last else (
                Status.UPCOMING if implemented > today else (Status.ABOLISHED if rng.random() < 0.05 else Status.CURRENT))
            number = f"{base}-{published.year}"
            if number in {o.number for o in chain}:
                break
            adoption = rng.choice([Adoption.IDT, Adoption.MOD, Adoption.NEQ]) if kind == Kind.NATIONAL and rng.random() < 0.35 else ""
            parsed = parse(number)
            std = Standard(
                number=number, base_number=parsed.base, kind=kind, prefix=parsed.prefix, sequence=parsed.sequence,
                part=parsed.part, year=parsed.year, title_zh=title, status=status, published_on=published,
                implemented_on=implemented, abolished_on=(today - dt.timedelta(days=rng.randint(1, 900)))
                if status == Status.ABOLISHED else None, ics_codes=ics_code, ccs_id=ccs.get(ccs_code), adoption=adoption,
                ics_fields=ics_fields_of([ics_code] if ics_code in ics else []),  # the link made below
                adopted_number=f"ISO {rng.randint(1000, 30000)}:{published.year - rng.randint(1, 3)}" if adoption else "",
                technical_committee=f"全国{product}标准化技术委员会" if kind == Kind.NATIONAL else "",
                scope=f"本文件规定了{product}的{title.split(' ')[1]}。本文件适用于{product}的生产、检验和验收。",
                source="demo",
            )
            std.search_text = build_search_text(number=number, title_zh=title, title_en="", scope=std.scope,
                                                adopted_number=std.adopted_number)
            chain.append(std)
            year = min(published.year + rng.randint(4, 9), today.year - 1)
        objects.extend(chain)
        chains.append(chain)
        industry_codes.append((chain, industry, ics_code))
    Standard.objects.bulk_create(objects, batch_size=1000)
    ids = dict(Standard.objects.filter(number__in=[o.number for o in objects]).values_list("number", "id"))
    industries = dict(Industry.objects.values_list("code", "id"))
    replacements = [Replacement(old_id=ids[a.number], new_id=ids[b.number]) for c in chains
                    for a, b in zip(c, c[1:], strict=False)]
    Replacement.objects.bulk_create(replacements, batch_size=2000, ignore_conflicts=True)
    ind_links = []
    for chain, industry, ics_code in industry_codes:
        for s in chain:
            if ics_code in ics:
                ics_links.append(Standard.ics.through(standard_id=ids[s.number], icscode_id=ics[ics_code]))
            if industry in industries:
                ind_links.append(Standard.industries.through(standard_id=ids[s.number], industry_id=industries[industry]))
    Standard.ics.through.objects.bulk_create(ics_links, batch_size=2000, ignore_conflicts=True)
    Standard.industries.through.objects.bulk_create(ind_links, batch_size=2000, ignore_conflicts=True)
    return objects


def _local_bodies(rng: random.Random, standards: list[Standard]) -> int:
    """Some synthetic standards are drafted by demo-city enterprises and institutes."""
    orgs = list(Organization.objects.filter(kind__in=[OrgKind.ENTERPRISE, OrgKind.STANDARDS_INSTITUTE,
                                                     OrgKind.TESTING_LAB]).order_by("id")[:400])
    if not orgs:
        return 0
    ids = dict(Standard.objects.filter(number__in=[s.number for s in standards]).values_list("number", "id"))
    picked = rng.sample(standards, k=min(len(standards), max(20, len(standards) // 8)))
    bodies = [StandardBody(standard_id=ids[s.number], organization=rng.choice(orgs), role=StandardBody.Role.DRAFTER)
              for s in picked]
    StandardBody.objects.bulk_create(bodies, ignore_conflicts=True)
    for s in picked:
        names = ", ".join(b.organization.name for b in bodies if b.standard_id == ids[s.number])
        Standard.objects.filter(pk=ids[s.number]).update(drafters=names)
    return len(bodies)


def _demo_follows(by: audit.Actor, rng: random.Random, today: dt.date) -> int:
    member = Membership.objects.filter(user__username="enterprise", role=Role.ENTERPRISE_MEMBER).first()
    if member is None:
        return 0
    actor = audit.Actor(user=member.user, label="demo")
    picks = list(Standard.objects.filter(number__in=["GB/T 19001-2016", "GB 2760-2014", "GB/T 5023.1-2008"]))
    # one that is replaced by an edition coming into force soon, so "my standards" shows a warning
    soon = Replacement.objects.filter(new__status=Status.UPCOMING, new__implemented_on__lte=today + dt.timedelta(days=90),
                                      new__implemented_on__gte=today).select_related("old").first()
    if soon is not None:
        picks.append(soon.old)
    for std in picks:
        follows.follow(by=actor, standard=std)
    follows.follow(by=actor, target="ics", code="29.060.20")
    return len(picks) + 1


def load_demo(*, seed: int, scale: int, stdout) -> None:
    today = dt.date.today()
    by = audit.Actor.system("demo")
    ensure_code_tables()
    if Standard.objects.filter(source="demo").exists():
        stdout.write("标准库演示数据已存在，跳过")
        return
    rng = random.Random(seed + 3)
    with transaction.atomic():
        real = _real(by, stdout)
        made = synthetic(seed=seed, count=SYNTHETIC_PER_SCALE * max(1, scale), today=today)
        bodies = _local_bodies(rng, made)
        audit.record(by=by, action="standards.demo", object_type="standards.standard",
                     changes={"real": real, "synthetic": len(made), "local_bodies": bodies})
        followed = _demo_follows(by, rng, today)
    stdout.write(f"标准库：真实标准 {real} 项（使用前须核对），合成标准 {len(made)} 项，关注 {followed} 项")
