"""Audit events: an append-only record of every state change and every sensitive read."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import Province


class AuditEvent(models.Model):
    """审计日志 — written only by portal.audit.record_event; never edited or deleted through the portal.

    Each event becomes a link of its province's hash chain (portal.audit_chain): saving a new one inserts it
    unsealed (seq null), and it is sealed into the chain once its transaction commits.
    """

    # set before the insert (not auto_now_add, which sets it during the save) because the chain hashes it first
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("省份")
    )
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    action = models.CharField(_("动作"), max_length=60, db_index=True)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    changes = models.JSONField(_("变更字段"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前一事件散列"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("本事件散列"), max_length=64, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(_("链中序号"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["province", "-at"], name="audit_province_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["province", "seq"], name="audit_chain_seq"),
            models.Index(fields=["province", "id"], name="audit_unsealed", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("Audit events are append-only.")
        from portal.audit_chain import seal_after_commit  # the chain module reads these models

        super().save(*args, **kwargs)
        seal_after_commit(self.province_id)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The head of one audit chain (a province's, or "none"): the row sealers lock, and the last link sealed."""

    key = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.key}: {self.length}"
