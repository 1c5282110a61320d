"""Worklist entries of supervision: flags for review on the provincial officer's and the supervisor's home, exits to
confirm or overdue, and the organization's open wrap-up tasks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal import worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from .models import ExitState, FilingExit, FlagKind, FlagState, FraudFlag, WrapUpTask


@worklists.register(Role.PROVINCIAL_OFFICER)
def flags_to_review(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Organizations outside the 99.8% band twice in a row (never removed automatically), then the other flags."""
    open_flags = FraudFlag.objects.filter(province=access.province, state=FlagState.OPEN)
    url = reverse("supervision:flag_list", kwargs={"province": access.province.slug})
    items = []
    if twice := open_flags.filter(kind=FlagKind.BAND_TWICE_OUTSIDE).count():
        items.append(worklists.WorkItem(_("连续两期超出控制限、待复核的机构"), twice,
                                        f"{url}?kind={FlagKind.BAND_TWICE_OUTSIDE}", urgent=True))
    if other := open_flags.exclude(kind=FlagKind.BAND_TWICE_OUTSIDE).count():
        items.append(worklists.WorkItem(_("待核查的真实性疑点"), other, f"{url}?state=open"))
    return items


@worklists.register(Role.QUALITY_SUPERVISOR)
def my_flags(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = FraudFlag.objects.filter(province=access.province, state=FlagState.OPEN,
                                     assigned_to=access.user).count()
    if not count:
        return []
    url = reverse("supervision:flag_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("分配给我的真实性疑点"), count, f"{url}?mine=1", urgent=True)]


@worklists.register(Role.PROVINCIAL_OFFICER)
def exits_to_handle(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Exits whose wrap-up is overdue (flagged by the sweep), and exits in wrap-up waiting for the confirmation."""
    url = reverse("supervision:exit_list", kwargs={"province": access.province.slug})
    wrapping = FilingExit.objects.filter(province=access.province, state=ExitState.WRAPPING_UP)
    items = []
    if overdue := wrapping.filter(overdue_flagged_on__isnull=False).count():
        items.append(worklists.WorkItem(_("退出收尾逾期的机构"), overdue, f"{url}?overdue=on", urgent=True))
    if pending := wrapping.count() - overdue:
        items.append(worklists.WorkItem(_("收尾中、待确认终止的退出"), pending, f"{url}?state={ExitState.WRAPPING_UP}"))
    return items


@worklists.register(Role.INSTITUTION_MEMBER)
def my_exit_tasks(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """The organization's open wrap-up tasks of an exit in progress."""
    count = WrapUpTask.objects.filter(exit__province=access.province,
                                      exit__filing__institution_id__in=access.institution_ids(),
                                      exit__state__in=[ExitState.REQUESTED, ExitState.WRAPPING_UP],
                                      done_at__isnull=True).count()
    if not count:
        return []
    url = reverse("supervision:exit_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("退出收尾工作待完成"), count, url, urgent=True)]
