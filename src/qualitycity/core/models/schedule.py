from django.db import models


class ScheduledRun(models.Model):
    """One periodic job enqueued for one cron slot.

    The unique (job, slot) pair is what makes the scheduler safe to run twice: a second
    scheduler process loses the insert race and enqueues nothing.
    """

    job = models.CharField(max_length=120)
    slot = models.DateTimeField(help_text="the cron time this run stands for (UTC)")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "定时任务运行"
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]
        indexes = [models.Index(fields=["job", "-slot"])]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot:%Y-%m-%d %H:%M}"
