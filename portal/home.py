"""The core's own worklist items and shortcuts: what waits for each role, and where to go, before any app adds its own."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import shortcuts, worklists
from .models import CalendarYear, ExportJob, Role
from .roles import ProvinceAccess


# The calendar is national: published from another province (or by the platform, with no province), the line leaves
# this province's homes within HOME_PART_SECONDS (portal.homecache); published here, at once.
@worklists.register(Role.PROVINCIAL_OFFICER, reads=("portal.calendaryear",))
def next_calendar_year(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """From November on, the next year's holidays must be entered before lead times can cross into it."""
    today = timezone.localdate()
    if today.month < 11 or CalendarYear.objects.filter(year=today.year + 1, is_published=True).exists():
        return []
    return [
        worklists.WorkItem(
            title=_("%(year)d年工作日历待录入") % {"year": today.year + 1},
            count=1,
            url=reverse("calendar", kwargs={"province": access.province.slug}),
            urgent=today.month == 12,
        )
    ]


def _finished_exports(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = ExportJob.objects.filter(
        province=access.province, requested_by=access.user, status=ExportJob.Status.DONE,
        finished_at__gte=timezone.now() - timedelta(days=1),
    ).count()
    if not count:
        return []
    return [
        worklists.WorkItem(
            title=_("今日完成的导出文件"), count=count,
            url=reverse("export_list", kwargs={"province": access.province.slug}),
        )
    ]


# A job's every transition records an event on it; a finished job leaves this list a day later, at most
# HOME_PART_SECONDS late (portal.homecache).
worklists.register(Role.PROVINCIAL_OFFICER, reads=("portal.exportjob",))(_finished_exports)
worklists.register(Role.CITY_OFFICER, reads=("portal.exportjob",))(_finished_exports)


def _link(access: ProvinceAccess, name: str, title: str, hint: str) -> shortcuts.Shortcut:
    return shortcuts.Shortcut(title, reverse(name, kwargs={"province": access.province.slug}), hint)


@shortcuts.register(Role.PROVINCIAL_OFFICER)
def province_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "publicity_manage", _("公示与异议"), _("发布公示，处理公众提出的异议")),
        _link(access, "audit_list", _("审计日志"), _("查询谁在何时做了什么")),
        _link(access, "calendar", _("工作日历"), _("录入节假日，办理时限按工作日计算")),
        _link(access, "export_list", _("导出文件"), _("下载已生成的Excel导出")),
    ]


@shortcuts.register(Role.CITY_OFFICER)
def city_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [_link(access, "export_list", _("导出文件"), _("下载已生成的Excel导出"))]
