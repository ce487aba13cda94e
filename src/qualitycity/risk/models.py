"""Signals, the weekly counts imported for them, runs, alerts, risk assessments and actions.

The alert lifecycle (质量安全风险预警处置流程): new → triaged (confirmed) or dismissed →
assessed → in action → closed.  Every transition is a service in ``services.py`` with an
audit event; these models only hold state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    COMPLAINTS = "complaints", _("投诉举报")
    FAILED_INSPECTIONS = "failed_inspections", _("监督抽查不合格")
    INJURY = "injury", _("伤害监测")
    RECALL = "recall", _("缺陷产品召回")
    SAMPLING = "sampling", _("风险监测抽样")


class Grouping(models.TextChoices):
    CATEGORY_DISTRICT = "category_district", _("产品类别 × 区")
    CATEGORY_ENTERPRISE = "category_enterprise", _("产品类别 × 企业")
    CATEGORY_PARK = "category_park", _("产品类别 × 园区")
    CATEGORY = "category", _("产品类别（全市）")


class Method(models.TextChoices):
    FARRINGTON = "farrington-flexible", _("Farrington 改进法（Noufaily）")
    EARS_C1 = "ears-c1", _("EARS C1 法")
    EARS_C2 = "ears-c2", _("EARS C2 法")
    EARS_C3 = "ears-c3", _("EARS C3 法")
    CUSUM = "cusum", _("泊松 CUSUM")
    GLRNB = "glrnb", _("负二项 GLR")
    EWMA = "ewma", _("泊松 EWMA")


class Signal(models.Model):
    """A monitored signal: where the counts come from, which of them, how they are grouped
    into series, and the detection method with its parameters."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("数据来源"), max_length=24, choices=Source.choices)
    categories = models.JSONField(_("产品类别筛选"), default=list, blank=True)
    areas = models.ManyToManyField("core.Area", verbose_name=_("区筛选"), blank=True, related_name="+")
    grouping = models.CharField(_("分组"), max_length=24, choices=Grouping.choices,
                                default=Grouping.CATEGORY_DISTRICT)
    method = models.CharField(_("检测方法"), max_length=24, choices=Method.choices, default=Method.FARRINGTON)
    parameters = models.JSONField(_("方法参数"), default=dict, blank=True)
    monitor_weeks = models.PositiveSmallIntegerField(_("监测周数"), default=26)
    department = models.ForeignKey("core.Organization", verbose_name=_("默认处置部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    response_days = models.PositiveSmallIntegerField(_("处置时限(工作日)"), default=5)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(_("最近运行"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("监测信号")
        verbose_name_plural = _("监测信号")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class WeeklyCount(models.Model):
    """One imported weekly count (injury reports, recalls, sampling failures, or counts of
    complaints / failed inspections supplied from outside the platform)."""

    source = models.CharField(_("数据来源"), max_length=24, choices=Source.choices, db_index=True)
    category = models.CharField(_("产品类别"), max_length=64)
    area = models.ForeignKey("core.Area", verbose_name=_("区"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("core.Organization", verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("core.Organization", verbose_name=_("园区"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    week = models.DateField(_("周（周一）"))
    count = models.PositiveIntegerField(_("数量"))
    batch = models.CharField(_("导入批次"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("周计数")
        verbose_name_plural = _("周计数")
        # one count per (source, category, area, enterprise, park, week): enforced by the
        # import service, which names the duplicate row (a NULL-aware constraint is not
        # portable between SQLite and PostgreSQL < 15)
        indexes = [models.Index(fields=["source", "week"])]

    def __str__(self) -> str:
        return f"{self.category} {self.week} {self.count}"


class SignalRun(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("完成")
        FAILED = "failed", _("未能运行")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    week = models.DateField(_("监测截至周"), null=True)
    trigger = models.CharField(_("触发方式"), max_length=16)  # "weekly" or "manual"
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices)
    series_count = models.PositiveIntegerField(default=0)
    alarm_count = models.PositiveIntegerField(default=0)
    message = models.TextField(_("说明"), blank=True)
    # per series: {"key", "label", "weeks", "observed", "expected", "upper", "alarm"}; the
    # chart of the signal page reads it, so no recomputation when the page is opened
    results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.week} {self.status}"


class AlertStatus(models.TextChoices):
    NEW = "new", _("新预警")
    TRIAGED = "triaged", _("已确认")
    DISMISSED = "dismissed", _("已排除（误报）")
    ASSESSED = "assessed", _("已评估")
    ACTION = "action", _("处置中")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.TRIAGED, AlertStatus.ASSESSED, AlertStatus.ACTION)


class Alert(models.Model):
    """An alarm of a signal run on one series and week, with the figures that raised it."""

    number = models.CharField(_("预警编号"), max_length=20, unique=True)
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="alerts")
    run = models.ForeignKey(SignalRun, on_delete=models.SET_NULL, null=True, related_name="alerts")
    series_key = models.CharField(max_length=120)
    series_label = models.CharField(_("序列"), max_length=200)
    category = models.CharField(_("产品类别"), max_length=64)
    area = models.ForeignKey("core.Area", verbose_name=_("区"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("core.Organization", verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="risk_alerts")
    week = models.DateField(_("周"))
    observed = models.FloatField(_("观测值"))
    expected = models.FloatField(_("期望值"), null=True)
    upperbound = models.FloatField(_("预警阈值"), null=True)
    pvalue = models.FloatField(_("p 值"), null=True)
    status = models.CharField(_("状态"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.NEW)
    department = models.ForeignKey("core.Organization", verbose_name=_("处置部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("处置期限"), null=True, blank=True)
    due_warning = models.CharField(max_length=200, blank=True)
    dismiss_reason = models.TextField(_("排除理由"), blank=True)
    triage_note = models.TextField(_("研判意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "series_key", "week"], name="risk_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.series_label}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RiskLevel(models.TextChoices):
    SERIOUS = "serious", _("严重风险")
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


LEVEL_RANK = {RiskLevel.SERIOUS: 3, RiskLevel.HIGH: 2, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 0}


class Assessment(models.Model):
    """An entry of the risk register (风险登记册): a risk assessment per Decision (EU)
    2019/417 with the terms of GB/T 22760-2020."""

    number = models.CharField(_("登记编号"), max_length=20, unique=True)
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="assessments", null=True, blank=True)
    product = models.CharField(_("产品"), max_length=120)
    hazard = models.CharField(_("危险源"), max_length=200)
    consumer = models.CharField(_("受影响消费者"), max_length=120, blank=True)
    scenarios = models.JSONField(_("伤害场景"), default=list)  # [{description, severity, steps, probability, level}]
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="risk_assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.product}"


class ActionKind(models.TextChoices):
    SAMPLING_PLAN = "sampling_plan", _("定向抽检计划")
    CONSUMER_WARNING = "consumer_warning", _("消费警示")
    RECALL_ADVICE = "recall_advice", _("召回建议")
    CAMPAIGN = "campaign", _("专项整治")
    INTERVIEW = "interview", _("约谈")


class Action(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("处置措施"), max_length=20, choices=ActionKind.choices)
    description = models.TextField(_("内容"))
    department = models.ForeignKey("core.Organization", verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description[:40]}"
