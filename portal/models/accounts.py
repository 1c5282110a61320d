"""Accounts are global; what a person may do comes from memberships (user × province × role)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.identifiers import validate_mobile

from .institutions import Institution
from .tenancy import City, Province


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True, validators=[validate_mobile]
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    PROVINCIAL_OFFICER = "provincial_officer", _("省级经办人员")
    CITY_OFFICER = "city_officer", _("地市经办人员")
    EXPERT = "expert", _("评审专家")
    QUALITY_SUPERVISOR = "quality_supervisor", _("质量督导员")
    INSTITUTION_MEMBER = "institution_member", _("机构用户")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)


class Membership(models.Model):
    """One role of one person in one province, bound to a city or an institution where the role needs it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="city_officer", city__isnull=False) | ~Q(role="city_officer"),
                name="membership_city_officer_has_city",
            ),
            models.CheckConstraint(
                condition=Q(role="institution_member", institution__isnull=False)
                | ~Q(role="institution_member"),
                name="membership_institution_member_has_institution",
            ),
            # city and institution are NULL for most roles, and NULLs never collide in a unique index:
            # compare them as 0 so that one role cannot be granted twice.
            models.UniqueConstraint(
                F("user"), F("province"), F("role"), Coalesce("city", Value(0)), Coalesce("institution", Value(0)),
                name="membership_unique",
            ),
        ]

    def __str__(self) -> str:
        bound = self.city or self.institution or self.province
        return f"{self.user} · {self.get_role_display()} · {bound}"
