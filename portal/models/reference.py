"""Reference data: occupations of the 2022 Occupational Classification (职业分类大典) and skill levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.identifiers import validate_occupation_code


class SkillLevel(models.IntegerChoices):
    """职业技能等级 — the digit is the one printed in certificate numbers."""

    LEVEL_5 = 5, _("五级/初级工")
    LEVEL_4 = 4, _("四级/中级工")
    LEVEL_3 = 3, _("三级/高级工")
    LEVEL_2 = 2, _("二级/技师")
    LEVEL_1 = 1, _("一级/高级技师")


class OccupationQuerySet(models.QuerySet["Occupation"]):
    def skill_type(self) -> "OccupationQuerySet":
        return self.filter(is_skill_type=True)


class Occupation(models.Model):
    code = models.CharField(
        _("职业编码"), max_length=10, unique=True, validators=[validate_occupation_code]
    )
    name = models.CharField(_("职业名称"), max_length=100)
    edition = models.PositiveSmallIntegerField(_("大典版本"), default=2022)
    is_skill_type = models.BooleanField(_("技能类"), default=True)
    has_national_standard = models.BooleanField(_("有国家职业技能标准"), default=False)
    has_evaluation_norm = models.BooleanField(_("有备案评价规范"), default=False)
    is_access_type = models.BooleanField(_("准入类"), default=False)

    objects = OccupationQuerySet.as_manager()

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkType(models.Model):
    """工种 — a subdivision of an occupation, where the classification lists them."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="work_types")
    name = models.CharField(_("工种名称"), max_length=100)

    class Meta:
        verbose_name = _("工种")
        verbose_name_plural = _("工种")
        ordering = ["occupation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "name"], name="work_type_unique")
        ]

    def __str__(self) -> str:
        return self.name
