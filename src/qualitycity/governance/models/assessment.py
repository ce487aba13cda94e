"""Annual assessment: a configurable scheme of criteria, computed scores and audited adjustments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ORG = "core.Organization"


class Scheme(models.Model):
    """The scoring scheme of one year for one group of subjects (districts or departments)."""

    class Subjects(models.TextChoices):
        DISTRICTS = "district_gov", _("区人民政府")
        DEPARTMENTS = "department", _("市直成员单位")

    name = models.CharField(_("名称"), max_length=128)
    year = models.PositiveIntegerField(_("年度"))
    subjects = models.CharField(_("考核对象"), max_length=16, choices=Subjects.choices)
    plan = models.ForeignKey("governance.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One criterion: a weighted score from 0 to 100, a bonus/penalty in points, or a veto.

    ``source`` names a provider in ``governance.sources``; without one (or when the provider
    has no data) the value is entered by hand (``ManualValue``)."""

    class Kind(models.TextChoices):
        WEIGHTED = "weighted", _("加权指标")
        BONUS = "bonus", _("加减分")
        VETO = "veto", _("一票否决")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("代码"), max_length=40)
    label = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WEIGHTED)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=3, default=0)
    source = models.CharField(_("数据来源"), max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("考核指标项")
        verbose_name_plural = _("考核指标项")
        ordering = ["scheme", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "key"], name="gov_criterion_unique")]

    def __str__(self) -> str:
        return self.label


class ManualValue(models.Model):
    """A value entered by hand for a criterion and subject (used when no provider has data)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="manual_values")
    subject = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=10, decimal_places=3)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("手工录入值")
        verbose_name_plural = _("手工录入值")
        constraints = [models.UniqueConstraint(fields=["criterion", "subject"], name="gov_manual_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}:{self.value}"


class Assessment(models.Model):
    """One subject's result under a scheme."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="assessments")
    subject = models.ForeignKey(ORG, verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    computed = models.DecimalField(_("计算得分"), max_digits=7, decimal_places=2, default=0)
    adjustment = models.DecimalField(_("调整分"), max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, default=0)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    district = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["scheme", "rank"]
        constraints = [models.UniqueConstraint(fields=["scheme", "subject"], name="gov_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.subject} {self.total}"


class Score(models.Model):
    """One criterion's value for one subject, with the evidence it came from."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("原始值"), max_digits=10, decimal_places=3, null=True)
    points = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=0)
    origin = models.CharField(_("来源"), max_length=10)  # provider / manual / missing
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["criterion__sort_order", "criterion__id"]
        verbose_name = _("单项得分")
        verbose_name_plural = _("单项得分")

    def __str__(self) -> str:
        return f"{self.criterion}:{self.points}"


class Adjustment(models.Model):
    """A manual adjustment of a result; needs a reason and is audited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adjustments")
    delta = models.DecimalField(_("调整分值"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("调整理由"), max_length=300)
    made_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分数调整")
        verbose_name_plural = _("分数调整")

    def __str__(self) -> str:
        return f"{self.delta}: {self.reason}"
