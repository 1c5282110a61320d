"""Tasks kept while the broker was away: sent again, in order, once it answers (portal.outbox)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A Celery task that could not be published (Redis down); `portal.outbox.relay` sends it later, once."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    task_id = models.CharField(_("任务编号"), max_length=64, unique=True)
    name = models.CharField(_("任务"), max_length=200)
    payload = models.TextField(_("参数"), help_text="args, kwargs and options as kombu JSON")
    attempts = models.PositiveIntegerField(_("重试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.task_id}"
