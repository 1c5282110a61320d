"""A holder's share links: chosen certificates shown to whoever holds an unguessable token, until expiry or revocation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import HolderAccount

from .issuance import Certificate

__all__ = ["IdDisplay", "ShareLink"]


class IdDisplay(models.TextChoices):
    MASKED = "masked", _("显示部分遮盖的证件号码")
    HIDDEN = "hidden", _("完全不显示证件号码")


class ShareLink(models.Model):
    """分享链接 — only the token's SHA-256 is stored: the link cannot be rebuilt from the database."""

    account = models.ForeignKey(HolderAccount, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    certificates = models.ManyToManyField(Certificate, related_name="+", verbose_name=_("分享的证书"))
    id_display = models.CharField(_("证件号码"), max_length=10, choices=IdDisplay.choices, default=IdDisplay.MASKED)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("查看次数"), default=0)
    last_viewed_at = models.DateTimeField(_("最近查看时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分享链接")
        verbose_name_plural = _("分享链接")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("分享链接")) + f" {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("已撤销"))
        return str(_("有效")) if self.is_live else str(_("已过期"))
