"""A certificate's place in its province's Bitstring Status Lists (revocation and suspension share the index)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Province

from .issuance import Certificate

__all__ = ["StatusListEntry"]


class StatusListEntry(models.Model):
    """The random index a certificate's verifiable credential names in the province's status list number
    `list_number` (certificates.services.credentials assigns it, unique per list, never in issue order)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="status_entry")
    list_number = models.PositiveIntegerField(_("状态列表编号"), default=1)
    index = models.PositiveIntegerField(_("状态列表位置"))
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证书状态列表位置")
        verbose_name_plural = _("证书状态列表位置")
        constraints = [
            models.UniqueConstraint(fields=["province", "list_number", "index"], name="status_list_index_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.list_number}#{self.index}"
