"""Configuration tables: categories, time limits, non-acceptance grounds, routing rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    HELP = "help", _("求助")


class Channel(models.TextChoices):
    WEB = "web", _("网站/手机表单")
    HOTLINE_12345 = "12345", _("12345热线")
    HOTLINE_12315 = "12315", _("12315热线")
    TV = "tv", _("电视问政")
    MASS_WORK = "masswork", _("网上群众工作部")
    PETITION = "petition", _("信访")
    EMAIL = "email", _("电子邮件")
    INSPECTION = "inspection", _("巡查发现")
    API = "api", _("接口/Open311")
    # issues an enterprise raises with its paired cadre (governance liaison); filed only by
    # ``governance.services.liaison``, which keeps the pairing the demand belongs to
    LIAISON = "liaison", _("干部联系企业")


class Category(models.Model):
    """One node of the configurable taxonomy; ``code`` is also the Open311 service_code."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    group = models.CharField(_("分组"), max_length=32, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")

    def __str__(self) -> str:
        return self.name


class TimeLimit(models.Model):
    """Working-day limits for one demand type from ``effective_from`` on. The row in force
    for a demand is the latest one whose date is not after the day it was received."""

    demand_type = models.CharField(_("诉求类型"), max_length=16, choices=DemandType.choices)
    accept_days = models.PositiveSmallIntegerField(_("受理期限(工作日)"))
    handle_days = models.PositiveSmallIntegerField(_("办理期限(工作日)"))
    handle_from_receipt = models.BooleanField(_("办理期限自登记起算"), default=False)
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["demand_type", "-effective_from"]
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [models.UniqueConstraint(fields=["demand_type", "effective_from"], name="timelimit_type_date")]

    def __str__(self) -> str:
        return f"{self.get_demand_type_display()} {self.effective_from}"


class RejectionGround(models.Model):
    """A statutory ground for not accepting a demand (不予受理情形)."""

    code = models.SlugField(max_length=32, unique=True)
    text = models.CharField(_("情形"), max_length=200)
    basis = models.CharField(_("依据"), max_length=100, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("不予受理情形")
        verbose_name_plural = _("不予受理情形")

    def __str__(self) -> str:
        return self.text


class RoutingRule(models.Model):
    """Category × district → the lead department (主办) and optional co-handlers (协办).
    A rule with no district applies to every district without a rule of its own."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    co_handlers = models.ManyToManyField("core.Organization", blank=True, related_name="+")

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="routing_category_area")]

    def __str__(self) -> str:
        return f"{self.category} / {self.area or '*'} → {self.lead}"


class Open311Key(models.Model):
    """An Open311 client key; only its SHA-256 is stored."""

    name = models.CharField(max_length=64, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
