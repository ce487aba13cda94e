from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """A GB/T 4754-2017 industry: a section (门类, one letter) or a division (大类, two digits)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")

    code = models.CharField(_("行业代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def section_code(self) -> str:
        return self.code if self.level == self.Level.SECTION else (self.parent.code if self.parent else "")
