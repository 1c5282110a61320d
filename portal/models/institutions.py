"""Institutions (申请机构 / 评价机构): the parties that apply, get filed and issue certificates.

The model lives in the core because memberships bind to it; registering one and every rule about
its category belongs to filings and its policy packs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.identifiers import validate_credit_code

from .tenancy import City, Province


class RegistrationNature(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_GROUP = "social_group", _("社会团体")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业单位")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    OTHER = "other", _("其他")


class InstitutionLevel(models.TextChoices):
    CITY = "city", _("市属")
    PROVINCE = "province", _("省属")
    CENTRAL = "central", _("部属驻省分支机构/央企")


class InstitutionQuerySet(models.QuerySet["Institution"]):
    def in_province(self, province: Province) -> "InstitutionQuerySet":
        return self.filter(province=province)


class Institution(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="institutions")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="institutions")
    name = models.CharField(_("机构名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    category = models.CharField(_("申请类别"), max_length=40, help_text=_("取值见本省政策包"))
    nature = models.CharField(_("登记性质"), max_length=30, choices=RegistrationNature.choices)
    level = models.CharField(_("隶属层级"), max_length=20, choices=InstitutionLevel.choices)
    address = models.CharField(_("地址"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    registered_capital = models.DecimalField(
        _("注册资金（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_title = models.CharField(_("职务"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "credit_code"], name="institution_credit_code_unique_per_province"
            )
        ]

    def __str__(self) -> str:
        return self.name
