"""Cadre–enterprise liaison (千名干部联系服务千家企业): pairs, visits, issue tickets, ratings.

An issue ticket is a work order of the complaints module (a ``Demand`` of channel
"liaison"); ``LiaisonTicket`` links it to the pairing it was raised in.
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
    """An issue an enterprise raised with its liaison cadre.

    The work order is a complaints ``Demand`` of the "liaison" channel: routing to the
    department, the statutory working-day deadlines, supervision (催办/督办) and closing
    with the enterprise's rating all happen there, so the department, deadline, reply
    and state are read from ``demand``. The ticket keeps what the complaints module does
    not know: the pairing, and the issue in the enterprise's own words.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        RESOLVED = "resolved", _("已办结待确认")
        CLOSED = "closed", _("企业已确认")
        REJECTED = "rejected", _("不予受理")
        MERGED = "merged", _("已合并办理")

    # the demand's states (complaints.models.State values) as the liaison reads them
    STATUS_OF_STATE = {
        "received": Status.OPEN, "assigned": Status.OPEN, "returned": Status.OPEN, "handling": Status.OPEN,
        "replied": Status.RESOLVED, "closed": Status.CLOSED, "rejected": Status.REJECTED, "merged": Status.MERGED,
    }

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="tickets")
    enterprise = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
    demand = models.OneToOneField("complaints.Demand", verbose_name=_("诉求"), on_delete=models.PROTECT,
                                  related_name="liaison_ticket")
    issue = models.TextField(_("问题"))

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-demand__received_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def states_of(cls, *statuses) -> list[str]:
        """The demand states behind liaison statuses, for filtering in SQL."""
        return [state for state, status in cls.STATUS_OF_STATE.items() if status in statuses]

    @property
    def number(self) -> str:
        return self.demand.number

    @property
    def status(self) -> str:
        return self.STATUS_OF_STATE[self.demand.state]

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def department(self):
        return self.demand.lead_org

    @property
    def opened_at(self):
        return self.demand.received_at

    @property
    def due_on(self):
        """The deadline of the current stage: acceptance, then completion."""
        return self.demand.handle_due or self.demand.accept_due

    @property
    def resolution(self) -> str:
        return self.demand.public_reply

    @property
    def resolved_at(self):
        return self.demand.closed_at if self.status in (self.Status.RESOLVED, self.Status.CLOSED) else None

    @property
    def satisfied(self) -> bool | None:
        """满意 and 基本满意 count as satisfied, as in the complaints bulletins."""
        rating = self.demand.rating
        return None if not rating else rating in ("satisfied", "basic")


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
