from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """A measuring instrument under mandatory verification (强制检定, 《计量法》第九条)."""

    enterprise = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="instruments")
    kind = models.CharField(_("器具类型"), max_length=64)
    model = models.CharField(_("型号"), max_length=64, blank=True)
    serial_no = models.CharField(_("出厂编号"), max_length=64)
    location = models.CharField(_("安装地点"), max_length=128, blank=True)
    use = models.CharField(_("用途"), max_length=128, blank=True)
    last_verified_on = models.DateField(_("上次检定日期"))
    cycle_months = models.PositiveSmallIntegerField(_("检定周期(月)"), default=12)
    certificate_no = models.CharField(_("检定证书编号"), max_length=64, blank=True)
    next_due_on = models.DateField(_("下次检定日期"), db_index=True)
    alerted_30 = models.BooleanField(default=False)
    alerted_7 = models.BooleanField(default=False)
    verification_order = models.ForeignKey(
        "inspection.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "serial_no"], name="insp_instr_serial")]

    def __str__(self) -> str:
        return f"{self.kind} {self.serial_no}"
