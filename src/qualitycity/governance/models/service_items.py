"""Government service items (马上办、网上办、一次办) and time-to-start-a-business cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceItem(models.Model):
    department = models.ForeignKey("core.Organization", verbose_name=_("实施部门"), on_delete=models.PROTECT,
                                   related_name="+")
    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    immediate = models.BooleanField(_("马上办"), default=False)
    online = models.BooleanField(_("网上办"), default=False)
    one_visit = models.BooleanField(_("一次办"), default=False)
    legal_limit_days = models.PositiveIntegerField(_("法定时限(工作日)"))
    promised_limit_days = models.PositiveIntegerField(_("承诺时限(工作日)"))
    materials = models.TextField(_("申请材料"), blank=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["department", "code"]

    def __str__(self) -> str:
        return self.name


class RateTarget(models.Model):
    """The configurable targets of the three rates (e.g. 50% / 45% / 80%)."""

    key = models.CharField(_("比率"), max_length=12, unique=True)  # immediate / online / one_visit
    target_percent = models.DecimalField(_("目标(%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("比率目标")
        verbose_name_plural = _("比率目标")

    def __str__(self) -> str:
        return f"{self.key}≥{self.target_percent}%"


class RateSnapshot(models.Model):
    """The three rates of one department (or the city, when ``department`` is empty) on a date."""

    taken_on = models.DateField(_("日期"))
    department = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    items = models.PositiveIntegerField(_("事项数"))
    immediate = models.DecimalField(max_digits=5, decimal_places=2)
    online = models.DecimalField(max_digits=5, decimal_places=2)
    one_visit = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("比率快照")
        verbose_name_plural = _("比率快照")
        ordering = ["taken_on"]
        constraints = [models.UniqueConstraint(fields=["taken_on", "department"], name="gov_snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.taken_on}"


class BusinessStartCase(models.Model):
    """A real case of starting a business, from application to the last step."""

    number = models.CharField(_("案卷号"), max_length=24, unique=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=128)
    area = models.ForeignKey("core.Area", verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField(_("申请日期"))

    class Meta:
        verbose_name = _("企业开办案例")
        verbose_name_plural = _("企业开办案例")
        ordering = ["-applied_on"]

    def __str__(self) -> str:
        return self.number


class CaseStep(models.Model):
    case = models.ForeignKey(BusinessStartCase, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节"), max_length=32)  # 设立登记, 公章刻制, 申领发票, 社保登记, 银行开户
    started_on = models.DateField(_("开始日期"))
    finished_on = models.DateField(_("完成日期"))

    class Meta:
        verbose_name = _("开办环节")
        verbose_name_plural = _("开办环节")
        ordering = ["case", "started_on"]

    def __str__(self) -> str:
        return self.name
