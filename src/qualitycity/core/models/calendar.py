from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An official holiday or make-up working day that admins maintain, for years the
    ``chinese-calendar`` package does not cover yet (or to correct it). Any row for a
    year marks that year as covered."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'} {self.name}"
