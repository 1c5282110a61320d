"""The working-day calendar (工作日): statutory holidays and adjusted working days, year by year."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class CalendarYear(models.Model):
    """A year the calendar covers. Only published years are used; a draft year is still being entered."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=200)
    is_published = models.BooleanField(_("已发布"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), primary_key=True)
    is_working_day = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    holiday_name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        indexes = [
            models.Index(
                fields=["date"], condition=models.Q(is_working_day=True), name="calendar_working_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
