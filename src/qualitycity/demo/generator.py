"""The deterministic demo city: Wuhan's districts and parks, enterprises, providers,
departments and experts. The same seed always gives the same data."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from qualitycity.core import credit_code, reference, size_class
from qualitycity.core.models import Area, Expert, GrowthStage, Industry, Organization, OrgKind
from qualitycity.core.services import audit

from . import names

GEOJSON = Path(__file__).resolve().parent.parent / "static" / "geo" / "wuhan_districts.geojson"
CITY_CODE = "420100"
BATCH = 2000


@dataclass
class DemoSummary:
    enterprises: int
    providers: int
    departments: int
    parks: int
    experts: int


class CodeFactory:
    """Unique, valid unified social credit codes (GB 32100-2015) for the demo."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, area_code: str, registration: str = "9", org_type: str = "1") -> str:
        while True:
            body = "".join(self.rng.choice(credit_code.CHARSET[:10]) for _ in range(8))
            body += self.rng.choice(credit_code.CHARSET)
            code = credit_code.build(registration, org_type, area_code or CITY_CODE, body)
            if code not in self.used:
                self.used.add(code)
                return code


def _person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177", "133"]) + f"{rng.randrange(10**8):08d}"


def _areas() -> tuple[list[Area], dict[str, Area]]:
    reference.load_areas_from_geojson(GEOJSON, city_name="武汉市", city_code=CITY_CODE, zones=names.FUNCTIONAL_ZONES)
    areas = list(Area.objects.exclude(kind=Area.Kind.CITY))
    return areas, {a.name: a for a in areas}


def _government(rng, codes: CodeFactory, by_name: dict[str, Area]) -> int:
    city_area = by_name["江岸区"]  # the municipal government sits in 江岸区
    rows = [
        Organization(
            kind=OrgKind.CITY_OFFICE, name="武汉市质量强市工作委员会办公室", area=city_area,
            credit_code=codes.make(CITY_CODE, "1", "1"), address="武汉市江岸区沿江大道", is_demo=True,
        )
    ]
    for name in names.DEPARTMENTS:
        rows.append(
            Organization(
                kind=OrgKind.DEPARTMENT, name="武汉" + name if name.startswith("市") else name, area=city_area,
                credit_code=codes.make(CITY_CODE, "1", "1"), contact_name=_person(rng), contact_phone=_phone(rng),
                is_demo=True,
            )
        )
    for area in by_name.values():
        suffix = "人民政府" if area.kind == Area.Kind.DISTRICT else "管理委员会"
        rows.append(
            Organization(
                kind=OrgKind.DISTRICT_GOVERNMENT, name=f"武汉市{area.name}{suffix}", area=area,
                credit_code=codes.make(area.code, "1", "1"), is_demo=True,
            )
        )
    Organization.objects.bulk_create(rows)
    return len(names.DEPARTMENTS)


def _parks(codes: CodeFactory, by_name: dict[str, Area]) -> list[Organization]:
    parks = [
        Organization(
            kind=OrgKind.PARK, name=park, area=by_name[district], service_station=f"{park}质量基础设施一站式服务站",
            credit_code=codes.make(by_name[district].code, "1", "1"), is_demo=True,
        )
        for park, district in names.PARKS
    ]
    Organization.objects.bulk_create(parks)
    return list(Organization.objects.filter(kind=OrgKind.PARK))


PROVIDER_PATTERNS = [
    (OrgKind.TESTING_LAB, "武汉{b}检验检测有限公司", 24),
    (OrgKind.METROLOGY_INSTITUTE, "武汉{b}计量检测有限公司", 8),
    (OrgKind.CERTIFICATION_BODY, "{b}认证有限公司", 6),
    (OrgKind.STANDARDS_INSTITUTE, "武汉{b}标准化技术服务中心", 4),
]
LAB_SCOPES = ["电线电缆", "食品", "家用电器", "汽车零部件", "建筑材料", "纺织品", "医疗器械", "玩具", "化妆品", "电子电器"]


def _providers(rng, codes: CodeFactory, areas: list[Area], scale: int) -> int:
    rows = []
    taken: set[str] = set()
    for kind, pattern, count in PROVIDER_PATTERNS:
        for _ in range(count * scale):
            brand = rng.choice(names.BRAND_CHARS) + rng.choice(names.BRAND_CHARS)
            name = pattern.format(b=brand)
            if name in taken:
                name = pattern.format(b=brand + rng.choice(names.BRAND_CHARS))
            taken.add(name)
            area = rng.choice(areas)
            accredited = kind in (OrgKind.TESTING_LAB, OrgKind.METROLOGY_INSTITUTE)
            rows.append(
                Organization(
                    kind=kind, name=name, area=area, credit_code=codes.make(area.code),
                    cma_number=f"{rng.randrange(18, 26):02d}17{rng.randrange(10**8):08d}" if accredited else "",
                    cma_valid_until=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60, 2000)) if accredited else None,
                    cnas_number=f"CNAS L{rng.randrange(1000, 19999)}" if accredited else "",
                    capability_scope="、".join(rng.sample(LAB_SCOPES, 3)) if kind == OrgKind.TESTING_LAB else "",
                    address=f"武汉市{area.name}{rng.choice(names.BRAND_CHARS)}{rng.choice(['路', '大道', '街'])}{rng.randrange(1, 400)}号",
                    contact_name=_person(rng), contact_phone=_phone(rng), is_demo=True,
                )
            )
    Organization.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _enterprise(rng, codes, area, industry, parks_by_area, today) -> Organization:
    words = names.INDUSTRY_WORDS[industry.code]
    brand = rng.choice(names.BRAND_CHARS) + rng.choice(names.BRAND_CHARS)
    name = f"武汉{brand}{rng.choice(words)}{rng.choice(names.LEGAL_FORMS)}"
    employees = max(1, int(rng.lognormvariate(3.3, 1.3)))
    revenue = Decimal(str(round(employees * rng.lognormvariate(3.6, 0.8), 2)))
    founded = today - dt.timedelta(days=rng.randrange(200, 30 * 365))
    age = (today - founded).days / 365
    stage = (
        GrowthStage.STARTUP if age < 3 else GrowthStage.GROWTH if age < 10
        else rng.choice([GrowthStage.MATURE, GrowthStage.MATURE, GrowthStage.TRANSFORMING])
    )
    candidates = parks_by_area.get(area.pk, [])
    return Organization(
        kind=OrgKind.ENTERPRISE, name=name, area=area, industry=industry, credit_code=codes.make(area.code),
        park=rng.choice(candidates) if candidates and rng.random() < 0.6 else None,
        size_class=size_class.classify(industry.code, employees, revenue),
        employees=employees, annual_revenue=revenue, founded_on=founded, growth_stage=stage,
        address=f"武汉市{area.name}{brand}{rng.choice(['路', '大道', '街'])}{rng.randrange(1, 999)}号",
        contact_name=_person(rng), contact_phone=_phone(rng), is_demo=True,
    )


def _enterprises(rng, codes, areas, parks, count: int) -> int:
    industries = {i.code: i for i in Industry.objects.filter(code__in=list(names.INDUSTRY_WORDS))}
    codes_list = list(names.INDUSTRY_WEIGHTS)
    weights = [names.INDUSTRY_WEIGHTS[c] for c in codes_list]
    # Central districts and the high-tech zones hold more firms, as in the real city.
    area_weights = [3 if a.kind == Area.Kind.FUNCTIONAL_ZONE and "开发区" in a.name else 2 if a.kind == Area.Kind.DISTRICT else 1
                    for a in areas]
    parks_by_area: dict[int, list] = {}
    for park in parks:
        parks_by_area.setdefault(park.area_id, []).append(park)
    today = dt.date(2026, 11, 1)
    batch = []
    for _ in range(count):
        area = rng.choices(areas, area_weights)[0]
        industry = industries[rng.choices(codes_list, weights)[0]]
        batch.append(_enterprise(rng, codes, area, industry, parks_by_area, today))
        if len(batch) >= BATCH:
            Organization.objects.bulk_create(batch)
            batch = []
    Organization.objects.bulk_create(batch)
    return count


def _experts(rng, count: int) -> int:
    affiliations = list(Organization.objects.filter(kind__in=[OrgKind.TESTING_LAB, OrgKind.STANDARDS_INSTITUTE,
                                                               OrgKind.METROLOGY_INSTITUTE, OrgKind.CERTIFICATION_BODY]))
    rows = [
        Expert(
            name=_person(rng), title=rng.choice(names.EXPERT_TITLES), affiliation=rng.choice(affiliations),
            specialties="、".join(rng.sample(names.EXPERT_FIELDS, 2)), phone=_phone(rng), is_demo=True,
        )
        for _ in range(count)
    ]
    Expert.objects.bulk_create(rows, batch_size=BATCH)
    return count


def build_demo_city(*, scale: int = 1, seed: int = 2026) -> DemoSummary:
    """Create the demo city in one transaction. Refuses to run on a database that already
    holds organizations, so it can never mix demo and real data."""
    if Organization.objects.exists():
        raise RuntimeError("数据库中已有机构数据：演示城市只能载入空数据库")
    rng = random.Random(seed)
    codes = CodeFactory(rng)
    with transaction.atomic():
        reference.load_industries(Industry)  # idempotent; a flushed test database lacks them
        areas, by_name = _areas()
        departments = _government(rng, codes, by_name)
        parks = _parks(codes, by_name)
        providers = _providers(rng, codes, areas, 1 if scale == 1 else max(1, scale // 5))
        enterprises = _enterprises(rng, codes, areas, parks, 2000 * scale)
        experts = _experts(rng, 120)
        summary = DemoSummary(enterprises, providers, departments, len(parks), experts)
        audit.record(
            by=audit.Actor.system("demo"), action="demo.load", object_type="demo", object_id=str(seed),
            changes={"scale": [None, scale], "seed": [None, seed], "summary": [None, summary.__dict__]},
        )
    _refresh_planner_statistics()
    return summary


def _refresh_planner_statistics() -> None:
    """A bulk load leaves the query planner guessing one row per table; PostgreSQL then
    picks nested loops that take 100 ms on 50,000 firms. ANALYZE fixes that at once
    rather than whenever autovacuum gets to it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
