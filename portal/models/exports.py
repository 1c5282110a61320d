"""Export jobs: a large Excel export built by a Celery task and offered for download when done.

The job's status is a protected django-fsm field: pending → running → done, or → failed; only portal.exports calls the
transitions (each with one audit event).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from .fsm import StateMachineModel
from .tenancy import Province


class ExportJob(StateMachineModel, models.Model):
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
    status = FSMField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, protected=True)
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

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    # --- transitions: called only by portal.exports ---
    # a job interrupted while running (a worker lost mid-build) is started again by the task's retry
    @transition(field=status, source=[Status.PENDING, Status.RUNNING], target=Status.RUNNING)
    def start(self) -> None:
        pass

    @transition(field=status, source=Status.RUNNING, target=Status.DONE)
    def finish(self, *, row_count: int) -> None:
        self.row_count = row_count
        self.finished_at = timezone.now()

    @transition(field=status, source=[Status.PENDING, Status.RUNNING], target=Status.FAILED)
    def fail(self, error: str) -> None:
        self.error = error
        self.finished_at = timezone.now()
