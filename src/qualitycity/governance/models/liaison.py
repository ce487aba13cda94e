"""Cadre–enterprise liaison (千名干部联系服务千家企业): pairs, visits, issue tickets, ratings.

The ticket here is deliberately small (route, deadline, confirm). When the complaints
module's work-order machinery lands, tickets should become work orders of a "liaison"
channel there; ``LiaisonTicket.number`` keeps its own prefix so a migration can map them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ORG = "core.Organization"


class Cadre(models.Model):
    name = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    department = models.ForeignKey(ORG, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    home_area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    industry_section = models.CharField(_("熟悉行业门类"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("联系干部")
        verbose_name_plural = _("联系干部")

    def __str__(self) -> str:
        return self.name


class Pairing(models.Model):
    class Method(models.TextChoices):
        ASSIGNED = "assigned", _("指定")
        MATCHED = "matched", _("自动匹配")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="pairings")
    enterprise = models.ForeignKey(ORG, verbose_name=_("联系企业"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    method = models.CharField(_("结对方式"), max_length=10, choices=Method.choices)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="gov_pair_enterprise_year")]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.enterprise}"


class Visit(models.Model):
    class Form(models.TextChoices):
        ONSITE = "onsite", _("实地走访")
        MEETING = "meeting", _("座谈会")
        REMOTE = "remote", _("电话/视频")
        OTHER = "other", _("其他")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    form = models.CharField(_("走访形式"), max_length=10, choices=Form.choices, default=Form.ONSITE)
    content = models.TextField(_("走访内容"))
    issues_raised = models.PositiveSmallIntegerField(_("反映问题数"), default=0)
    follow_up = models.TextField(_("跟进措施"), blank=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.pairing} {self.visited_on}"


class LiaisonTicket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        RESOLVED = "resolved", _("已办结待确认")
        CLOSED = "closed", _("企业已确认")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="tickets")
    enterprise = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(ORG, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    issue = models.TextField(_("问题"))
    opened_at = models.DateTimeField(_("受理时间"))
    due_on = models.DateField(_("办理期限"))
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.BooleanField(null=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.number


class Rating(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveIntegerField(_("年度"))
    score = models.PositiveSmallIntegerField(_("评分(1-5)"))
    comment = models.CharField(_("评价"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度评价")
        verbose_name_plural = _("年度评价")
        constraints = [models.UniqueConstraint(fields=["pairing", "year"], name="gov_rating_unique")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.score}"
