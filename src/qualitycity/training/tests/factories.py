from qualitycity.core.services.audit import Actor

from ..models import Choice, Course, Lesson, Question


def course(code="KC0001", *, pass_mark=60, max_attempts=2, questions=4) -> Course:
    c = Course.objects.create(code=code, title="电线电缆产品质量控制", topic="product", pass_mark=pass_mark,
                              max_attempts=max_attempts)
    Lesson.objects.create(course=c, order=1, title="导学", kind=Lesson.Kind.VIDEO, video_url="https://v.example.org/1.mp4")
    Lesson.objects.create(course=c, order=2, title="要点", kind=Lesson.Kind.TEXT, body="导体电阻与绝缘电阻")
    for i in range(questions):
        q = Question.objects.create(course=c, order=i + 1, text=f"第{i + 1}题")
        Choice.objects.create(question=q, text="对", correct=True)
        Choice.objects.create(question=q, text="错", correct=False)
    return c


def answers(course, *, right: int) -> dict[int, int]:
    out = {}
    for i, q in enumerate(course.questions.all()):
        out[q.pk] = q.choices.get(correct=i < right).pk
    return out


def actor(user):
    return Actor(user=user, ip="127.0.0.1")
