"""What waits for each role in filings (review, cultivation, filing) and where to go next, shown on the province home page."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import compiled, shortcuts, worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from .access import scope_applications, scope_calls, scope_cultivations, scope_filings
from .models import (
    AdditionState,
    Application,
    ApplicationState,
    Cultivation,
    CultivationOccupation,
    CultivationOccupationState,
    CultivationState,
    CultivationTask,
    Filing,
    OccupationAddition,
    Route,
    TaskKind,
    TaskState,
)

S = ApplicationState


def _review_url(access: ProvinceAccess, query: str) -> str:
    return reverse("filings:review_list", kwargs={"province": access.province.slug}) + query


@worklists.register(Role.CITY_OFFICER)
def city_review_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    qs = scope_applications(access).filter(route=Route.CITY, city_id__in=access.city_ids())
    counts = {
        state: qs.filter(state=state).count() for state in (S.SUBMITTED, S.CITY_REVIEW, S.CITY_SCORING)
    }
    overdue = qs.filter(state__in=[S.SUBMITTED, S.CITY_REVIEW], call__city_review_deadline__lt=timezone.now()).count()
    items = [
        worklists.WorkItem(_("待受理的备案申请"), counts[S.SUBMITTED], _review_url(access, "?unassigned=on")),
        worklists.WorkItem(_("初审中的备案申请"), counts[S.CITY_REVIEW], _review_url(access, "?state=city_review")),
        worklists.WorkItem(_("待评估推荐的申请"), counts[S.CITY_SCORING], _review_url(access, "?state=city_scoring")),
    ]
    if overdue:
        items.append(worklists.WorkItem(_("已超初审期限"), overdue, _review_url(access, "?overdue=on"), urgent=True))
    return [i for i in items if i.count]


# Applications move state with an event on the application, or on their call when selection decides a whole call.
APPLICATION_EVENTS = ("filings.application", "filings.call")


@worklists.register(Role.PROVINCIAL_OFFICER, reads=APPLICATION_EVENTS)
def province_route_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = compiled.count("filings.province_route_items", access, Application, lambda: scope_applications(access).filter(
        route=Route.PROVINCE, state=S.SUBMITTED))
    if not count:
        return []
    return [worklists.WorkItem(_("直接向省申报、待受理的申请"), count, _review_url(access, "?state=submitted"))]


@worklists.register(Role.INSTITUTION_MEMBER)
def applicant_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    mine = Application.objects.in_province(access.province).filter(institution_id__in=access.institution_ids())
    link = reverse("filings:my_applications", kwargs={"province": access.province.slug})
    items = [
        worklists.WorkItem(_("退回补正、待重新提交"), mine.filter(state=S.RETURNED).count(), link, urgent=True),
        worklists.WorkItem(_("未提交的草稿"), mine.filter(state=S.DRAFT).count(), link),
    ]
    in_selection = (OccupationAddition.objects.filter(filing__institution_id__in=access.institution_ids(),
                                                      province=access.province, state=AdditionState.SUBMITTED,
                                                      application__isnull=False).select_related("application"))
    for addition in in_selection:
        items.append(worklists.WorkItem(
            _("新增职业随批次遴选，申请状态：%(state)s") % {"state": addition.application.get_state_display()}, 1,
            reverse("filings:filing_detail", kwargs={"province": access.province.slug, "pk": addition.filing_id})
            + "#additions-heading"))
    return [i for i in items if i.count]


URGENT_DAYS_LEFT = 30


def _list_url(access: ProvinceAccess, query: str = "") -> str:
    return reverse("filings:cultivation_list", kwargs={"province": access.province.slug}) + query


def _detail_url(access: ProvinceAccess, cultivation: Cultivation) -> str:
    return reverse("filings:cultivation_detail", kwargs={"province": access.province.slug, "pk": cultivation.pk})


def _active(access: ProvinceAccess) -> QuerySet[Cultivation]:
    return scope_cultivations(access).filter(state=CultivationState.ACTIVE)


def _tasks(access: ProvinceAccess) -> QuerySet[CultivationTask]:
    return CultivationTask.objects.filter(occupation__cultivation__in=_active(access))


@worklists.register(Role.INSTITUTION_MEMBER)
def organization_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    mine = _active(access).filter(institution_id__in=access.institution_ids()).select_related("institution")
    today = timezone.localdate()
    items: list[worklists.WorkItem] = []
    for cultivation in mine:
        url = _detail_url(access, cultivation)
        if not cultivation.is_signed:
            items.append(worklists.WorkItem(_("待签署培育机构工作承诺书"), 1, url + "#commitment", urgent=True))
        left = cultivation.days_left(today)
        items.append(worklists.WorkItem(_("培育辅导期剩余天数"), left, url, urgent=left <= URGENT_DAYS_LEFT))
    returned = _tasks(access).filter(occupation__cultivation__institution_id__in=access.institution_ids(),
                                     state=TaskState.RETURNED).count()
    if returned:
        items.append(worklists.WorkItem(_("退回修改的试题资源"), returned, _list_url(access), urgent=True))
    return items


# The province's four lines of filings each read their own rows, so that a change to one does not count the others
# again (portal.homecache): a question bank is submitted and reviewed with an event on its task, an active
# cultivation ends with one on the cultivation; an occupation is accepted with one on its cultivation and eliminated
# with one on itself; a filing is reported and published with one on it; an addition moves with one on it.
@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.cultivationtask", "filings.cultivation"))
def question_banks_to_review(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = compiled.count("filings.question_banks_to_review", access, CultivationTask, lambda: _tasks(access).filter(
        kind=TaskKind.QUESTION_BANK, state=TaskState.SUBMITTED))
    return [worklists.WorkItem(_("待评审的试题资源"), count, _list_url(access, "?waiting=review"))] if count else []


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.cultivation", "filings.cultivationoccupation"))
def occupations_to_file(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = compiled.count("filings.occupations_to_file", access, CultivationOccupation, lambda: (
        CultivationOccupation.objects.filter(
            cultivation__in=scope_cultivations(access).filter(state__in=[CultivationState.ACTIVE, CultivationState.ENDED]),
            state=CultivationOccupationState.ACCEPTED)))
    return [worklists.WorkItem(_("已通过验收、待作出备案决定的职业"), count, _list_url(access, "?waiting=file"))
            ] if count else []


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.filing",))
def filings_to_publish(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = compiled.count("filings.filings_to_publish", access, Filing, lambda: scope_filings(access).filter(
        reported_at__isnull=False, published_at__isnull=True))
    url = reverse("filings:filing_list", kwargs={"province": access.province.slug}) + "?unpublished=on"
    return [worklists.WorkItem(_("地市已报送、待公布的评价机构"), count, url)] if count else []


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.occupationaddition",))
def additions_to_decide(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = compiled.count("filings.additions_to_decide", access, OccupationAddition, lambda: (
        OccupationAddition.objects.filter(filing__in=scope_filings(access), state=AdditionState.SUBMITTED,
                                          application__isnull=True)))
    url = reverse("filings:filing_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("待审核的新增职业申请"), count, url)] if count else []


@worklists.register(Role.CITY_OFFICER)
def city_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    to_record = _tasks(access).filter(
        occupation__cultivation__city_id__in=access.city_ids(), occupation__cultivation__commitment_signed_at__isnull=False,
        kind=TaskKind.EXAM_TRAINING, state=TaskState.OPEN,
    ).count()
    to_report = scope_filings(access).filter(city_id__in=access.city_ids(), reported_at__isnull=True).count()
    items = [
        worklists.WorkItem(_("待登记考务培训"), to_record, _list_url(access, "?waiting=training")),
        worklists.WorkItem(_("待向省报送的评价机构"), to_report,
                           reverse("filings:filing_list", kwargs={"province": access.province.slug})),
    ]
    return [i for i in items if i.count]


@worklists.register(Role.INSTITUTION_MEMBER)
def open_calls(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """A call open for applications the organization has not applied to: a new institution learns it can start."""
    applied = Application.objects.in_province(access.province).filter(
        institution_id__in=access.institution_ids()).exclude(state=S.WITHDRAWN).values("call_id")
    calls = scope_calls(access).filter(application_deadline__gte=timezone.now()).exclude(pk__in=applied)
    link = reverse("filings:my_applications", kwargs={"province": access.province.slug})
    return [
        worklists.WorkItem(_("申报批次开放中：%(title)s（%(deadline)s截止），可开始备案申请")
                           % {"title": call.title, "deadline": timezone.localtime(call.application_deadline)
                              .strftime("%Y-%m-%d %H:%M")}, 1, link + "#open-calls", urgent=False)
        for call in calls.order_by("application_deadline")
    ]


def _link(access: ProvinceAccess, name: str, title: str, hint: str) -> shortcuts.Shortcut:
    return shortcuts.Shortcut(title, reverse(name, kwargs={"province": access.province.slug}), hint)


@shortcuts.register(Role.INSTITUTION_MEMBER)
def organization_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "filings:my_applications", _("我的申请"), _("开始或继续备案申请，查看审核进度")),
        _link(access, "filings:my_institution", _("机构信息"), _("查看和更新机构的基本信息与联系人")),
        _link(access, "filings:filing_list", _("我的备案"), _("备案通过后查看备案证明，申请新增职业")),
        _link(access, "filings:cultivation_list", _("培育辅导"), _("培育期内签署承诺书、提交试题资源")),
    ]


@shortcuts.register(Role.CITY_OFFICER)
def city_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "filings:review_list", _("备案申请审核"), _("受理、初审本市机构的备案申请")),
        _link(access, "filings:institution_list", _("机构名单"), _("本市注册的申请机构及其联系人")),
        _link(access, "filings:filing_list", _("备案机构"), _("本市已备案的评价机构，向省报送")),
        _link(access, "filings:cultivation_list", _("培育辅导"), _("登记考务培训，跟踪培育进度")),
    ]


@shortcuts.register(Role.PROVINCIAL_OFFICER)
def province_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "filings:call_list", _("申报批次"), _("发布申报批次，设定截止时间和可申报职业")),
        _link(access, "filings:review_list", _("备案申请审核"), _("直接向省申报的申请和各地市的审核进度")),
        _link(access, "filings:filing_list", _("备案机构"), _("公布评价机构，审核新增职业")),
        _link(access, "filings:cultivation_list", _("培育辅导"), _("评审试题资源，作出备案决定")),
    ]
