from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """An uploaded file, stored outside the web root under a name derived from its
    checksum. The content type is the one detected from the file's magic bytes."""

    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    storage_path = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name
