"""Programme plans, quarterly progress reports and supervision rounds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ORG = "core.Organization"


def district_of(org):
    """The district a unit answers for: its area if it is a district government, else none."""
    if org is None or org.kind != "district_gov":
        return None
    return org.area


class Plan(models.Model):
    """A programme plan such as the annual 质量强市 work plan: the root of a tree of items."""

    name = models.CharField(_("计划名称"), max_length=128)
    year = models.PositiveIntegerField(_("年度"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name


class PlanItem(models.Model):
    """A goal, task or milestone. Tasks carry the lead unit that reports on them."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("目标")
        TASK = "task", _("任务")
        MILESTONE = "milestone", _("里程碑")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("名称"), max_length=200)
    lead_unit = models.ForeignKey(ORG, verbose_name=_("牵头单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField(ORG, verbose_name=_("配合单位"), blank=True, related_name="+")
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=3, default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    # Set only when the unit is a district government: districts see their own data by this
    # field. Departments also sit in a district (江岸区), so scoping by the unit's area would leak.
    district = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="gov_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Target(models.Model):
    """A measurable target of an item: an indicator and the value to reach."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("指标"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=16, blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=3)
    # Some indicators are better when lower (e.g. incidents); attainment is inverted for them.
    lower_is_better = models.BooleanField(_("越低越好"), default=False)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")

    def __str__(self) -> str:
        return f"{self.indicator} ≥ {self.target_value}{self.unit}"


class Period(models.Model):
    """A quarterly reporting period of a plan; its due date comes from the working-day calendar."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    quarter = models.PositiveSmallIntegerField(_("季度"))
    due_on = models.DateField(_("报送截止"))
    closed = models.BooleanField(_("已关闭"), default=False)

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        ordering = ["plan", "quarter"]
        constraints = [models.UniqueConstraint(fields=["plan", "quarter"], name="gov_period_unique")]

    def __str__(self) -> str:
        return f"{self.plan.year}Q{self.quarter}"


class ProgressReport(models.Model):
    """One unit's quarterly report on one task: narrative, indicator values, evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送")
        ACCEPTED = "accepted", _("已通过")
        RETURNED = "returned", _("已退回")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(ORG, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(_("进展情况"))
    percent_complete = models.PositiveSmallIntegerField(_("完成进度(%)"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("报送时间"))
    late = models.BooleanField(_("逾期报送"), default=False)
    submitted_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.ManyToManyField("core.Attachment", blank=True, related_name="+")
    district = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.number


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("实际值"), max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="gov_value_unique")]

    def __str__(self) -> str:
        return f"{self.target.indicator}={self.value}"


class Chase(models.Model):
    """A reminder sent to a unit whose report is overdue; kept so chasing is not repeated daily."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="chases")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="chases")
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")

    def __str__(self) -> str:
        return f"{self.item.code} {self.period}"


class SupervisionRound(models.Model):
    """A quarterly supervision round that samples tasks and records findings."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("名称"), max_length=100)
    quarter = models.PositiveSmallIntegerField(_("季度"))
    sampled = models.ManyToManyField(PlanItem, blank=True, related_name="rounds")
    seed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查轮次")
        verbose_name_plural = _("督查轮次")

    def __str__(self) -> str:
        return self.name


class Rectification(models.Model):
    """A supervision finding and the rectification it requires, tracked until closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已销号")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    round = models.ForeignKey(SupervisionRound, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="findings")
    finding = models.TextField(_("督查发现"))
    owner = models.ForeignKey(ORG, verbose_name=_("整改责任单位"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(_("整改情况"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    district = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
