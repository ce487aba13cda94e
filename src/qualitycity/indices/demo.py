"""Demo data: a Wuhan quality-development index with 8 dimensions and 29 indicators.

Every value here is SYNTHETIC (``Value.synthetic = True``): the demo city is invented. The
"imported" series (origin 导入) are generated from a latent "district quality" plus a yearly
trend and noise so that rankings look plausible and change a little from year to year.
Indicators the platform computes (inspection pass rate, complaint on-time rate, district
satisfaction, standards drafted, 名品 certificates and brand strength, directory counts) are
taken from their providers for every year in which the demo modules hold data for at least
half of the districts (and differ between districts); other years keep the imported series, labelled as imported. Demo apps
that load after this one (brands) have no data yet when it runs, so their indicators stay
imported until an analyst presses "从平台模块计算". Five years (2021–2025) are computed and
published through the portal's workflow; 2025 also carries the Sobol' analysis.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction

from qualitycity.core.models import User
from qualitycity.core.services import audit
from qualitycity.portal import services as portal

from .models import Framework, Value
from .services import compute, data, frameworks, publishing

YEARS = range(2021, 2026)
PUBLISHED_YEAR = 2025
# code, name, (sub-dimensions: code, name) or None
DIMENSIONS = [
    ("product", "产品质量", None),
    ("service", "服务质量", None),
    ("engineering", "工程质量", None),
    ("environment", "环境质量", None),
    ("economic", "经济质量", None),
    ("infrastructure", "质量基础设施", [("std_metrology", "标准与计量"), ("testing_cert", "检验检测认证")]),
    ("brands", "品牌建设", None),
    ("government", "政务服务质量", None),
]
# code, name, unit, direction, group, source, (base, spread, trend per year, low, high) or provider key,
# and optionally a provider that replaces the imported series in the years its module has data
INDICATORS = [
    ("sampling_pass_rate", "检验批次合格率", "%", "+", "product", "平台检验订单；往年为市市场监管局监督抽查数据导入",
     (95.0, 1.6, 0.3, 80, 100), "inspection.pass_rate"),
    ("quality_loss_rate", "制造业质量损失率", "%", "-", "product", "市统计局", (1.6, 0.35, -0.05, 0.2, 5)),
    ("mfg_competitiveness", "制造业质量竞争力指数", "分", "+", "product", "市市场监管局", (84.0, 2.0, 0.4, 60, 100)),
    ("customer_satisfaction", "顾客满意度指数", "分", "+", "service", "顾客满意度测评", (78.0, 2.5, 0.6, 50, 100)),
    ("public_service_sat", "区政府服务群众满意度", "分", "+", "service", "已发布的满意度测评；往年为公共服务质量监测导入",
     (76.0, 2.8, 0.7, 50, 100), "surveys.district_satisfaction"),
    ("complaints_per_10k", "万人消费投诉量", "件/万人", "-", "service", "12315 平台", (12.0, 3.0, -0.4, 1, 40)),
    ("acceptance_rate", "工程竣工验收一次合格率", "%", "+", "engineering", "市城建局", (97.5, 1.0, 0.2, 85, 100)),
    ("quality_awards", "优质工程奖项数", "项", "+", "engineering", "市城建局", (6.0, 2.5, 0.4, 0, 40)),
    ("safety_incidents", "工程质量安全事故数", "起", "-", "engineering", "市城建局", (1.5, 0.9, -0.1, 0, 10)),
    ("good_air_days", "空气质量优良天数比例", "%", "+", "environment", "市生态环境局", (78.0, 4.0, 0.8, 50, 100)),
    ("water_quality", "地表水Ⅲ类及以上水体比例", "%", "+", "environment", "市生态环境局", (75.0, 9.0, 1.5, 20, 100)),
    ("pm25", "PM2.5 年均浓度", "μg/m³", "-", "environment", "市生态环境局", (38.0, 3.5, -0.9, 15, 80)),
    ("green_coverage", "建成区绿化覆盖率", "%", "+", "environment", "市园林和林业局", (40.0, 3.0, 0.3, 20, 60)),
    ("rd_intensity", "研发经费投入强度", "%", "+", "economic", "市统计局", (3.0, 1.2, 0.1, 0.3, 10)),
    ("labour_productivity", "全员劳动生产率", "万元/人", "+", "economic", "市统计局", (25.0, 6.0, 1.0, 8, 60)),
    ("hightech_share", "高新技术产业增加值占比", "%", "+", "economic", "市科技局", (30.0, 8.0, 0.8, 5, 70)),
    ("large_medium_share", "大中型企业占比", "%", "+", "economic", "平台企业名录", "core.large_medium_share"),
    ("standards_led", "本区企业参与起草的标准数", "项", "+", "std_metrology", "标准库起草单位；往年为市市场监管局导入",
     (15.0, 7.0, 1.2, 0, 80), "standards.drafted"),
    ("metrology_standards", "社会公用计量标准数", "项", "+", "std_metrology", "市计量院", (20.0, 6.0, 0.6, 0, 80)),
    ("accredited_labs", "CNAS 认可检验检测机构数", "家", "+", "testing_cert", "平台服务机构名录",
     "core.accredited_labs"),
    ("qms_certificates", "质量管理体系认证证书数", "张", "+", "testing_cert", "认证认可信息平台",
     (800.0, 300.0, 40.0, 50, 5000)),
    ("famous_brands", "武汉名品数", "个", "+", "brands", "武汉名品证书；往年为导入", (12.0, 5.0, 1.0, 0, 80),
     "brands.certified_products"),
    ("brand_strength", "名品企业品牌强度", "分", "+", "brands", "名品模块品牌强度评分；往年为导入",
     (70.0, 8.0, 0.8, 0, 100), "brands.strength"),
    ("trademarks_per_10k", "每万户市场主体有效商标量", "件", "+", "brands", "市场主体登记", (1500.0, 350.0, 60.0, 200, 6000)),
    ("quality_award_firms", "获政府质量奖企业数", "家", "+", "brands", "市质量强市办", (3.0, 1.6, 0.2, 0, 20)),
    ("instant_rate", "“马上办”事项比例", "%", "+", "government", "市政务服务局", (85.0, 4.0, 1.5, 50, 100)),
    ("online_rate", "“网上办”事项比例", "%", "+", "government", "市政务服务局", (90.0, 3.0, 1.2, 50, 100)),
    ("once_rate", "“一次办”事项比例", "%", "+", "government", "市政务服务局", (92.0, 2.5, 0.9, 50, 100)),
    ("startup_days", "企业开办时间", "工作日", "-", "government", "市政务服务局", (2.5, 0.6, -0.2, 0.5, 10)),
    ("complaint_on_time", "诉求按期办结率", "%", "+", "government", "平台诉求办理；往年为 12345 热线导入",
     (95.0, 2.0, 0.5, 60, 100), "complaints.on_time_rate"),
]
# AHP priorities of the eight dimensions that the demo experts roughly agree on.
DIMENSION_PRIORITY = [0.17, 0.13, 0.10, 0.12, 0.15, 0.13, 0.08, 0.12]
DEMO_EXPERTS = ("expert", "cityoffice", "admin")


def _judgements(rng: np.random.Generator, priority: list[float], noise: float) -> dict[tuple[int, int], str]:
    """An expert's upper triangle: ratios of the priorities, perturbed, clipped to Saaty's 1/9..9."""
    n = len(priority)
    out = {}
    for i in range(n):
        for j in range(i + 1, n):
            a = float(np.clip(priority[i] / priority[j] * np.exp(rng.normal(0, noise)), 1 / 9, 9))
            out[(i, j)] = f"{a:.3f}"
    return out


def _series(rng, latent, spec, n_years):
    base, spread, trend, low, high = spec
    values = base + spread * latent[:, None] + trend * np.arange(n_years)[None, :]
    values += rng.normal(0, spread * 0.25, values.shape)
    return np.clip(values, low, high)


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = np.random.default_rng(seed + 8)
    by = audit.Actor.system("demo")
    areas = data.units()
    if len(areas) < 3:
        stdout.write("质量指数演示：区划不足，跳过")
        return
    with transaction.atomic():
        fw = frameworks.create_framework(by=by, code="wuhan-quality", name="武汉质量发展指数（演示）",
                                         description="按 OECD/JRC《综合指标构建手册》构建的区级质量发展指数。"
                                                     "演示数据为合成数据，非真实统计。",
                                         normalization="minmax", weighting="ahp", aggregation="arithmetic",
                                         imputation="mean", outliers=True)
        Framework.objects.filter(pk=fw.pk).update(is_demo=True)
        groups = {}
        for order, (code, name, subs) in enumerate(DIMENSIONS):
            groups[code] = frameworks.add_group(by=by, framework=fw, code=code, name=name, order=order)
            for sorder, (scode, sname) in enumerate(subs or []):
                groups[scode] = frameworks.add_group(by=by, framework=fw, code=scode, name=sname,
                                                     parent=groups[code], order=sorder)
        for order, (code, name, unit, direction, group, source, spec, *computed) in enumerate(INDICATORS):
            frameworks.save_indicator(by=by, framework=fw, data={
                "group": groups[group], "code": code, "name": name, "unit": unit, "direction": direction,
                "source": source, "provider": spec if isinstance(spec, str) else (computed or [""])[0],
                "order": order})
        # One questionnaire per node with two or more children, answered by up to three people.
        experts = list(User.objects.filter(username__in=DEMO_EXPERTS))
        nodes = [None] + [g for g in groups.values()]
        for node in nodes:
            elements = frameworks.node_children(fw, node)
            if len(elements) < 2:
                continue
            q = frameworks.open_questionnaire(by=by, framework=fw, group=node)
            priority = DIMENSION_PRIORITY if node is None else list(rng.uniform(0.6, 1.4, len(elements)))
            for user in experts:
                frameworks.submit_response(by=audit.Actor(user=user), questionnaire=q,
                                           judgements=_judgements(rng, priority, 0.15))
        # Synthetic values: a latent district quality with a dimension-specific twist.
        latent = rng.normal(0, 1, len(areas))
        cells = []
        inds = {i.code: i for i in fw.indicators.all()}
        for code, _name, _unit, direction, _group, _src, spec, *_computed in INDICATORS:
            if isinstance(spec, str):
                continue
            own = 0.7 * latent + 0.5 * rng.normal(0, 1, len(areas))
            series = _series(rng, own if direction == "+" else -own, spec, len(YEARS))
            ind = inds[code]
            for a, area in enumerate(areas):
                for y, year in enumerate(YEARS):
                    if year == 2021 and code == "water_quality" and a == len(areas) - 1:
                        continue  # one genuinely missing cell: imputed and reported
                    cells.append(Value(indicator=ind, area=area, year=year, value=round(float(series[a, y]), 2),
                                       origin=Value.Origin.IMPORT, synthetic=True))
        Value.objects.bulk_create(cells, batch_size=2000)
        kept = {}
        for year in YEARS:
            kept[year] = data.fill_from_platform(by=by, framework=fw, year=year, min_coverage=0.5,
                                                 require_variance=True)[1]
        Value.objects.filter(indicator__framework=fw).update(synthetic=True)
    results = []
    for year in YEARS:
        # Sobol' indices only for the latest year: they cost ~1 s, the Monte Carlo ~0.1 s.
        results.append(compute.compute_result(by=by, framework=fw, year=year, replications=1000,
                                              sobol_base=128 if year == PUBLISHED_YEAR else 0, seed=seed))
    # Every year goes through the portal's workflow (prepared here, approved and published by
    # the city office), so the public page can show the trend from frozen, versioned releases.
    office = User.objects.filter(username="cityoffice").first()
    desk = audit.Actor(user=office) if office else by
    for result in results:
        release = publishing.request_publication(by=by, result=result)
        portal.approve(by=desk, publication=release.publication)
        portal.publish(by=desk, publication=release.publication)
    computed = {y: len(fw.indicators.exclude(provider="")) - len(k) for y, k in kept.items()}
    stdout.write("质量指数演示：各年由平台模块计算的指标数 " + "、".join(f"{y} 年 {n} 项" for y, n in computed.items()))
    stdout.write(f"质量指数演示：{len(INDICATORS)} 项指标 × {len(areas)} 个区 × {len(YEARS)} 年（合成数据），"
                 f"已发布 {YEARS[0]}–{PUBLISHED_YEAR} 年指数（{PUBLISHED_YEAR} 年：{results[-1].number}）")

