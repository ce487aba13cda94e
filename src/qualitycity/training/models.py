"""Online classroom (网上课堂): courses and lessons, enrolments and progress, quizzes,
certificates, live/offline training events with attendance, and annual targets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    QUALITY = "quality", _("质量管理")
    STANDARDS = "standards", _("标准化")
    METROLOGY = "metrology", _("计量")
    CERTIFICATION = "certification", _("认证认可")
    BRAND = "brand", _("品牌建设")
    PRODUCT = "product", _("产品专题")


class Course(models.Model):
    """A course; ``code`` (e.g. KC2026001) is how people and referrals name it."""

    code = models.CharField(_("课程编号"), max_length=20, unique=True)
    title = models.CharField(_("课程名称"), max_length=120)
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices)
    summary = models.TextField(_("简介"), blank=True)
    industries = models.ManyToManyField("core.Industry", blank=True, related_name="+")
    pass_mark = models.PositiveSmallIntegerField(_("及格分（百分制）"), default=60)
    max_attempts = models.PositiveSmallIntegerField(_("测验次数上限"), default=3, help_text=_("0 表示不限"))
    published = models.BooleanField(_("已发布"), default=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Lesson(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("视频")
        TEXT = "text", _("图文")
        PDF = "pdf", _("PDF 讲义")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("课时名称"), max_length=120)
    kind = models.CharField(_("形式"), max_length=8, choices=Kind.choices)
    video_url = models.URLField(_("视频地址"), blank=True)
    file = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Rich text for text lessons (allowlisted HTML, see richtext.py); notes under a video or PDF.
    body = models.TextField(_("正文"), blank=True)
    minutes = models.PositiveSmallIntegerField(default=20)

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "order"], name="lesson_order_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self) -> str:
        """Sanitized again on every render, so a row written before the allowlist (or by hand)
        cannot carry a script; plain-text bodies keep their line breaks."""
        from django.utils.html import linebreaks
        from django.utils.safestring import mark_safe

        from .richtext import looks_like_html, sanitize

        if looks_like_html(self.body):
            return mark_safe(sanitize(self.body))  # noqa: S308 - rebuilt from an allowlist, see richtext
        return linebreaks(self.body, autoescape=True)


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return self.text


class Enrollment(models.Model):
    """A person taking a course, on their own or enrolled by their enterprise admin."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="enrollments")
    organization = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="enrollments")
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "lesson"], name="progress_unique")]

    def __str__(self) -> str:
        return f"{self.enrollment_id}:{self.lesson_id}"


class Attempt(models.Model):
    """One try at a course's quiz. Submitted once; a retake is a new attempt."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["enrollment", "number"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "number"], name="attempt_number_unique")]

    def __str__(self) -> str:
        return f"{self.enrollment_id}#{self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="+")

    class Meta:
        # the database, too, refuses a second answer to the same question in one attempt
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_attempt")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class Certificate(models.Model):
    """Issued when the quiz is passed; anyone can check ``code`` on the public page."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(max_length=20, unique=True)
    code = models.CharField(max_length=16, unique=True)
    holder_name = models.CharField(max_length=64)
    course_title = models.CharField(max_length=120)
    score = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("结业证书")
        verbose_name_plural = _("结业证书")

    def __str__(self) -> str:
        return self.number


class Event(models.Model):
    """A live (online) or offline training session; its attendance counts like enrolments."""

    class Kind(models.TextChoices):
        LIVE = "live", _("直播")
        OFFLINE = "offline", _("线下")

    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("形式"), max_length=8, choices=Kind.choices)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    starts_at = models.DateTimeField(_("开始时间"))
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    venue = models.CharField(_("地点或直播链接"), max_length=200, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=64)
    organization = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=models.Q(user__isnull=False),
                                    name="attendance_user_once"),
            models.UniqueConstraint(fields=["event", "name", "organization"], name="attendance_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class AnnualTarget(models.Model):
    """The city's (``area`` empty) or a district's training targets for a year."""

    year = models.PositiveSmallIntegerField()
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person_times = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    enterprises = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "area"], name="target_year_area")]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id or 'city'}"
