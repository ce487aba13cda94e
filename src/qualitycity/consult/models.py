"""Expert consultation (专家在线问诊): expert profiles, cases, their conversation and the
knowledge base of anonymized solved cases."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    QUALITY = "quality", _("质量管理")
    METROLOGY = "metrology", _("计量")
    STANDARDS = "standards", _("标准化")
    TESTING = "testing", _("检验检测")
    CERTIFICATION = "certification", _("认证认可")
    PRODUCT = "product", _("产品专业领域")


class ExpertProfile(models.Model):
    """What matching needs about a ``core.Expert`` beyond the directory entry; kept here so
    the shared directory table stays as it is."""

    expert = models.OneToOneField("core.Expert", on_delete=models.CASCADE, related_name="consult_profile")
    fields = models.JSONField(_("专业方向"), default=list, blank=True)  # list of Field values
    product_areas = models.CharField(_("产品领域"), max_length=200, blank=True)
    standards = models.TextField(_("熟悉的标准"), blank=True, help_text=_("每行一个标准号"))
    available = models.BooleanField(_("接受新问诊"), default=True)
    open_case_limit = models.PositiveSmallIntegerField(_("同时处理上限"), default=5)

    class Meta:
        verbose_name = _("专家问诊资料")
        verbose_name_plural = _("专家问诊资料")

    def __str__(self) -> str:
        return str(self.expert)


class Case(models.Model):
    """One consultation. States: asked → assigned → answered → solved/closed → rated."""

    class Status(models.TextChoices):
        ASKED = "asked", _("待分配")
        ASSIGNED = "assigned", _("已分配")
        ANSWERED = "answered", _("已答复")
        SOLVED = "solved", _("已解决")
        CLOSED = "closed", _("已关闭")
        RATED = "rated", _("已评价")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("非常紧急")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="consult_cases")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")  # the enterprise's, for statistics
    industry = models.ForeignKey("core.Industry", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="consult_cases")
    title = models.CharField(_("问题标题"), max_length=120)
    field = models.CharField(_("专业方向"), max_length=16, choices=Field.choices, default=Field.QUALITY)
    product = models.CharField(_("产品"), max_length=100, blank=True)
    process = models.CharField(_("工艺环节"), max_length=100, blank=True)
    symptom = models.TextField(_("问题描述"))
    standards = models.CharField(_("涉及标准"), max_length=300, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ASKED, db_index=True)
    expert = models.ForeignKey("core.Expert", null=True, blank=True, on_delete=models.PROTECT, related_name="consult_cases")
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateField(null=True, blank=True)
    deadline_warning = models.CharField(max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    publish_consent = models.BooleanField(_("同意匿名发布到知识库"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_demo = models.BooleanField(default=False, editable=False)

    OPEN = (Status.ASKED, Status.ASSIGNED, Status.ANSWERED)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("问诊")
        verbose_name_plural = _("问诊")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Assignment(models.Model):
    """Who held the case and why: the matching explanation, or the office's manual choice,
    and how it ended (answered, reassigned after the deadline, replaced by hand)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey("core.Expert", on_delete=models.PROTECT, related_name="+")
    manual = models.BooleanField(default=False)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.expert_id}"


class Message(models.Model):
    """One post in a case's private thread. ``parent`` makes replies threaded; an expert's
    post may also propose an on-site visit or refer the case elsewhere."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("留言")
        VISIT = "visit", _("建议现场服务")
        REFERRAL = "referral", _("转介")

    class Referral(models.TextChoices):
        LAB_ORDER = "lab_order", _("检验检测委托")
        STANDARD = "standard", _("标准")
        COURSE = "course", _("课程")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=16)  # enterprise / expert / city_office, at the time of writing
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    body = models.TextField(_("内容"))
    # A typed reference, not a foreign key: the target apps are built separately and may not exist.
    referral_kind = models.CharField(max_length=12, choices=Referral.choices, blank=True)
    referral_ref = models.CharField(_("转介对象"), max_length=120, blank=True)
    visit_on = models.DateField(null=True, blank=True)
    attachments = models.ManyToManyField("core.Attachment", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.pk}"


class Article(models.Model):
    """A solved case published to the knowledge base, anonymized, with the asker's consent."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="article")
    title = models.CharField(max_length=120)
    question = models.TextField()
    answer = models.TextField()
    field = models.CharField(max_length=16, choices=Field.choices)
    industry = models.ForeignKey("core.Industry", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    search_text = models.TextField(blank=True)  # textsearch.index_text of title, question and answer
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")

    def __str__(self) -> str:
        return self.title
