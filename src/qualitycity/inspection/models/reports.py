from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUPERSEDED = "superseded", _("已被替代")
    REVOKED = "revoked", _("已撤销")


class Report(models.Model):
    """An issued test report (ISO/IEC 17025:2017 7.8). The signed PDF is kept byte for byte
    and its SHA-256 recorded, so verification by upload compares against the exact file."""

    number = models.CharField(max_length=20, unique=True)  # BG + date + sequence
    order = models.ForeignKey("inspection.Order", on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.VALID)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    amendment_note = models.CharField(max_length=300, blank=True)
    # an amended report's corrected result rows: [{"item", "before": {...}, "after": {...}}]
    corrections = models.JSONField(default=list, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
