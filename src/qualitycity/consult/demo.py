"""Demo consultations: expert profiles and logins, realistic cases in every state, and a
knowledge base of anonymized solved cases. Bulk inserts keep it to about a second."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from qualitycity.core.calendar import deadline_for
from qualitycity.core.models import Expert, Industry, Membership, Organization, OrgKind, Role, User
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.methods import textsearch
from qualitycity.methods.anonymize import anonymize

from .models import Article, Assignment, Case, ExpertProfile, Field, Message

TZ = ZoneInfo("Asia/Shanghai")
# specialty -> (fields, industry divisions, standards the expert knows)
SPECIALTY = {
    "质量管理体系": (["quality", "certification"], [], "GB/T 19001-2016\nGB/T 19004-2020"),
    "卓越绩效模式": (["quality"], [], "GB/T 19580-2012"),
    "六西格玛": (["quality"], ["36", "39"], "GB/T 36077-2018"),
    "可靠性工程": (["quality", "testing"], ["39", "40"], "GB/T 2423.1-2008"),
    "计量校准": (["metrology"], ["40"], "JJF 1059.1-2012\nJJF 1139-2005"),
    "电线电缆检测": (["testing", "product"], ["38"], "GB/T 5023.3-2008\nGB/T 3956-2008\nGB/T 12706.1-2020"),
    "食品安全": (["product", "testing"], ["13", "14", "15"], "GB 2760-2014\nGB 14881-2013\nGB 2717-2018"),
    "特种设备安全": (["product"], ["34"], "TSG 21-2016\nGB/T 13927-2022"),
    "标准化": (["standards"], [], "GB/T 1.1-2020\nGB/T 35778-2017"),
    "认证认可": (["certification"], [], "GB/T 27065-2015\nGB/T 19001-2016"),
    "汽车零部件质量": (["product", "quality"], ["36"], "GB 5763-2018\nGB/T 16949-2016"),
    "光电子器件": (["product", "testing"], ["39"], "GB/T 24824-2009\nGB/T 2423.1-2008"),
    "医疗器械": (["product", "certification"], ["35"], "YY 0469-2011\nGB 9706.1-2020"),
    "建筑工程质量": (["product"], ["47", "48", "30"], "GB 50300-2013\nGB 175-2023"),
    "环境监测": (["testing"], ["26"], "GB 8978-1996"),
    "品牌建设": (["quality"], [], "GB/T 39654-2020"),
    "服务质量评价": (["quality"], ["61", "62", "72"], "GB/T 36733-2018"),
    "统计过程控制": (["quality"], ["33", "34", "36"], "GB/T 17989.2-2020"),
    "检验检测管理": (["testing"], ["74"], "GB/T 27025-2019"),
    "知识产权": (["standards"], [], "GB/T 29490-2023"),
}
# industry -> realistic problems: (title, product, process, symptom, standards, field, expert answer)
PROBLEMS = {
    "38": [("BV 电线绝缘电阻抽检不合格", "BV 2.5mm² 聚氯乙烯绝缘电线", "挤塑", "客户抽检 70℃ 绝缘电阻低于标准值，同批次导体电阻合格。",
            "GB/T 5023.3-2008", "testing", "先查绝缘料批次的体积电阻率，再看挤出温度是否偏高导致塑化分解；建议按 GB/T 5023.2 复测并留样。"),
           ("电缆导体电阻超标", "YJV 电力电缆", "拉丝绞线", "第三方检测导体直流电阻超出 GB/T 3956 规定约 3%。",
            "GB/T 3956-2008", "testing", "核对铜杆纯度和绞合节距，截面偏小常见于拉丝模磨损；建议每班首检导体电阻。")],
    "14": [("酱油氨基酸态氮偏低", "酿造酱油", "发酵", "监督抽检氨基酸态氮 0.62g/100mL，标签标注特级。",
            "GB 2717-2018", "product", "检查原料蛋白含量与发酵周期，特级需≥0.8；短期内应按实测等级修改标签。"),
           ("食品添加剂使用超范围", "糕点", "配料", "抽检检出脱氢乙酸钠，产品类别不允许使用。",
            "GB 2760-2014", "product", "按 GB 2760 附录 A 核对食品分类号，更换防腐方案并对供应商复合配料做验证。")],
    "36": [("制动片摩擦系数波动大", "盘式制动片", "热压成型", "台架试验摩擦系数在 0.32–0.45 间波动，客户拒收。",
            "GB 5763-2018", "quality", "热压温度和保压时间的波动最常见，建议做 SPC 控制图并复核树脂批次。")],
    "39": [("LED 灯珠光衰过快", "LED 灯珠", "封装", "1000 小时光通维持率低于 90%，客户投诉。",
            "GB/T 24824-2009", "testing", "检查固晶胶导热和荧光粉沉降，建议做高温老化加速试验对比。")],
    "35": [("医用口罩细菌过滤效率不达标", "一次性使用医用口罩", "熔喷布复合", "送检 BFE 为 93%，标准要求≥95%。",
            "YY 0469-2011", "product", "熔喷布驻极工艺与储存湿度影响大；建议进料逐批检测过滤效率并控制仓储湿度。")],
    "34": [("阀门壳体试验渗漏", "闸阀", "铸造", "壳体水压试验出现渗漏，疑似铸造气孔。",
            "GB/T 13927-2022", "product", "建议对铸件做射线检测，调整浇注温度，并按 GB/T 13927 复验。")],
    "33": [("镀锌层厚度不足", "热镀锌钢格栅", "热镀锌", "客户测量锌层平均厚度 62μm，合同要求 85μm。",
            "GB/T 13912-2020", "quality", "浸锌时间和钢材硅含量决定锌层厚度；建议按钢材成分分组调整工艺。")],
    "30": [("水泥强度波动", "P.O 42.5 水泥", "粉磨", "28 天抗压强度在 41–47MPa 间波动。",
            "GB 175-2023", "product", "控制熟料质量与细度，建议增加比表面积检测频次。")],
}
GENERIC = [
    ("计量器具校准周期如何确定", "生产用计量器具", "计量管理", "车间卡尺和压力表数量多，不清楚校准周期怎么定才合规。",
     "JJF 1139-2005", "metrology", "按 JJF 1139 依据使用频次和稳定性确定周期，关键器具先定 12 个月再按历史数据调整。"),
    ("质量管理体系内审不符合项整改", "", "体系管理", "认证审核开出 3 个一般不符合项，不知道如何写纠正措施。",
     "GB/T 19001-2016", "certification", "按原因分析—纠正—纠正措施—有效性验证四步写，原因分析用 5Why。"),
    ("企业标准如何自我声明公开", "", "标准化", "想制定严于国标的企业标准并参加领跑者评估。",
     "GB/T 1.1-2020", "standards", "按 GB/T 1.1 编写，在企业标准信息公共服务平台自我声明公开，指标应有检测依据。"),
]
STATUS_MIX = [Case.Status.RATED] * 6 + [Case.Status.ANSWERED] * 2 + [Case.Status.ASSIGNED, Case.Status.CLOSED]


def _profiles(rng, experts) -> None:
    industries = {i.code: i for i in Industry.objects.filter(level=Industry.Level.DIVISION)}
    rows, links = [], []
    through = Expert.industries.through
    for expert in experts:
        fields, codes, standards = set(), set(), []
        for spec in expert.specialties.split("、"):
            f, c, s = SPECIALTY.get(spec, (["quality"], [], ""))
            fields.update(f)
            codes.update(c)
            standards.append(s)
        if not codes:
            codes = set(rng.sample(["33", "34", "36", "38", "39", "14"], 2))
        rows.append(ExpertProfile(expert=expert, fields=sorted(fields), standards="\n".join(filter(None, standards)),
                                  product_areas=expert.specialties, available=rng.random() > 0.08,
                                  open_case_limit=rng.choice([3, 5, 5, 8])))
        links += [through(expert_id=expert.pk, industry_id=industries[c].pk) for c in sorted(codes) if c in industries]
    ExpertProfile.objects.bulk_create(rows)
    through.objects.bulk_create(links, ignore_conflicts=True)


def _expert_logins(experts, count: int) -> None:
    """Experts need a login to be assigned; the first ``count`` get one (no usable password)."""
    missing = [e for e in experts[:count] if e.user_id is None]
    users = User.objects.bulk_create([User(username=f"expert-demo-{e.pk}", display_name=e.name, password="!")
                                      for e in missing])
    for expert, user in zip(missing, users, strict=True):
        expert.user = user
    Expert.objects.bulk_update(missing, ["user"])
    Membership.objects.bulk_create([Membership(user=u, organization_id=e.affiliation_id, role=Role.EXPERT)
                                    for e, u in zip(missing, users, strict=True) if e.affiliation_id],
                                   ignore_conflicts=True)


def enterprise_users(orgs) -> dict[int, User]:
    """One staff login per active demo enterprise (shared with the training demo)."""
    have = {m.organization_id: m.user for m in Membership.objects.filter(
        organization__in=orgs, role=Role.ENTERPRISE_MEMBER).select_related("user").order_by("id")}
    missing = [o for o in orgs if o.pk not in have]
    users = User.objects.bulk_create([User(username=f"staff-{o.pk}", display_name=o.contact_name or "质量负责人",
                                           password="!") for o in missing])
    Membership.objects.bulk_create([Membership(user=u, organization=o, role=Role.ENTERPRISE_MEMBER, title="质量负责人")
                                    for o, u in zip(missing, users, strict=True)])
    have.update({o.pk: u for o, u in zip(missing, users, strict=True)})
    return have


def active_enterprises(seed: int, scale: int) -> list[Organization]:
    """The demo enterprises that use the platform, the same set for every module's demo."""
    rng = random.Random(seed + 9)
    ids = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry__isnull=False).order_by("id")
               .values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, min(len(ids), 300 * scale)))
    demo_org = Membership.objects.filter(user__username="enterprise").values_list("organization_id", flat=True).first()
    if demo_org and demo_org not in chosen:
        chosen.insert(0, demo_org)
    return list(Organization.objects.filter(pk__in=chosen).select_related("industry", "area").order_by("id"))


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed + 1)
    with transaction.atomic():
        experts = list(Expert.objects.order_by("id"))
        _profiles(rng, experts)
        _expert_logins(experts, 40)
        by_industry: dict[str, list[Expert]] = {}
        for expert in Expert.objects.filter(user__isnull=False).prefetch_related("industries"):
            for ind in expert.industries.all():
                by_industry.setdefault(ind.code, []).append(expert)
        with_login = list(Expert.objects.filter(user__isnull=False).order_by("id"))
        orgs = active_enterprises(seed, scale)
        users = enterprise_users(orgs)
        demo_org = Membership.objects.filter(user__username="enterprise").values_list("organization_id", flat=True).first()
        demo_expert = Expert.objects.filter(user__username="expert").first()
        cases, plans = [], []
        start = dt.datetime(2026, 1, 5, 9, tzinfo=TZ)
        for org in orgs:
            pool = PROBLEMS.get(org.industry.code, []) + GENERIC
            for _ in range(rng.choice([0, 1, 1, 2]) if org.pk != demo_org else 2):
                problem = rng.choice(PROBLEMS.get(org.industry.code) or GENERIC) if rng.random() < 0.7 else rng.choice(pool)
                title, product, process, symptom, standards, field, answer = problem
                created = start + dt.timedelta(days=rng.randrange(0, 320), hours=rng.randrange(0, 8))
                status = rng.choice(STATUS_MIX)
                if org.pk == demo_org:
                    status = Case.Status.ANSWERED if not any(c.enterprise_id == org.pk for c in cases) else Case.Status.RATED
                expert = rng.choice(by_industry.get(org.industry.code) or with_login)
                if org.pk == demo_org and demo_expert is not None:
                    expert = demo_expert  # so the demo logins of both sides see the same cases
                due = deadline_for(created, 1).due_on
                responded = created + dt.timedelta(hours=rng.choice([1, 2, 3, 5, 8, 20]))
                closed = responded + dt.timedelta(days=rng.randrange(1, 10)) if status in (Case.Status.RATED, Case.Status.CLOSED) else None
                case = Case(
                    number=next_number("WZ", day=created.astimezone(TZ).date()), enterprise=org, area_id=org.area_id,
                    industry_id=org.industry_id, asked_by=users[org.pk], title=title, product=product, process=process,
                    symptom=f"{symptom}我司{org.name}联系人{org.contact_name}，电话{org.contact_phone}。",
                    standards=standards, field=field, urgency=rng.choice(Case.Urgency.values), status=status,
                    expert=expert, assigned_at=created, first_response_due=due,
                    first_response_at=responded if status != Case.Status.ASSIGNED else None, closed_at=closed,
                    rating=rng.choice([3, 4, 4, 5, 5, 5]) if status == Case.Status.RATED else None,
                    publish_consent=status == Case.Status.RATED and rng.random() < 0.6, created_at=created, is_demo=True,
                )
                cases.append(case)
                plans.append((answer, responded))
        Case.objects.bulk_create(cases)
        messages, assignments, articles = [], [], []
        for case, (answer, responded) in zip(cases, plans, strict=True):
            assignments.append(Assignment(case=case, expert=case.expert, score=5.0, reasons=["行业匹配（演示数据）"],
                                          assigned_at=case.assigned_at, ended_reason="answered" if case.first_response_at else ""))
            messages.append(Message(case=case, author=case.asked_by, author_role="enterprise", body=case.symptom,
                                    created_at=case.created_at))
            if case.first_response_at:
                messages.append(Message(case=case, author=case.expert.user, author_role="expert", body=answer,
                                        created_at=responded))
            if case.publish_consent:
                org = case.enterprise
                clean = lambda t, o=org, c=case: anonymize(  # noqa: E731
                    t, company_names=[o.name], person_names=[o.contact_name, c.asked_by.display_name],
                    addresses=[o.address])
                question = clean(f"产品：{case.product}\n{case.symptom}" if case.product else case.symptom)
                articles.append(Article(case=case, title=clean(case.title), question=question, answer=clean(answer),
                                        field=case.field, industry_id=case.industry_id, published_at=case.closed_at,
                                        search_text=textsearch.index_text(case.title, question, answer)))
        Assignment.objects.bulk_create(assignments)
        Message.objects.bulk_create(messages)
        Article.objects.bulk_create(articles)
        audit.record(by=audit.Actor.system("demo"), action="demo.consult", object_type="consult", object_id=str(seed),
                     changes={"cases": [None, len(cases)], "articles": [None, len(articles)]})
    stdout.write(f"专家问诊：问诊 {len(cases)}，知识库 {len(articles)}，专家资料 {len(experts)}")


assert set(Field.values) >= {f for fs, _, _ in SPECIALTY.values() for f in fs}
