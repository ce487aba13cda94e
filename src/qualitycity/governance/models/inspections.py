"""Business-environment inspections (营商环境专项巡查): teams, registers, findings, bulletins."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ORG = "core.Organization"


class Campaign(models.Model):
    name = models.CharField(_("巡查名称"), max_length=128)
    year = models.PositiveIntegerField(_("年度"))

    class Meta:
        verbose_name = _("专项巡查")
        verbose_name_plural = _("专项巡查")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("巡查组"), max_length=64)
    leader = models.CharField(_("组长"), max_length=32)
    members = models.CharField(_("组员"), max_length=200, blank=True)  # names, as the team's notice lists them
    districts = models.ManyToManyField("core.Area", blank=True, related_name="+")
    departments = models.ManyToManyField(ORG, blank=True, related_name="+")

    class Meta:
        verbose_name = _("巡查组")
        verbose_name_plural = _("巡查组")

    def __str__(self) -> str:
        return self.name


class RegisterEntry(models.Model):
    """One line of a team's registers."""

    class Register(models.TextChoices):
        PROJECT = "project", _("项目清单")
        SME = "sme", _("中小企业清单")
        FEEDBACK = "feedback", _("企业反馈")
        COMPLAINT = "complaint", _("投诉受理")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="entries")
    register = models.CharField(_("清单"), max_length=10, choices=Register.choices)
    title = models.CharField(_("事项"), max_length=200)
    enterprise = models.ForeignKey(ORG, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    detail = models.TextField(_("情况"), blank=True)
    recorded_on = models.DateField(_("登记日期"))
    # A complaint received is filed in the complaints module (channel "inspection") in the
    # same transaction; its number (SQ…) is the link. Empty for the other registers.
    demand_number = models.CharField(_("诉求编号"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("巡查清单条目")
        verbose_name_plural = _("巡查清单条目")
        ordering = ["team", "register", "recorded_on"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    class Category(models.TextChoices):
        DELAY = "delay", _("推诿拖延")
        CHARGES = "charges", _("乱收费")
        UNEQUAL = "unequal", _("不平等对待")
        STYLE = "style", _("作风问题")
        OTHER = "other", _("其他")

    class Disposal(models.TextChoices):
        RECTIFY = "rectify", _("立行整改")
        ACCOUNTABILITY = "account", _("问责")
        REFERRAL = "referral", _("移交")

    class Status(models.TextChoices):
        OPEN = "open", _("处置中")
        CLOSED = "closed", _("已办结")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(_("问题类别"), max_length=10, choices=Category.choices)
    description = models.TextField(_("问题描述"))
    area = models.ForeignKey("core.Area", verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(ORG, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    disposal = models.CharField(_("处置方式"), max_length=10, choices=Disposal.choices)
    due_on = models.DateField(_("办结期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("处置结果"), blank=True)
    found_on = models.DateField(_("发现日期"))
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("巡查问题")
        verbose_name_plural = _("巡查问题")
        ordering = ["-found_on"]

    def __str__(self) -> str:
        return self.number
