"""A certificate holder's account (技能银行账号): a portal user bound to one identity number, with no province role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderAccount(models.Model):
    """The marker that makes a user a holder: whose records the account shows (one account per identity number).

    A holder has no membership in any province; the home page sends them to their account instead.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holder_account")
    id_type = models.CharField(_("证件类型"), max_length=20)
    id_number = models.CharField(_("证件号码"), max_length=20, unique=True)
    holder_name = models.CharField(_("姓名"), max_length=50)
    opened_at = models.DateTimeField(_("开户时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技能银行账号")
        verbose_name_plural = _("技能银行账号")

    def __str__(self) -> str:
        return str(_("技能银行账号")) + f" {self.pk}"
