from django.db import models


class NumberSequence(models.Model):
    """The last number handed out for one prefix and day, e.g. ``MP20261126`` → 3."""

    key = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"

    def __str__(self) -> str:
        return f"{self.key}:{self.last}"
