"""Worklist entries of supervision: flags and renewals for review on the provincial officer's and the supervisor's
home, and the renewal due on the organization's; complaints open or overdue on the officers' homes, and those
awaiting the organization's answer on its home; exits to confirm or overdue, and the organization's open wrap-up
tasks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from filings.access import scope_filings
from filings.models import FilingStatus
from portal import worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from . import selectors
from .models import ExitState, FilingExit, FlagKind, FlagState, FraudFlag, Renewal, RenewalState, WrapUpTask
from .selectors.renewals import dormant_filings, renewal_state, renewal_window


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


def _complaint_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    counts = selectors.complaint_counts(access)
    url = reverse("supervision:complaint_list", kwargs={"province": access.province.slug})
    items = []
    if counts.overdue:
        items.append(worklists.WorkItem(_("超期未办结的投诉"), counts.overdue, f"{url}?overdue=on", urgent=True))
    if counts.unfinished:
        items.append(worklists.WorkItem(_("办理中的投诉"), counts.unfinished, url))
    return items


@worklists.register(Role.PROVINCIAL_OFFICER)
def renewals_to_review(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Renewals submitted and waiting for the province's decision."""
    count = Renewal.objects.filter(province=access.province, state=RenewalState.SUBMITTED).count()
    if not count:
        return []
    url = reverse("supervision:renewal_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("待审核的续期申请"), count, f"{url}?state=submitted", urgent=True)]


@worklists.register(Role.INSTITUTION_MEMBER)
def renewal_due(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """The organization's filings in their renewal window with no renewal submitted, and renewals returned to it."""
    items = []
    filings = list(scope_filings(access).filter(status__in=[FilingStatus.ACTIVE, FilingStatus.SUSPENDED]))
    due = [f for f in filings if renewal_window(f).is_open and renewal_state(f) in ("", RenewalState.DRAFT)]
    url = reverse("supervision:renewal_home", kwargs={"province": access.province.slug})
    if due:
        items.append(worklists.WorkItem(_("备案有效期即将届满，请提交续期申请"), len(due), url, urgent=True))
    if returned := sum(1 for f in filings if renewal_state(f) == RenewalState.RETURNED):
        items.append(worklists.WorkItem(_("被退回补正的续期申请"), returned, url, urgent=True))
    return items


@worklists.register(Role.PROVINCIAL_OFFICER)
def province_complaints(access: ProvinceAccess) -> list[worklists.WorkItem]:
    return _complaint_items(access)


@worklists.register(Role.CITY_OFFICER)
def city_complaints(access: ProvinceAccess) -> list[worklists.WorkItem]:
    if access.has(Role.PROVINCIAL_OFFICER):
        return []  # the province's entry already counts them
    return _complaint_items(access)


@worklists.register(Role.INSTITUTION_MEMBER)
def complaints_to_answer(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = selectors.complaint_counts(access).awaiting_organization
    if not count:
        return []
    url = reverse("supervision:organization_complaints", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("待本机构答复的投诉"), count, url, urgent=True)]


@worklists.register(Role.PROVINCIAL_OFFICER)
def dormant_organizations(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Active filings with no certificate for the pack's dormancy months (长期未发证), for review."""
    count = dormant_filings(access.province).count()
    if not count:
        return []
    url = reverse("filings:filing_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("长期未发证、待复核的机构"), count, url)]


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
