"""Satisfaction-survey projects, their questionnaires, collection tokens and responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .itembank import AGE_BANDS, FLAG_LABELS, SERVICE_INDUSTRIES, SEXES


class Project(models.Model):
    """One survey of one target (a service industry, a district government or a named
    service) in one year.  ``area`` is set for district-government projects and scopes
    them to that district's officers.  ``results`` caches the last estimation."""

    class Target(models.TextChoices):
        INDUSTRY = "industry", _("服务行业")
        DISTRICT = "district", _("区政府服务")
        SERVICE = "service", _("指定服务")

    class Status(models.TextChoices):
        DRAFT = "draft", _("设计中")
        COLLECTING = "collecting", _("采集中")
        CLOSED = "closed", _("已结束")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("名称"), max_length=120)
    target_kind = models.CharField(_("测评对象类型"), max_length=16, choices=Target.choices)
    industry = models.CharField(_("服务行业"), max_length=20, choices=SERVICE_INDUSTRIES, blank=True)
    area = models.ForeignKey("core.Area", verbose_name=_("区"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="survey_projects")
    service_name = models.CharField(_("服务名称"), max_length=120, blank=True)
    year = models.PositiveIntegerField(_("年度"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    quotas = models.JSONField(_("配额"), default=dict, blank=True)  # {"district"|"sex"|"age": {category: n}}
    margins = models.JSONField(_("总体边际"), default=dict, blank=True)  # same shape, population shares
    # True while the margins are the built-in placeholders (population.py), so every page that
    # shows weighted results can say the weights are not yet census-based.
    margins_default = models.BooleanField(_("使用默认边际"), default=True)
    # The third party contracted to run the fieldwork: its provider staff may enter telephone
    # interviews and import offline data for this project only.
    fieldwork_agency = models.ForeignKey("core.Organization", verbose_name=_("调查执行机构"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="survey_projects")
    results = models.JSONField(default=dict, blank=True)  # the live estimate, staff only
    computed_at = models.DateTimeField(null=True, blank=True)
    # Written only when the portal publishes a release (portal_hooks.on_published): the public
    # pages, the ranking, the district-index feed and the assessment read these, never ``results``.
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    public_results = models.JSONField(default=dict, blank=True)
    public_release = models.ForeignKey("Release", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-year", "target_kind", "number"]
        verbose_name = _("测评项目")
        verbose_name_plural = _("测评项目")
        indexes = [models.Index(fields=["target_kind", "year"], name="survey_kind_year")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def target_key(self) -> str:
        """What stays the same from year to year, to compare with last year."""
        return {"industry": self.industry, "district": str(self.area_id), "service": self.service_name}[self.target_kind]


class Question(models.Model):
    """One item of a project's questionnaire: a Likert item linked to a model construct,
    the reversed check item, or the open question.  Demographics are fixed fields."""

    class Kind(models.TextChoices):
        LIKERT = "likert", _("量表题")
        REVERSED = "reversed", _("反向题")
        OPEN = "open", _("开放题")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("题号"), max_length=16)
    construct = models.CharField(_("潜变量"), max_length=20, blank=True)
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text_zh = models.CharField(_("中文题干"), max_length=200)
    text_en = models.CharField(_("英文题干"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="survey_question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text_zh}"


class Token(models.Model):
    """A one-time link (or its QR code).  Only the SHA-256 of the secret is stored, so a
    database leak does not leak usable links; the secret is shown once, at issue."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.digest[:8]}…"


class Response(models.Model):
    """One completed questionnaire.  Screens add ``flags``; a flagged response waits in
    the review queue and stays in the estimation until someone excludes it, with a reason."""

    class Channel(models.TextChoices):
        WEB = "web", _("网络问卷")
        CATI = "cati", _("电话访问")
        IMPORT = "import", _("离线导入")

    class Review(models.TextChoices):
        NONE = "none", _("未标记")
        PENDING = "pending", _("待审核")
        INCLUDED = "included", _("保留")
        EXCLUDED = "excluded", _("剔除")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    token = models.OneToOneField(Token, null=True, blank=True, on_delete=models.SET_NULL, related_name="response")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    district = models.ForeignKey("core.Area", verbose_name=_("居住区"), on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(_("性别"), max_length=1, choices=SEXES)
    age_band = models.CharField(_("年龄段"), max_length=8, choices=AGE_BANDS)
    answers = models.JSONField(default=dict)  # item code -> 1..10
    open_answer = models.TextField(_("开放题回答"), blank=True)
    duration_seconds = models.FloatField(_("作答时长(秒)"), null=True, blank=True)
    submitted_at = models.DateTimeField()
    flags = models.JSONField(default=list, blank=True)
    review = models.CharField(_("审核"), max_length=10, choices=Review.choices, default=Review.NONE)
    review_reason = models.CharField(_("审核理由"), max_length=200, blank=True)
    weight = models.FloatField(default=1.0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "review"], name="survey_resp_review")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.project.number}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS.get(f, f)) for f in self.flags]

    @property
    def counts(self) -> bool:
        return self.review != self.Review.EXCLUDED


class Release(models.Model):
    """One submission of a project's results for publication: the results frozen at that
    moment, the PDF report made from them, and the portal publication (a version of the
    series ``satisfaction-<number>``) that carries them through approval.  The public sees
    a release only after the city office has approved and published its publication."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="releases")
    publication = models.OneToOneField("portal.Publication", on_delete=models.PROTECT, related_name="survey_release")
    results = models.JSONField()
    pdf = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("发布版本")
        verbose_name_plural = _("发布版本")

    def __str__(self) -> str:
        return f"{self.project.number} v{self.publication.version}"

    @property
    def version(self) -> int:
        return self.publication.version
