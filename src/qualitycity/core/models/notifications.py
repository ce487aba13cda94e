from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An entry in a user's in-app notification centre."""

    recipient = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title
