"""Deterministic demo data: the catalogue, orders in every state, a few signed reports,
and the metrology register. A handful of orders walk through the real services (so the
timeline, audit trail and signed PDFs are genuine); the bulk is inserted directly so that
``qcity demo`` stays fast. ``bulk_orders`` is shared with ``bench/inspection.py``."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from qualitycity.core.calendar import get_calendar, local_date
from qualitycity.core.models import Membership, NumberSequence, Organization, OrgKind, Role, User
from qualitycity.core.services.audit import Actor

from .models import Category, Instrument, Order, OrderEvent, OrderItem, OrderState, ScopeEntry
from .services import catalogue, metrology, orders, reports
from .services.common import normalize_method

PRODUCTS = {
    "人造板": [("甲醛释放量", "GB/T 17657-2022", "mg/m³", "≤0.124", "甲醛"), ("含水率", "GB/T 17657-2022", "%", "3.0~13.0", "")],
    "儿童服装": [("甲醛含量", "GB/T 2912.1-2009", "mg/kg", "≤20", "甲醛"), ("pH值", "GB/T 7573-2009", "", "4.0~7.5", ""),
             ("绳带要求", "GB/T 31701-2015", "项", "0", "机械伤害")],
    "食品接触塑料": [("总迁移量", "GB 31604.8-2021", "mg/dm²", "≤10", "化学迁移"),
               ("高锰酸钾消耗量", "GB 31604.2-2016", "mg/kg", "≤10", "")],
    "电线电缆": [("导体电阻", "GB/T 3048.4-2007", "Ω/km", "≤4.61", "火灾"), ("绝缘厚度", "GB/T 2951.11-2008", "mm", "≥0.7", "触电")],
    "汽车零部件": [("盐雾试验", "GB/T 10125-2021", "h", "≥96", ""), ("硬度", "GB/T 230.1-2018", "HRC", "28~35", "")],
    "小家电": [("泄漏电流", "GB 4706.1-2005", "mA", "≤0.75", "触电"), ("接地电阻", "GB 4706.1-2005", "Ω", "≤0.1", "触电")],
}
INSTRUMENTS = [("电子秤", "JJG 1036-2022"), ("加油机", "JJG 443-2023"), ("压力表", "JJG 52-2013"),
               ("出租车计价器", "JJG 517-2016"), ("血压计", "JJG 270-2008")]
UNIT = {item: unit for items in PRODUCTS.values() for item, _m, unit, _l, _h in items}
SPEC = {item: (method, unit, limit, hazard) for items in PRODUCTS.values() for item, method, unit, limit, hazard in items}
BULK_STATES = [OrderState.REQUESTED, OrderState.NEEDS_INFO, OrderState.ACCEPTED, OrderState.DECLINED,
               OrderState.SAMPLING, OrderState.RECEIVED, OrderState.TESTING, OrderState.RESULTS_ENTERED,
               OrderState.REVIEWED, OrderState.ISSUED, OrderState.RATED]
BULK_WEIGHTS = [3, 1, 2, 1, 2, 2, 3, 1, 1, 20, 30]


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed)
    system = Actor.system("demo")
    labs = _catalogue(rng, system)
    reviewer = _reviewer()
    walked = _walk_orders(rng, labs, reviewer)
    n = bulk_orders(rng, 400 * scale)
    instruments = _instruments(rng, system)
    own = catalogue.Service.objects.filter(provider__memberships__user__username="lab")
    stdout.write(f"质量服务：服务 {catalogue.Service.objects.count()} 项（实验室账号 lab 自管：已发布 "
                 f"{own.filter(status='published').count()}、草稿 {own.filter(status='draft').count()}、"
                 f"已撤回 {own.filter(status='withdrawn').count()}），订单 {n + walked} 个"
                 f"（其中 {walked} 个走完整流程，含已签名报告），计量器具 {instruments} 台；"
                 f"第二位实验室人员（四眼审核）：{reviewer.username}")


def _catalogue(rng: random.Random, system) -> list[Organization]:
    today = catalogue.today()
    demo_lab = Membership.objects.filter(user__username="lab").values_list("organization_id", flat=True).first()
    labs = list(Organization.objects.filter(kind=OrgKind.TESTING_LAB).order_by("id"))
    scope_rows = []
    plans = {}
    for lab in labs:
        if lab.pk == demo_lab and (not lab.cma_valid_until or lab.cma_valid_until < today + dt.timedelta(days=60)):
            # The demo lab must be able to take orders whatever date the demo is loaded on.
            Organization.objects.filter(pk=lab.pk).update(cma_valid_until=today + dt.timedelta(days=720))
            lab.cma_valid_until = today + dt.timedelta(days=720)
        products = ["人造板"] if lab.pk == demo_lab else []
        products += rng.sample(sorted(PRODUCTS), 2)
        plans[lab.pk] = sorted(set(products))
        for product in plans[lab.pk]:
            for item, method, *_ in PRODUCTS[product]:
                scope_rows.append(ScopeEntry(lab=lab, product=product, item=item, method_no=normalize_method(method)))
    institutes = list(Organization.objects.filter(kind=OrgKind.METROLOGY_INSTITUTE).order_by("id"))
    for inst in institutes:
        if not inst.cma_valid_until or inst.cma_valid_until < today:
            Organization.objects.filter(pk=inst.pk).update(cma_valid_until=today + dt.timedelta(days=720))
            inst.cma_valid_until = today + dt.timedelta(days=720)
        for kind, method in INSTRUMENTS:
            scope_rows.append(ScopeEntry(lab=inst, product=kind, item=f"{kind}检定", method_no=method))
    ScopeEntry.objects.bulk_create(scope_rows)
    lab_user = User.objects.filter(username="lab").first()
    for lab in labs:
        # the demo lab's entries are made by its own staff account, as a provider would
        by = Actor(user=lab_user) if lab.pk == demo_lab and lab_user else system
        for product in plans[lab.pk]:
            items = [{"product": product, "item": i, "method_no": m} for i, m, *_ in PRODUCTS[product]]
            service = catalogue.create_service(
                by=by, provider=lab, category=Category.TESTING, title=f"{product}质量检测",
                turnaround_days=rng.choice([3, 5, 5, 7, 10]), items=items, price=rng.choice([600, 800, 1200, 1500]),
                service_standard="RB/T 214-2017 检验检测机构资质认定能力评价", materials="样品及产品标准、委托单",
                publish=False)
            try:
                catalogue.publish_service(by=by, service=service)
            except catalogue.DomainError:
                pass  # lab's CMA has lapsed in the generated city: the service stays a draft
        if lab.pk == demo_lab:
            _provider_managed(lab, Actor(user=lab_user) if lab_user else system)
    for inst in institutes:
        catalogue.create_service(
            by=system, provider=inst, category=Category.METROLOGY, title="强制检定计量器具检定",
            turnaround_days=rng.choice([3, 5]), items=[{"item": f"{k}检定", "method_no": m} for k, m in INSTRUMENTS],
            price_rule="按《湖北省计量检定收费标准》逐台计价", materials="器具及上次检定证书")
    for n, org in enumerate(Organization.objects.filter(kind=OrgKind.CERTIFICATION_BODY).order_by("id")[:6], start=1):
        catalogue.create_service(by=system, provider=org, category=Category.CERTIFICATION, title="质量管理体系认证（GB/T 19001）",
                                 turnaround_days=20, items=[], price_rule="按人日计价", materials="体系文件、营业执照",
                                 accreditation_ref=f"CNCA-R-2003-{100 + n:03d}")
    for org in Organization.objects.filter(kind=OrgKind.STANDARDS_INSTITUTE).order_by("id")[:6]:
        catalogue.create_service(by=system, provider=org, category=Category.STANDARDS, title="企业标准起草与自我声明公开咨询",
                                 turnaround_days=15, items=[], price=5000, materials="产品说明、现行标准清单")
    catalogue.suspend_lapsed(by=system)
    return labs


def _provider_managed(lab: Organization, by) -> None:
    """What the demo lab's own staff see under "我的服务" besides their published entries:
    a draft still missing its price, and a service they withdrew."""
    formaldehyde = [{"product": "人造板", "item": "甲醛释放量", "method_no": "GB/T 17657-2022"}]
    catalogue.create_service(
        by=by, provider=lab, category=Category.TESTING, title="人造板甲醛释放量加急检测（草稿）", turnaround_days=2,
        items=formaldehyde, price_rule="", service_standard="RB/T 214-2017", materials="样品 2 块，标明批号",
        publish=False)
    withdrawn = catalogue.create_service(
        by=by, provider=lab, category=Category.TESTING, title="人造板含水率上门抽检", turnaround_days=3,
        items=[{"product": "人造板", "item": "含水率", "method_no": "GB/T 17657-2022"}], price=450,
        materials="抽样现场配合人员", publish=True)
    catalogue.withdraw_service(by=by, service=withdrawn, reason="抽样车辆年检，暂停上门抽检服务")


def _reviewer() -> User:
    lab_id = Membership.objects.filter(user__username="lab").values_list("organization_id", flat=True).first()
    user, created = User.objects.get_or_create(username="lab2", defaults={"display_name": "王工（报告审核人）"})
    if created:
        user.set_password("demo-2026")
        user.save()
    if lab_id:
        Membership.objects.get_or_create(user=user, organization_id=lab_id, role=Role.PROVIDER_STAFF)
    return user


def _walk_orders(rng, labs, reviewer) -> int:
    """A few orders through the real services: every state, three signed reports (one
    amended, one revoked). Signing is slow, so only these few are signed."""
    ent_user = User.objects.filter(username="enterprise").first()
    lab_user = User.objects.filter(username="lab").first()
    if not (ent_user and lab_user):
        return 0
    enterprise = Organization.objects.get(pk=Membership.objects.filter(user=ent_user).values("organization_id")[:1])
    ent, lab, rev = Actor(user=ent_user), Actor(user=lab_user), Actor(user=reviewer)
    items = [{"item": i, "method_no": m} for i, m, *_ in PRODUCTS["人造板"]]
    targets = ["requested", "needs_info", "accepted", "sampling", "received", "testing", "results_entered", "reviewed",
               "issued", "rated", "issued", "declined"]
    demo_lab = Organization.objects.get(pk=Membership.objects.filter(user=lab_user).values("organization_id")[:1])
    made = 0
    for n, target in enumerate(targets):
        # The enterprise picks the demo lab (it is always among the matches for 人造板).
        o = orders.create_order(by=ent, enterprise=enterprise, product_name=f"E1级刨花板 批次{n + 1:02d}",
                                product_category="人造板", items=items, lab=demo_lab)
        made += 1
        if target == "needs_info":
            orders.transition(by=lab, order=o, action="ask_info", note="请补充产品执行标准和批号")
            continue
        if target == "declined":
            orders.transition(by=lab, order=o, action="decline", note="样品量不足以完成全部项目")
            continue
        _advance(o, target, ent=ent, lab=lab, rev=rev, fail=n == 10)
        if n == 10:  # an amended report, then a revoked one: verification shows both states
            report = o.reports.get()
            new = reports.amend_report(by=lab, report=report, reason="样品名称更正为“E1级刨花板”")
            reports.revoke_report(by=lab, report=new, reason="客户提供的样品信息不实")
    return made


def _advance(o, target: str, *, ent, lab, rev, fail: bool) -> None:
    """Walk one order forward through the services until it reaches ``target``."""
    results = [{"item": "甲醛释放量", "value": "0.210" if fail else "0.050", "unit": "mg/m³", "limit": "≤0.124",
                "hazard": "甲醛"}, {"item": "含水率", "value": "8.4", "unit": "%", "limit": "3.0~13.0"}]
    steps = [
        ("accepted", lab, "accept", {"quote": "800"}),
        ("sampling", ent, "send_sample", {"sampling_plan": "客户送样 2 块 500×500 mm"}),
        ("received", lab, "receive", {"sample_condition": "完好，密封包装"}),
        ("testing", lab, "start_testing", {}),
        ("results_entered", lab, "submit_results", {}),
        ("reviewed", rev, "approve", {}),
        ("issued", lab, "issue", {}),
        ("rated", ent, "rate", {"rating": 5, "note": "出报告快"}),
    ]
    for reached, by, action, data in steps:
        if action == "submit_results":
            orders.enter_results(by=lab, order=o, results=results)
        orders.transition(by=by, order=o, action=action, **data)
        if reached == target:
            return


def bulk_orders(rng: random.Random, n: int, *, events: bool = True, batch: int = 5000) -> int:
    """``n`` historical orders inserted directly (no services): spread over the past year,
    in every state, with items, results and timeline entries. For volume, not for flows."""
    labs = list(Organization.objects.filter(kind=OrgKind.TESTING_LAB, scope_entries__isnull=False).distinct()
                .values_list("id", flat=True))
    enterprises = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE).values_list("id", flat=True))
    if not labs or not enterprises:
        return 0
    products_of = defaultdict(set)
    for lab_id, product in ScopeEntry.objects.filter(lab_id__in=labs).values_list("lab_id", "product"):
        if product in PRODUCTS:
            products_of[lab_id].add(product)
    calendar = get_calendar()
    today = local_date(timezone.now())
    counters: dict[str, int] = defaultdict(int)
    for key, last in NumberSequence.objects.filter(key__startswith="JY").values_list("key", "last"):
        counters[key] = last
    created = 0
    while created < n:
        size = min(batch, n - created)
        rows, plans = [], []
        for _ in range(size):
            lab = rng.choice(labs)
            product = rng.choice(sorted(products_of[lab]) or ["人造板"])
            day = today - dt.timedelta(days=rng.randint(1, 365))
            state = rng.choices(BULK_STATES, BULK_WEIGHTS)[0]
            turnaround = rng.choice([3, 5, 7])
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))
            key = f"JY{day:%Y%m%d}"
            counters[key] += 1
            order = Order(number=f"{key}{counters[key]:04d}", enterprise_id=rng.choice(enterprises), lab_id=lab,
                          product_name=f"{product}样品", product_category=product, state=state,
                          turnaround_days=turnaround, created_at=moment, match_explanation=["历史数据导入"])
            if BULK_STATES.index(state) >= BULK_STATES.index(OrderState.RECEIVED) and state != OrderState.DECLINED:
                order.received_at = moment + dt.timedelta(days=2)
                order.sample_condition = "完好"
                order.due_on = calendar.add_working_days(local_date(order.received_at), turnaround)
            if state in (OrderState.ISSUED, OrderState.RATED) and order.received_at:
                used = max(1, int(rng.gauss(turnaround, 1.5)))
                order.working_days_used = used
                issued_day = calendar.add_working_days(local_date(order.received_at), used)
                order.issued_at = timezone.make_aware(dt.datetime.combine(issued_day, dt.time(16)))
                order.tested_on = issued_day
            if state == OrderState.RATED:
                order.rating = rng.choices([5, 4, 3, 2], [6, 3, 1, 0.3])[0]
            rows.append(order)
            plans.append((product, state))
        with transaction.atomic():
            Order.objects.bulk_create(rows, batch_size=1000)
            items, timeline = [], []
            for order, (product, state) in zip(rows, plans, strict=True):
                tested = state in (OrderState.RESULTS_ENTERED, OrderState.REVIEWED, OrderState.ISSUED, OrderState.RATED)
                for item, method, unit, limit, hazard in PRODUCTS[product]:
                    passed = rng.random() > 0.06 if tested else None
                    items.append(OrderItem(order=order, item=item, method_no=method,
                                           unit=unit if tested else "", limit=limit if tested else "",
                                           value=("合格" if passed else "不合格") if tested else "", passed=passed,
                                           hazard=hazard if passed is False else ""))
                if events:
                    timeline.append(OrderEvent(order=order, at=order.created_at, actor_label="历史数据",
                                               action="create", to_state=state, note="历史数据导入"))
            OrderItem.objects.bulk_create(items, batch_size=2000)
            OrderEvent.objects.bulk_create(timeline, batch_size=2000)
            for key, last in counters.items():
                NumberSequence.objects.update_or_create(key=key, defaults={"last": last})
        created += size
    return created


def _instruments(rng, system) -> int:
    today = catalogue.today()
    enterprises = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE).order_by("id")[:150])
    demo_ent = Membership.objects.filter(user__username="enterprise").values_list("organization_id", flat=True).first()
    rows = []
    for idx, ent in enumerate(enterprises):
        for k in range(rng.randint(1, 3)):
            kind, _method = rng.choice(INSTRUMENTS)
            cycle = 12
            last = today - dt.timedelta(days=rng.randint(30, 420))
            rows.append(Instrument(enterprise=ent, kind=kind, model=f"型号-{rng.randint(100, 999)}",
                                   serial_no=f"SN{idx:04d}{k}", location="生产车间", use="贸易结算",
                                   last_verified_on=last, cycle_months=cycle,
                                   certificate_no=f"JD{last:%Y}{rng.randint(10000, 99999)}",
                                   next_due_on=metrology.add_months(last, cycle)))
    Instrument.objects.bulk_create(rows)
    if demo_ent:
        metrology.register_instrument(by=system, enterprise=Organization.objects.get(pk=demo_ent), kind="电子秤",
                                      model="ACS-30", serial_no="DEMO-0001", location="成品仓库", use="出厂计量",
                                      last_verified_on=today - dt.timedelta(days=345), cycle_months=12,
                                      certificate_no="JD2025-0001")
    metrology.send_due_alerts(by=system)
    return len(rows) + (1 if demo_ent else 0)
