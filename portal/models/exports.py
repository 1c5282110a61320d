"""Export jobs: a large Excel export built by a Celery task and offered for download when done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import Province


class ExportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT)
    export_name = models.CharField(_("导出类型"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("筛选条件"), default=dict)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
