"""Demo satisfaction surveys: ten service industries and every district, three years.

Answers are simulated from the known structural model of
:mod:`qualitycity.methods.csi_sim`; each project's level of satisfaction is a
deterministic function of its industry or district and year, so the ranking and the
year-on-year changes on the results pages are meaningful.  A few respondents are
planted as speeders, straight-liners and duplicates so the quality screens and the
review queue have work.

Projects that the demo publishes are estimated with a bootstrap of ``DEMO_BOOTSTRAP``
resamples (the results page re-estimates with 1,000), then go through the real
publishing workflow: submitted as a release, approved and published on the portal by a
demo city-office actor.  Raking uses the placeholder margins of ``population.py``,
which every results page labels as demo defaults.  District surveys are contracted to
the first testing lab (the ``lab`` demo login), which may enter interviews for them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.methods import csi_sim

from . import services
from .itembank import AGE_BANDS, BANK, SERVICE_INDUSTRIES
from .models import Project, Response

BASE_MEANS = {"Image": 7.4, "Expectation": 7.8, "Quality": 7.0, "Value": 6.6, "Satisfaction": 7.1,
              "Complaints": 6.5, "Loyalty": 6.9}
INDUSTRY_LEVEL = {"property": -0.6, "elderly_care": -0.2, "tourism": 0.3, "logistics": 0.1, "catering": 0.0,
                  "retail": 0.2, "healthcare": -0.3, "education": -0.1, "banking": 0.5, "transport": 0.4}
AGE_SHARES = [0.15, 0.27, 0.30, 0.28]  # older people answer more often than their population share
THEMES = {
    "property": ["物业费偏高，服务跟不上", "电梯维修响应太慢", "小区停车位管理混乱", "保洁比以前认真了"],
    "elderly_care": ["护理人员流动太频繁", "助餐服务价格实惠", "希望增加上门护理", "床位排队时间长"],
    "tourism": ["景区节假日排队时间长", "导游讲解专业", "停车难收费高", "厕所卫生需要改进"],
    "logistics": ["快递丢件理赔慢", "派送员态度好速度快", "驿站取件排队", "偏远小区送货不上门"],
    "catering": ["菜品分量变少价格涨", "后厨卫生需要公开", "服务员热情", "外卖包装不环保"],
    "retail": ["会员价格不透明", "退换货手续麻烦", "商品质量可靠", "促销规则复杂"],
    "healthcare": ["挂号难排队时间长", "医生解释病情耐心", "检查费用偏高", "网上预约很方便"],
    "education": ["培训收费不透明退费难", "老师专业负责", "课程效果难以评估", "合同条款看不懂"],
    "banking": ["网点排队时间长", "手机银行操作方便", "理财产品风险提示不清", "柜员服务态度好"],
    "transport": ["高峰期公交拥挤", "地铁换乘方便", "公交到站时间不准", "司机服务态度好"],
    "district": ["办事排队时间长", "政务服务网上办理方便", "窗口工作人员态度好", "材料要求反复提交",
                 "社区服务中心离家近", "政策宣传解读不够"],
}
DEMO_PROJECT_YEARS = 3
# Resamples for the published demo projects' percentile intervals: one batch of the engine's
# vectorized bootstrap (128), which keeps the surveys demo within ~10 s of the unbootstrapped
# one on a 2-core machine (measured +7.3 s with 13 districts, machine at load 7).  Coarser
# than the 1,000 the results page uses (the 2.5 % tail rests on 3 resamples), which is why
# the page offers a full re-estimation.
DEMO_BOOTSTRAP = 128


def _items() -> dict[str, list[str]]:
    items: dict[str, list[str]] = {}
    for code, construct, *_rest in BANK:
        items.setdefault(construct, []).append(code)
    return items


def _rows(rng, n, level, districts, theme_key, started):
    means = {k: v + level for k, v in BASE_MEANS.items()}
    data, eta = csi_sim.simulate(n, _items(), rng=rng, means=means)
    sat_mean = np.mean([data[c] for c in ("SAT1", "SAT2", "SAT3")], axis=0)
    noise = rng.standard_normal(n)
    reversed_item = np.clip(np.round(11 - sat_mean + 0.8 * noise), 1, 10)
    durations = rng.lognormal(np.log(420), 0.35, n)
    rows = []
    phrases = THEMES[theme_key]
    for i in range(n):
        answers = {c: int(v[i]) for c, v in data.items()}
        answers["SAT_R"] = int(reversed_item[i])
        kind = rng.random()
        if kind < 0.03:                      # speeder
            durations[i] = rng.uniform(40, 90)
        elif kind < 0.05:                    # straight-liner
            value = int(rng.integers(7, 11))
            answers = {c: value for c in answers}
        elif kind < 0.06 and rows:           # a duplicate of the previous questionnaire
            answers = dict(rows[-1]["answers"])
        open_answer = ""
        if rng.random() < (0.8 if sat_mean[i] < 6 else 0.5):  # the unhappy write more often
            picks = rng.choice(len(phrases), size=int(rng.integers(1, 3)), replace=False)
            open_answer = "；".join(phrases[j] for j in picks)
        rows.append({
            "answers": answers, "district": districts[int(rng.integers(len(districts)))],
            "sex": "M" if rng.random() < 0.46 else "F",
            "age_band": AGE_BANDS[int(rng.choice(4, p=AGE_SHARES))][0],
            "open_answer": open_answer, "duration_seconds": float(round(durations[i], 1)),
            "submitted_at": started + dt.timedelta(minutes=int(rng.integers(0, 60 * 24 * 30))), "is_demo": True,
        })
    return rows


def _city_office() -> Actor:
    from qualitycity.core.models import Membership, Role

    member = Membership.objects.filter(role=Role.CITY_OFFICE).select_related("user").order_by("id").first()
    return Actor(user=member.user, label="demo") if member else Actor.system("demo-city-office")


def _publish(project: Project, office: Actor, by: Actor) -> None:
    """Submit (the survey team), approve and publish (the city office) on the portal.
    No PDF is stored for demo releases: the public PDF is rendered from the same frozen
    results on request, which keeps ``qcity demo`` fast."""
    from qualitycity.portal import services as portal

    release = services.submit_for_publication(by=by, project=project, with_pdf=False)
    portal.approve(by=office, publication=release.publication)
    portal.publish(by=office, publication=release.publication)


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = np.random.default_rng(seed + 7)
    by = Actor.system("demo")
    office = _city_office()
    agency = Organization.objects.filter(kind=OrgKind.TESTING_LAB).order_by("id").first()
    districts = list(Area.objects.exclude(kind=Area.Kind.CITY).order_by("sort_order", "code", "name"))
    if not districts:
        return
    this_year = timezone.localdate().year
    per_project = 60 * max(1, scale)
    district_level = {a.pk: float(rng.normal(0, 0.35)) for a in districts}
    made = 0
    for year in range(this_year - DEMO_PROJECT_YEARS + 1, this_year + 1):
        trend = 0.12 * (year - this_year)  # satisfaction rises a little each year
        started = timezone.make_aware(dt.datetime(year, 9, 1))
        targets = [("industry", key, str(label), None) for key, label in SERVICE_INDUSTRIES]
        targets += [("district", "district", f"{a.name}政府服务", a) for a in districts]
        for kind, key, label, area in targets:
            level = (INDUSTRY_LEVEL[key] if kind == "industry" else district_level[area.pk]) + trend
            quotas = {"sex": {"M": per_project // 2, "F": per_project // 2},
                      "age": {c: per_project // 4 for c, _label in AGE_BANDS}}
            if kind == "district":
                quotas["district"] = {area.name: per_project}
            else:  # industry surveys sample the whole city, roughly evenly by district
                quotas["district"] = {a.name: max(1, per_project // len(districts)) for a in districts}
            project = services.create_project(
                by=by, title=f"{year}年{label}满意度测评", target_kind=kind, year=year,
                industry=key if kind == "industry" else "", area=area,
                starts_on=dt.date(year, 9, 1), ends_on=dt.date(year, 10, 31), is_demo=True,
                status=Project.Status.CLOSED if year < this_year else Project.Status.COLLECTING,
                quotas=quotas, fieldwork_agency=agency if kind == "district" else None)
            rows = _rows(rng, per_project, level, [area] if area else districts, key, started)
            services.record_batch(by=by, project=project, rows=rows)
            services.screen_project(by=by, project=project)
            pending = project.responses.filter(review=Response.Review.PENDING).order_by("id")
            for response in [r for r in pending if "speeder" in r.flags][:2]:
                services.review_response(by=by, response=response, decision=Response.Review.EXCLUDED,
                                         reason="演示：作答时间过短，复核录音确认未认真作答")
            published = year < this_year or kind == "district"
            services.estimate_project(by=by, project=project, n_boot=DEMO_BOOTSTRAP if published else 0)
            if published:
                _publish(project, office, by)
            made += 1
    stdout.write(f"满意度测评：{made} 个项目，每个 {per_project} 份模拟答卷（已筛查、加权、估计，"
                 f"往年与区政府项目经门户审批发布）")
