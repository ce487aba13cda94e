"""Demo data for governance: the annual 质量强市 work plan and everything around it.

Volumes follow the issue: ~150 tasks across the 64 member units (plus the district
governments), three quarters of progress, one supervision round, a catalogue of several
thousand service items, 1,000 liaison pairs with visit logs, one inspection campaign and
a computed annual assessment. Bulk inserts keep it fast; derived figures (assessment,
matching) go through the real services. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from qualitycity.complaints.services import workflow
from qualitycity.core.calendar import get_calendar
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.notifications import SmsGateway
from qualitycity.core.services import audit

from .models import (
    BusinessStartCase,
    Cadre,
    Campaign,
    CaseStep,
    Finding,
    IndicatorValue,
    Pairing,
    PlanItem,
    ProgressReport,
    RateSnapshot,
    Rating,
    Rectification,
    RegisterEntry,
    Scheme,
    ServiceItem,
    Target,
    Visit,
)
from .services import assessment, inspections, liaison, plans

TZ = ZoneInfo("Asia/Shanghai")
GOALS = [
    ("夯实质量基础设施", ["计量校准能力提升", "标准制修订", "检验检测公共服务平台建设", "认证认可示范"]),
    ("推动产业质量升级", ["制造业质量对标提升", "首台套产品质量攻关", "中小企业质量管理体系普及", "质量基础设施一站式服务"]),
    ("加强品牌建设", ["“武汉品牌”培育", "老字号保护与振兴", "地理标志产品保护", "质量标杆企业培育"]),
    ("守牢质量安全底线", ["重点产品质量安全监管", "食品安全抽检", "特种设备安全隐患排查", "工程质量专项治理"]),
    ("提升服务质量", ["公共服务质量监测", "旅游服务质量提升", "医疗服务质量改进", "交通出行服务提升"]),
    ("优化质量发展环境", ["质量强市考核督查", "质量激励政策落实", "质量人才培养", "质量文化宣传"]),
    ("提升政务服务质量", ["政务服务事项标准化", "“高效办成一件事”", "企业开办便利化", "12345热线诉求办理"]),
    ("优化营商环境", ["涉企收费清理", "包容审慎监管", "千名干部联系服务千家企业", "营商环境专项巡查"]),
]
INDICATORS = [("覆盖率", "%", 90), ("完成数量", "项", 20), ("合格率", "%", 95), ("培训人次", "人次", 500),
              ("办结率", "%", 95), ("新增数量", "家", 30)]
VISIT_FORMS = ["onsite", "onsite", "onsite", "meeting", "remote"]
VISIT_CONTENT = ["走访了解企业生产经营情况，宣传惠企政策", "座谈了解用工和融资需求", "了解质量管理体系建设进展",
                 "宣讲质量奖申报政策，了解企业标准化需求"]
ISSUES = ["用地手续办理慢，厂房扩建迟迟不能开工", "融资难，希望对接银行的科技贷产品", "用工招聘难，技术工人缺口较大",
          "检验检测费用高，希望了解公共服务平台的优惠政策", "参与行业标准制定需要指导"]
RESOLUTIONS = ["已协调自然资源部门加快办理，手续已完成", "已组织银企对接会，企业获得授信", "已对接人社部门专场招聘会",
               "已介绍公共检验检测服务平台并落实费用减免", "已安排标准化专家上门指导"]
COMPLAINTS = ["企业反映办理施工许可时窗口要求提供清单以外的材料，多次往返仍未办成",
              "企业反映园区物业以服务费名义收取不合理费用，且无收费依据",
              "企业反映招标文件设置本地业绩门槛，外地民营企业无法参与投标",
              "企业反映惠企补贴申报后半年未兑现，咨询无人答复"]
STEPS = ["设立登记", "公章刻制", "申领发票", "社保登记", "银行开户"]
SERVICE_VERBS = ["核准", "审批", "备案", "登记", "许可", "证明", "变更", "注销", "年检", "补办"]
SERVICE_OBJECTS = ["营业执照", "生产许可证", "计量器具", "特种设备", "施工许可", "排污许可", "卫生许可", "道路运输",
                   "食品经营", "医疗机构执业", "建设工程规划", "户籍", "社会保险", "公积金", "出版物经营", "旅行社"]


def _at(day: dt.date, rng) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=TZ)


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed * 1009 + 10)
    by = audit.Actor.system("demo")
    today = timezone.localdate()
    year = today.year
    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("id"))
    districts = list(Organization.objects.filter(kind=OrgKind.DISTRICT_GOVERNMENT).select_related("area").order_by("id"))
    if not departments:
        stdout.write("governance: no departments, skipped")
        return
    plan = _plan(rng, by, year, departments, districts, today)
    _supervision(rng, by, plan)
    _service_items(rng, by, departments, today, scale)
    _business_cases(rng, districts, today, scale)
    _liaison(rng, by, departments, year, today)
    _inspections(rng, by, departments, districts, today)
    _assessment(rng, by, plan, year)
    stdout.write(f"governance: {plan.items.filter(kind='task').count()} 项任务，{ProgressReport.objects.count()} 份进展报告，"
                 f"{ServiceItem.objects.count()} 个政务服务事项，{Pairing.objects.count()} 对联系结对")


def _plan(rng, by, year, departments, districts, today):
    plan = plans.create_plan(by=by, name=f"{year}年武汉市质量强市工作要点", year=year)
    units = departments + departments[: 150 - len(departments) - len(districts)] + districts
    leads = units[:150]
    rng.shuffle(leads)
    items, targets = [], []
    with transaction.atomic():
        n = 0
        per_goal = -(-len(leads) // len(GOALS))
        for g, (goal, themes) in enumerate(GOALS, start=1):
            goal_item = PlanItem.objects.create(plan=plan, kind="goal", code=f"{g}", title=goal,
                                                start_on=dt.date(year, 1, 1), deadline=dt.date(year, 12, 31))
            PlanItem.objects.create(plan=plan, parent=goal_item, kind="milestone", code=f"{g}.M", title=f"{goal}年中评估",
                                    deadline=dt.date(year, 6, 30), completed_on=dt.date(year, 6, 28))
            for t in range(1, per_goal + 1):
                if n >= len(leads):
                    break
                lead = leads[n]
                n += 1
                start = dt.date(year, rng.choice([1, 1, 2, 3, 4]), 1)
                deadline = dt.date(year, rng.choice([6, 9, 11, 12, 12, 12]), 28)
                item = PlanItem(plan=plan, parent=goal_item, kind="task", code=f"{g}.{t:02d}",
                                title=f"{rng.choice(themes)}（{lead.name.replace('武汉市', '')}）", lead_unit=lead,
                                start_on=start, deadline=deadline, weight=Decimal("1.000"),
                                district=lead.area if lead.kind == OrgKind.DISTRICT_GOVERNMENT else None)
                items.append(item)
        PlanItem.objects.bulk_create(items)
        for item in items:
            name, unit, value = rng.choice(INDICATORS)
            targets.append(Target(item=item, indicator=name, unit=unit, target_value=Decimal(value)))
        Target.objects.bulk_create(targets)
        through = PlanItem.co_units.through
        through.objects.bulk_create([through(planitem_id=i.pk, organization_id=rng.choice(departments).pk)
                                     for i in items if rng.random() < 0.5])
        _reports(rng, plan, items, {t.item_id: t for t in targets}, today)
        audit.record(by=by, action="governance.demo.plan", obj=plan, changes={"tasks": len(items)})
    return plan


def _reports(rng, plan, items, targets, today):
    periods = [p for p in plan.periods.order_by("quarter") if p.due_on < today][:3]
    reports, values, serial = [], [], {}
    for item in items:
        skill = rng.uniform(0.7, 1.15)
        for period in periods:
            if rng.random() < 0.08 and period.quarter == periods[-1].quarter:
                continue  # missing: the board turns red and the chase picks it up
            late = rng.random() < 0.12
            day = period.due_on + dt.timedelta(days=rng.randint(1, 9)) if late else \
                period.due_on - dt.timedelta(days=rng.randint(0, 8))
            pct = min(100, int(period.quarter * 25 * skill + rng.randint(-5, 5)))
            if item.deadline.month <= period.quarter * 3:
                pct = 100 if rng.random() < 0.85 else pct
            status = "accepted"
            if period.quarter == periods[-1].quarter and rng.random() < 0.3:
                status = "submitted"
            elif rng.random() < 0.05:
                status = "returned"
            key = day.strftime("%Y%m%d")
            serial[key] = serial.get(key, 0) + 1
            at = _at(day, rng)
            report = ProgressReport(
                number=f"JZ{key}{serial[key]:04d}", item=item, period=period, unit=item.lead_unit,
                narrative=f"{period}：{item.title}按计划推进，已完成阶段性工作{pct}%。", percent_complete=max(0, pct),
                status=status, submitted_at=at, late=late, district=item.district,
                review_comment="请补充佐证材料" if status == "returned" else "",
                reviewed_at=at + dt.timedelta(days=3) if status != "submitted" else None)
            reports.append(report)
            if status == "accepted" and pct >= 100 and item.completed_on is None:
                item.completed_on = min(day, item.deadline) if rng.random() < 0.9 else day
    ProgressReport.objects.bulk_create(reports)
    PlanItem.objects.bulk_update([i for i in items if i.completed_on], ["completed_on"])
    for r in reports:
        t = targets[r.item_id]
        values.append(IndicatorValue(report=r, target=t, value=(t.target_value * Decimal(r.percent_complete) / 100
                                                                * Decimal(str(round(rng.uniform(0.9, 1.1), 3))))))
    IndicatorValue.objects.bulk_create(values)
    for p in periods[:-1]:
        p.closed = True
        p.save(update_fields=["closed"])


def _supervision(rng, by, plan):
    third = plan.periods.filter(quarter=3).first()
    if third is None:
        return
    rnd = plans.start_round(by=by, plan=plan, quarter=3, name=f"{plan.year}年第三季度质量工作督查", sample_size=20,
                            seed=rng.randint(1, 10**6))
    texts = ["佐证材料不完整，部分指标数据无来源", "进度滞后于计划，未制定赶进度措施", "配合单位职责未落实",
             "台账不规范，季度报告与实际不符"]
    for item in list(rnd.sampled.order_by("code"))[:8]:
        rect = plans.record_finding(by=by, round=rnd, item=item, finding=rng.choice(texts))
        if rng.random() < 0.5:
            plans.close_rectification(by=by, rect=rect, note="已补充材料并完善台账")
    Rectification.objects.filter(round=rnd)


def _service_items(rng, by, departments, today, scale):
    rows, propensity = [], {d.pk: rng.uniform(0.3, 0.9) for d in departments}
    for i in range(3000 * scale):
        d = departments[i % len(departments)]
        p = propensity[d.pk]
        legal = rng.choice([5, 10, 15, 20, 30])
        rows.append(ServiceItem(
            department=d, code=f"SX{420100}{i:06d}", name=f"{rng.choice(SERVICE_OBJECTS)}{rng.choice(SERVICE_VERBS)}",
            immediate=rng.random() < p * 0.8, online=rng.random() < p * 0.75, one_visit=rng.random() < min(1, p * 1.25),
            legal_limit_days=legal, promised_limit_days=max(1, legal // rng.choice([2, 3, 4])),
            materials="申请表；营业执照复印件；法定代表人身份证明"))
    ServiceItem.objects.bulk_create(rows, batch_size=2000)
    from .services import service_items

    current = service_items.rates(ServiceItem.objects.all())
    snaps = []
    for months_ago in range(10, 0, -1):
        factor = 1 - 0.03 * months_ago  # the rates have risen steadily over the year
        index = today.year * 12 + today.month - 1 - months_ago
        day = dt.date(index // 12, index % 12 + 1, 1)
        snaps.append(RateSnapshot(taken_on=day, department=None, items=current["items"],
                                  **{k: Decimal(str(round(current[k] * factor, 2))) for k in ("immediate", "online",
                                                                                              "one_visit")}))
    # Each department's history too, for its trend chart: most departments improved, some slipped.
    dept_ids = ServiceItem.objects.order_by().values_list("department_id", flat=True).distinct()
    for dept_id in sorted(dept_ids):
        now = service_items.rates(ServiceItem.objects.filter(department_id=dept_id))
        slope = rng.uniform(-0.01, 0.05)
        for months_ago in range(10, 0, -2):
            index = today.year * 12 + today.month - 1 - months_ago
            factor = max(0.0, 1 - slope * months_ago + rng.uniform(-0.02, 0.02))
            snaps.append(RateSnapshot(
                taken_on=dt.date(index // 12, index % 12 + 1, 1), department_id=dept_id, items=now["items"],
                **{k: Decimal(str(round(min(100.0, now[k] * factor), 2))) for k in ("immediate", "online", "one_visit")}))
    RateSnapshot.objects.bulk_create(snaps)
    service_items.take_snapshot(by=by, on=today)


def _business_cases(rng, districts, today, scale):
    calendar = get_calendar()
    cases, steps = [], []
    for i in range(300 * scale):
        start = calendar.add_working_days(today - dt.timedelta(days=rng.randint(10, 300)), 0)
        case = BusinessStartCase(number=f"KB{year_of(today)}{i:05d}", enterprise_name=f"武汉{i:04d}商贸有限公司",
                                 area=rng.choice(districts).area, applied_on=start)
        cases.append(case)
        day = start
        for name in STEPS:
            finish = calendar.add_working_days(day, rng.choice([0, 0, 1, 1, 1, 2]))
            steps.append(CaseStep(case=case, name=name, started_on=day, finished_on=finish))
            day = finish
    BusinessStartCase.objects.bulk_create(cases)
    CaseStep.objects.bulk_create(steps)


def year_of(day):
    return day.year


def _liaison(rng, by, departments, year, today):
    from qualitycity.core.models import Area

    areas = list(Area.objects.exclude(kind=Area.Kind.CITY))
    sections = list("CCCCCEFGIM")
    cadres = [Cadre(name=f"干部{i:04d}", title=rng.choice(["处长", "副处长", "局长", "副局长"]),
                    department=departments[i % len(departments)], home_area=rng.choice(areas),
                    industry_section=rng.choice(sections)) for i in range(1000)]
    Cadre.objects.bulk_create(cadres)
    enterprises = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE).select_related("industry").order_by("id")[:1000])
    # A few pairs the office made by hand (key enterprises get a senior cadre); the matching does the rest.
    for n, enterprise in enumerate(enterprises[:20]):
        liaison.assign(by=by, cadre=cadres[n * 7], enterprise=enterprise, year=year)
    liaison.auto_match(by=by, year=year, enterprises=enterprises, capacity=1)
    pairings = list(Pairing.objects.filter(year=year).order_by("id"))
    visits, raised, ratings = [], [], []
    for p in pairings:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            day = today - dt.timedelta(days=rng.randint(1, 300))
            issues = 1 if rng.random() < 0.15 else 0
            visits.append(Visit(pairing=p, visited_on=day, form=rng.choice(VISIT_FORMS), issues_raised=issues,
                                content=rng.choice(VISIT_CONTENT),
                                follow_up="已转相关部门办理，两周后回访" if issues else rng.choice(["", "", "持续跟踪政策落实"])))
            if issues:
                raised.append((p, day))
        if rng.random() < 0.7:
            ratings.append(Rating(pairing=p, year=year, score=rng.choice([3, 4, 4, 5, 5, 5])))
    Visit.objects.bulk_create(visits)
    Rating.objects.bulk_create(ratings)
    # The history's texts to the enterprises (受理, 办结) were sent long ago: none leaves now.
    with override_settings(SMS_GATEWAY=f"{__name__}.PastSms"):
        _tickets(rng, by, departments, sorted(raised, key=lambda r: (r[1], r[0].pk)))


class PastSms(SmsGateway):
    """The SMS gateway while the demo replays past tickets: sends nothing."""

    def send(self, phone: str, text: str) -> None:
        return None


def _tickets(rng, by, departments, raised):
    """Each issue raised becomes a complaints work order through the liaison services, at the
    time it happened: accepted within the 3-working-day limit, answered days later, then
    confirmed by the enterprise (now and then only after a 不满意 and a second answer).
    Recent ones are still with the department or await the enterprise's confirmation."""
    now = timezone.now()

    def before_now(at):
        return at if at < now else None

    for pairing, day in raised:
        opened = _at(day, rng)
        ticket = liaison.open_ticket(by=by, pairing=pairing, issue=rng.choice(ISSUES),
                                     department=rng.choice(departments), at=opened)
        accepted = before_now(opened + dt.timedelta(hours=rng.randint(2, 60)))
        if accepted is None:
            continue
        workflow.accept(by=by, demand=ticket.demand, at=accepted)
        resolved = before_now(accepted + dt.timedelta(days=rng.randint(2, 26), hours=rng.randint(0, 8)))  # a few late
        if resolved is None:
            continue
        liaison.resolve_ticket(by=by, ticket=ticket, resolution=rng.choice(RESOLUTIONS), at=resolved)
        confirmed = before_now(resolved + dt.timedelta(days=rng.randint(1, 4)))
        if confirmed is None or rng.random() < 0.1:
            continue  # awaiting the enterprise's confirmation
        if rng.random() < 0.08:
            liaison.confirm_ticket(by=by, ticket=ticket, satisfied=False, at=confirmed)
            again = before_now(confirmed + dt.timedelta(days=rng.randint(3, 10)))
            if again is None:
                continue
            liaison.resolve_ticket(by=by, ticket=ticket, resolution="复查后再次协调，问题已解决", at=again)
            confirmed = before_now(again + dt.timedelta(days=2))
            if confirmed is None:
                continue
        liaison.confirm_ticket(by=by, ticket=ticket, satisfied=True, at=confirmed)


def _inspections(rng, by, departments, districts, today):
    campaign = Campaign.objects.create(name=f"{today.year}年营商环境专项巡查", year=today.year)
    enterprises = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE).order_by("id")[:200])
    for t in range(3):
        mine = districts[t::3]
        team = inspections.create_team(by=by, campaign=campaign, name=f"第{'一二三'[t]}巡查组", leader=f"组长{t + 1}",
                                       members="、".join(f"组员{t + 1}{k}" for k in "甲乙丙丁"),
                                       districts=[d.area for d in mine], departments=departments[t::3][:6])
        for d in mine[:4]:
            for register in RegisterEntry.Register.values:
                ent = rng.choice(enterprises)
                # a complaint received goes on to the complaints module (channel "inspection")
                complaint = register == RegisterEntry.Register.COMPLAINT
                inspections.add_entry(by=by, team=team, register=register, title=f"{ent.name}{'项目' if register == 'project' else '情况'}",
                                      area=d.area, enterprise=ent, detail=rng.choice(COMPLAINTS) if complaint else "巡查登记",
                                      recorded_on=today - dt.timedelta(days=rng.randint(5, 60)),
                                      contact_name=ent.contact_name or "企业联系人",
                                      contact_phone=f"139{rng.randrange(10**8):08d}" if complaint else "")
            for _ in range(2):
                finding = inspections.record_finding(
                    by=by, team=team, category=rng.choice(Finding.Category.values),
                    description=rng.choice(["审批超时未说明理由", "收取不合理服务费", "对民营企业设置隐性门槛",
                                            "窗口人员服务态度差"]),
                    area=d.area, department=rng.choice(departments), disposal=rng.choice(Finding.Disposal.values),
                    found_on=today - dt.timedelta(days=rng.randint(5, 40)))
                if rng.random() < 0.5:
                    inspections.close_finding(by=by, finding=finding, outcome="已整改到位并举一反三")


def _assessment(rng, by, plan, year):
    for subjects, name in ((Scheme.Subjects.DISTRICTS, "区"), (Scheme.Subjects.DEPARTMENTS, "成员单位")):
        scheme = assessment.create_scheme(by=by, name=f"{year}年度{name}质量工作考核", year=year, subjects=subjects,
                                          plan=plan)
        criteria = {c.key: c for c in scheme.criteria.all()}
        subjects_qs = list(assessment.subjects_of(scheme))
        for subject in subjects_qs:
            for key, low, high in (("satisfaction", 72, 92), ("complaints", 85, 100), ("quality_index", 60, 90)):
                assessment.set_manual_value(by=by, criterion=criteria[key], subject=subject,
                                            value=round(rng.uniform(low, high), 1), note="演示：相关模块没有数据时采用的手工录入值")
            if rng.random() < 0.15:
                assessment.set_manual_value(by=by, criterion=criteria["bonus"], subject=subject,
                                            value=rng.choice([-2, 1, 2, 3]), note="获省级质量奖加分 / 通报批评扣分")
        if subjects == Scheme.Subjects.DISTRICTS and subjects_qs:
            assessment.set_manual_value(by=by, criterion=criteria["major_incident"], subject=subjects_qs[-1], value=1,
                                        note="演示：发生较大质量安全事故")
        assessment.compute(by=by, scheme=scheme)
