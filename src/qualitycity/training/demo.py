"""Demo classroom: courses with lessons and quizzes, learning histories for the active demo
enterprises (biased towards courses for their industry, as in real take-up), certificates,
live and offline sessions with attendance, and the year's targets."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from qualitycity.consult.demo import active_enterprises, enterprise_users
from qualitycity.core.models import Area, Industry
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit

from .models import (
    AnnualTarget,
    Attempt,
    Attendance,
    Certificate,
    Choice,
    Course,
    Enrollment,
    Event,
    Lesson,
    LessonProgress,
    Question,
)

TZ = ZoneInfo("Asia/Shanghai")
# code, title, topic, industry divisions, summary
COURSES = [
    ("KC2026001", "质量管理体系基础（GB/T 19001-2016）", "quality", [], "过程方法、基于风险的思维与 PDCA，适合刚建立体系的企业。"),
    ("KC2026002", "电线电缆产品质量控制", "product", ["38"], "从铜杆进厂到成品出厂：导体电阻、绝缘电阻与耐压试验。"),
    ("KC2026003", "食品生产企业质量安全管理", "product", ["13", "14", "15"], "GB 14881 通用卫生规范与添加剂合规使用。"),
    ("KC2026004", "计量基础与测量不确定度评定", "metrology", ["40"], "量值溯源、校准周期与 JJF 1059.1 评定方法。"),
    ("KC2026005", "企业标准化与标准自我声明", "standards", [], "GB/T 1.1 编写规则与企业标准领跑者。"),
    ("KC2026006", "产品认证与强制性认证（CCC）", "certification", ["38", "39"], "认证流程、工厂检查与证书维护。"),
    ("KC2026007", "品牌建设与质量标杆", "brand", [], "品牌价值评价 GB/T 39654 与标杆经验。"),
    ("KC2026008", "汽车零部件质量管理（IATF 16949）", "product", ["36"], "APQP、PPAP、FMEA 与 SPC 五大工具。"),
    ("KC2026009", "医疗器械生产质量管理规范", "product", ["35"], "洁净车间、灭菌验证与不良事件监测。"),
    ("KC2026010", "统计过程控制（SPC）实务", "quality", ["33", "34", "36"], "控制图选择、过程能力与判异准则。"),
    ("KC2026011", "光电子器件可靠性试验", "product", ["39"], "温度循环、湿热与寿命试验的设计。"),
    ("KC2026012", "特种设备安全管理", "product", ["34"], "压力容器与阀门的安全技术规范。"),
    ("KC2026013", "建设工程质量验收", "product", ["47", "48", "30"], "GB 50300 验收统一标准与材料进场检验。"),
    ("KC2026014", "服务质量评价与顾客满意", "quality", ["61", "62", "72"], "服务质量评价 GB/T 36733 与满意度测评。"),
]
QUIZ = [
    ("PDCA 循环的第三步是？", ["策划", "实施", "检查", "处置"], 2),
    ("校准的主要目的是？", ["确定示值误差", "修理器具", "报废器具", "更换零件"], 0),
    ("企业标准应当？", ["严于或等同国家标准", "可以低于强制性国家标准", "不必公开", "只能由政府制定"], 0),
    ("不合格品应当？", ["标识并隔离", "直接出厂", "与合格品混放", "不作记录"], 0),
    ("纠正措施针对的是？", ["不合格的原因", "不合格的产品", "客户", "供应商"], 0),
]


def _courses(rng) -> list[Course]:
    industries = {i.code: i for i in Industry.objects.filter(level=Industry.Level.DIVISION)}
    courses = Course.objects.bulk_create([
        Course(code=code, title=title, topic=topic, summary=summary, pass_mark=60, max_attempts=3,
               hours=rng.choice([2, 4, 6, 8]), is_demo=True)
        for code, title, topic, _, summary in COURSES])
    through = Course.industries.through
    through.objects.bulk_create([through(course_id=c.pk, industry_id=industries[code].pk)
                                 for c, (_, _, _, codes, _) in zip(courses, COURSES, strict=True)
                                 for code in codes if code in industries])
    lessons, questions = [], []
    for course in courses:
        lessons += [
            Lesson(course=course, order=1, title="导学：为什么重要", kind=Lesson.Kind.VIDEO,
                   video_url=f"https://video.example.org/qcity/{course.code}/1.mp4",
                   body=f"{course.summary}\n本视频约 15 分钟。", minutes=15),
            Lesson(course=course, order=2, title="要点讲解", kind=Lesson.Kind.TEXT,
                   body=f"{course.title}的核心要求。\n一、明确适用的标准和法规。\n二、建立过程控制与记录。\n三、定期评审并持续改进。"),
            Lesson(course=course, order=3, title="案例与练习", kind=Lesson.Kind.TEXT,
                   body="某企业因出厂检验记录不全被判定不合格，整改后通过复查。请思考：你的企业有哪些记录缺口？"),
        ]
        questions += [Question(course=course, order=i + 1, text=text) for i, (text, _, _) in enumerate(QUIZ)]
    Lesson.objects.bulk_create(lessons)
    Question.objects.bulk_create(questions)
    Choice.objects.bulk_create([Choice(question=q, text=t, correct=j == QUIZ[q.order - 1][2])
                                for q in questions for j, t in enumerate(QUIZ[q.order - 1][1])])
    return courses


HANDOUT_COURSES = 4  # the first courses get a PDF handout as their last lesson


def _handout(course: Course) -> bytes:
    """A short PDF handout rendered with WeasyPrint, the engine the certificates use."""
    from django.utils.html import escape
    from weasyprint import HTML

    points = "".join(f"<li>{escape(p)}</li>" for p in ("明确适用的标准和法规", "建立过程控制与记录", "定期评审并持续改进"))
    html = (f'<html lang="zh"><body style="font-family: sans-serif"><h1>{escape(course.title)}</h1>'
            f"<p>{escape(course.summary)}</p><h2>学习要点</h2><ol>{points}</ol>"
            f"<p>课程编号 {escape(course.code)} · 武汉市质量强市平台网上课堂</p></body></html>")
    return HTML(string=html).write_pdf()


def _handouts(courses: list[Course]) -> int:
    from .services import save_lesson

    by = audit.Actor.system("demo")
    for course in courses[:HANDOUT_COURSES]:
        save_lesson(by=by, course=course, title="课程讲义（PDF）", kind=Lesson.Kind.PDF, order=4, minutes=10,
                    body="可下载保存，便于组织内部培训。", upload=(f"{course.code}-讲义.pdf", _handout(course)))
    return min(len(courses), HANDOUT_COURSES)


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed + 2)
    with transaction.atomic():
        courses = _courses(rng)
        _handouts(courses)
        by_industry: dict[str, list[Course]] = {}
        generic = [c for c, spec in zip(courses, COURSES, strict=True) if not spec[3]]
        for course, spec in zip(courses, COURSES, strict=True):
            for code in spec[3]:
                by_industry.setdefault(code, []).append(course)
        orgs = active_enterprises(seed, scale)
        users = enterprise_users(orgs)
        lessons = {c.pk: list(c.lessons.all()) for c in courses}
        enrollments, plans = [], []
        for org in orgs:
            if org.pk == min(users):  # leave one enterprise with no history, as in real life
                continue
            fitting = by_industry.get(org.industry.code, [])
            taken: list[Course] = []
            for _ in range(rng.choice([1, 2, 2, 3, 4])):
                pool = fitting if fitting and rng.random() < 0.65 else generic if rng.random() < 0.7 else courses
                choice = rng.choice(pool)
                if choice not in taken:
                    taken.append(choice)
            when = dt.datetime(2026, 1, 10, 9, tzinfo=TZ) + dt.timedelta(days=rng.randrange(0, 200))
            for course in taken:
                when += dt.timedelta(days=rng.randrange(3, 40))
                enrollments.append(Enrollment(course=course, user=users[org.pk], organization=org, area_id=org.area_id,
                                              enrolled_by=users[org.pk], enrolled_at=when, is_demo=True))
                plans.append(rng.random())
        # one person cannot take the same course twice: keep the first
        seen, unique = set(), []
        for e, p in zip(enrollments, plans, strict=True):
            if (e.course.pk, e.user.pk) not in seen:
                seen.add((e.course.pk, e.user.pk))
                unique.append((e, p))
        Enrollment.objects.bulk_create([e for e, _ in unique])
        progress, attempts, certs = [], [], []
        for e, p in unique:
            finished = lessons[e.course.pk] if p < 0.7 else lessons[e.course.pk][: int(p * 3) % 3]
            progress += [LessonProgress(enrollment=e, lesson=lesson, completed_at=e.enrolled_at + dt.timedelta(days=i + 1))
                         for i, lesson in enumerate(finished)]
            if p < 0.7:
                done = e.enrolled_at + dt.timedelta(days=5)
                score = rng.choice([40, 60, 80, 80, 100])
                attempts.append(Attempt(enrollment=e, number=1, started_at=done, submitted_at=done, score=score,
                                        passed=score >= 60))
                if score >= 60:
                    e.completed_at = done
                    certs.append(Certificate(enrollment=e, number=next_number("ZS", day=done.astimezone(TZ).date()),
                                             code="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(12)),
                                             holder_name=e.user.display_name or e.user.username,
                                             course_title=e.course.title, score=score, issued_at=done))
        LessonProgress.objects.bulk_create(progress)
        Attempt.objects.bulk_create(attempts)
        Certificate.objects.bulk_create(certs)
        Enrollment.objects.bulk_update([e for e, _ in unique if e.completed_at], ["completed_at"])
        areas = list(Area.objects.exclude(kind=Area.Kind.CITY))
        events = Event.objects.bulk_create([
            Event(title=f"{c.title}（{'直播' if i % 2 else '线下'}）", kind=Event.Kind.LIVE if i % 2 else Event.Kind.OFFLINE,
                  course=c, starts_at=dt.datetime(2026, 3 + i % 9, 10 + i, 14, tzinfo=TZ), area=rng.choice(areas),
                  venue="线上直播间" if i % 2 else "区质量服务站", is_demo=True)
            for i, c in enumerate(courses[:10])])
        attendance = []
        for event in events:
            for org in rng.sample(orgs, min(len(orgs), rng.randrange(15, 40))):
                attendance.append(Attendance(event=event, user=users[org.pk], name=users[org.pk].display_name or "学员",
                                             organization=org, recorded_at=event.starts_at))
        Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
        AnnualTarget.objects.create(year=2026, person_times=1200 * scale, people=400 * scale, enterprises=300 * scale,
                                    completions=300 * scale)
        audit.record(by=audit.Actor.system("demo"), action="demo.training", object_type="training", object_id=str(seed),
                     changes={"enrollments": [None, len(unique)], "certificates": [None, len(certs)]})
    stdout.write(f"网上课堂：课程 {len(courses)}，报名 {len(unique)}，证书 {len(certs)}，培训活动 {len(events)}")
