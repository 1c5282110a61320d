"""Worklist entries of supervision: flags and renewals for review on the provincial officer's and the supervisor's
home, and the renewal due on the organization's; complaints open or overdue on the officers' homes, and those
awaiting the organization's answer on its home; exits to confirm or overdue, and the organization's open wrap-up
tasks; and the shortcuts of each role to the supervision pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from filings.access import scope_filings
from filings.models import FilingStatus
from portal import shortcuts, worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from . import selectors
from .models import ExitState, FilingExit, FlagKind, FlagState, FraudFlag, Renewal, RenewalState, WrapUpTask
from .selectors.renewals import dormant_filings, renewal_state, renewal_window


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("supervision.fraudflag",))
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


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("supervision.renewal",))
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


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("supervision.complaint",))
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


# A filing leaves or joins the active ones with an event on it, a certificate is issued with one on its batch (or
# reissued with one on itself); the dormancy window moves by the day.
@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.filing", "certificates.issuancebatch",
                                                     "certificates.certificate"))
def dormant_organizations(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Active filings with no certificate for the pack's dormancy months (长期未发证), for review."""
    count = dormant_filings(access.province).count()
    if not count:
        return []
    url = reverse("filings:filing_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("长期未发证、待复核的机构"), count, url)]


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("supervision.filingexit",))
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


def _link(access: ProvinceAccess, name: str, title: str, hint: str, query: str = "") -> shortcuts.Shortcut:
    return shortcuts.Shortcut(title, reverse(f"supervision:{name}", kwargs={"province": access.province.slug}) + query,
                              hint)


@shortcuts.register(Role.QUALITY_SUPERVISOR)
def supervisor_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "inspection_list", _("我的监督检查"), _("开展分配给您的检查，记录发现的问题"), "?mine=1"),
        _link(access, "order_list", _("整改通知"), _("验证机构提交的整改报告")),
        _link(access, "flag_list", _("真实性疑点"), _("核查指标异常的机构，作出核查结论")),
        _link(access, "ranking_list", _("机构排名与指标"), _("各机构的监督指标、排名和风险分")),
    ]


@shortcuts.register(Role.INSTITUTION_MEMBER)
def organization_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    """The complaints always; the indicators and the renewal once the organization holds a filing."""
    links = [_link(access, "organization_complaints", _("收到的投诉"), _("答复涉及本机构的投诉"))]
    if scope_filings(access).filter(institution_id__in=access.institution_ids()).exists():
        links += [_link(access, "my_organization", _("监督指标"), _("本机构的监督指标和学员、用人单位评价")),
                  _link(access, "renewal_home", _("备案续期"), _("备案有效期届满前申请续期"))]
    return links


@shortcuts.register(Role.CITY_OFFICER)
def city_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "indicator_list", _("监督指标"), _("本市机构的监督指标")),
        _link(access, "complaint_list", _("投诉办理"), _("受理、转办和办结投诉")),
        _link(access, "inspection_list", _("监督检查"), _("本市的监督检查和整改")),
    ]


@shortcuts.register(Role.PROVINCIAL_OFFICER)
def province_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "indicator_list", _("监督指标"), _("全省机构的监督指标和排名")),
        _link(access, "campaign_list", _("双随机抽查"), _("制定抽查任务，公开随机抽取")),
        _link(access, "complaint_list", _("投诉办理"), _("全省投诉的办理进度")),
        _link(access, "lifecycle", _("备案存续管理"), _("续期、暂停和退出")),
    ]
