"""Quality-index frameworks, their indicator data per district and year, and computed results.

The numbers themselves are computed by ``qualitycity.methods.composite`` (OECD/JRC
*Handbook on Constructing Composite Indicators*, 2008); these tables only hold what an
analyst edits and what was computed, so a result can be shown and published later
exactly as it was computed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualitycity.methods.composite import aggregation, imputation, normalization

NORMALIZATIONS = [(m, m) for m in normalization.METHODS]
WEIGHTINGS = [(m, m) for m in ("equal", "manual", "ahp", "entropy", "critic", "pca")]
AGGREGATIONS = [(m, m) for m in aggregation.METHODS]
IMPUTATIONS = [(m, m) for m in imputation.METHODS]


class Framework(models.Model):
    """An indicator system: the hierarchy, the indicators and the modelling options."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    normalization = models.CharField(_("标准化"), max_length=16, choices=NORMALIZATIONS, default="minmax")
    weighting = models.CharField(_("赋权"), max_length=16, choices=WEIGHTINGS, default="equal")
    aggregation = models.CharField(_("加总"), max_length=16, choices=AGGREGATIONS, default="arithmetic")
    imputation = models.CharField(_("缺失值插补"), max_length=16, choices=IMPUTATIONS, default="mean")
    outliers = models.BooleanField(_("JRC 异常值处理"), default=True)
    # GB/T 2260 area code → group label, for group-mean imputation; districts not listed fall back to
    # the city's own division (services.compute.DEFAULT_DISTRICT_GROUPS).
    district_groups = models.JSONField(_("区分组"), default=dict, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A dimension (no parent) or a sub-dimension (parent = a dimension)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    weight = models.FloatField(_("权重"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indices_group_code")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class Direction(models.TextChoices):
        BENEFIT = "+", _("正向（越大越好）")
        COST = "-", _("逆向（越小越好）")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    direction = models.CharField(_("方向"), max_length=1, choices=Direction.choices)
    source = models.CharField(_("数据来源"), max_length=120, blank=True)
    provider = models.CharField(_("平台计算口径"), max_length=60, blank=True,
                                help_text=_("indices.sources 中登记的计算函数名；空表示导入或手工录入"))
    weight = models.FloatField(_("权重"), null=True, blank=True)
    target = models.FloatField(_("目标值"), null=True, blank=True)
    goal_low = models.FloatField(_("下限阈值"), null=True, blank=True)
    goal_high = models.FloatField(_("上限阈值"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indices_indicator_code")]

    def __str__(self) -> str:
        return self.name


class AhpQuestionnaire(models.Model):
    """Pairwise comparisons of the children of one node (``group`` null = the dimensions)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questionnaires")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"AHP {self.framework_id}/{self.group_id or 'index'}"


class AhpResponse(models.Model):
    """One expert's judgements: ``matrix`` is the full reciprocal matrix in ``elements`` order."""

    questionnaire = models.ForeignKey(AhpQuestionnaire, on_delete=models.CASCADE, related_name="responses")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    elements = models.JSONField()
    matrix = models.JSONField()
    cr = models.FloatField()
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "expert"], name="indices_ahp_one_per_expert")]

    def __str__(self) -> str:
        return f"AHP response {self.questionnaire_id} by {self.expert_id}"


class Value(models.Model):
    """One indicator's value for one district in one year."""

    class Origin(models.TextChoices):
        IMPORT = "import", _("Excel 导入")
        MANUAL = "manual", _("手工录入")
        COMPUTED = "computed", _("平台计算")
        DEMO = "demo", _("演示合成")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.FloatField(_("数值"))
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    synthetic = models.BooleanField(_("合成数据"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator_id", "area_id", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "area", "year"], name="indices_value_cell")]
        indexes = [models.Index(fields=["year", "indicator"], name="indices_value_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.year}={self.value:g}"


class Result(models.Model):
    """A computed index for one framework and year; ``payload`` holds everything shown internally.

    What the public sees is never this row's payload but a frozen :class:`Release`, so
    recomputing a published year changes nothing public until a new version is published.
    ``published`` says whether some release of this result is public."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField(_("年份"))
    payload = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)
    published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["framework", "year"], name="indices_result_year")]

    def __str__(self) -> str:
        return f"{self.framework} {self.year}"


class Release(models.Model):
    """One version of a result sent to the portal's publishing workflow, frozen when prepared.

    The portal owns the workflow (draft → approved by the city office → published); its
    hooks (``indices.portal_hooks``) move a release to public and the one it corrects to
    superseded. Superseded versions stay readable, as the portal keeps them visible."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批发布")
        PUBLIC = "public", _("已公开")
        SUPERSEDED = "superseded", _("已被更正版本取代")

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="releases")
    version = models.PositiveSmallIntegerField(_("版本"))
    publication = models.OneToOneField("portal.Publication", on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["result_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["result", "version"], name="indices_release_version")]

    def __str__(self) -> str:
        return f"{self.result} v{self.version}"
