"""Tenancy: a province is the tenant; its cities are the units officers are bound to."""

from django.db import models
from django.utils.translation import get_language, gettext_lazy as _


def _in_language(name: str, name_en: str) -> str:
    """The English name in English mode when there is one, else the Chinese name."""
    return name_en if name_en and (get_language() or "").startswith("en") else name


class Province(models.Model):
    """省 — a tenant with its own policy pack, staff, institutions, filings and certificates."""

    code = models.CharField(_("行政区划代码"), max_length=2, unique=True, help_text=_("GB/T 2260 前两位"))
    name = models.CharField(_("名称"), max_length=20)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    slug = models.SlugField(_("URL 前缀"), max_length=8, unique=True)
    policy_pack = models.CharField(_("政策包"), max_length=30)
    paper_record_retention_years = models.PositiveSmallIntegerField(_("纸质档案保存年限"), default=3)
    electronic_record_retention_years = models.PositiveSmallIntegerField(
        _("电子档案保存年限"), default=5
    )

    class Meta:
        verbose_name = _("省份")
        verbose_name_plural = _("省份")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name to show: English in English mode (name_en), Chinese otherwise."""
        return _in_language(self.name, self.name_en)


class City(models.Model):
    """地级市 — prefecture-level city with its GB/T 2260 four-digit code."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cities")
    code = models.CharField(_("行政区划代码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("地市")
        verbose_name_plural = _("地市")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name to show: English in English mode (name_en), Chinese otherwise."""
        return _in_language(self.name, self.name_en)
