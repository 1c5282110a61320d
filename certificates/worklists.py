"""What waits for each role in the exam pipeline and where to go next, shown on the province home page."""

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import dashboards, shortcuts, worklists
from portal.models import ObjectionState, Role
from portal.roles import ProvinceAccess

from . import selectors, services
from .access import own_live_filing, scope_changes, scope_plans
from .models import ChangeState, ExamPlan, PlanState, SupervisionVisit

P = PlanState


def _list_url(access: ProvinceAccess, state: str) -> str:
    return reverse("exams:plan_list", kwargs={"province": access.province.slug}) + f"?state={state}"


def _items(access: ProvinceAccess, qs: QuerySet[ExamPlan], wanted: list[tuple[str, str, bool]]
           ) -> list[worklists.WorkItem]:
    """One query: the count of each state of `qs`, as the work items wanted (state, title, urgent)."""
    wanted_states = [state for state, _title, _urgent in wanted]  # through the state indexes, not every plan
    counts = {row["state"]: row["n"] for row in qs.filter(state__in=wanted_states).order_by().values("state")
              .annotate(n=Count("id"))}
    return [worklists.WorkItem(title, counts[state], _list_url(access, state), urgent)
            for state, title, urgent in wanted if counts.get(state)]


@worklists.register(Role.INSTITUTION_MEMBER)
def organization_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    mine = ExamPlan.objects.in_province(access.province).filter(institution_id__in=access.institution_ids())
    items = _items(access, mine, [
        (P.CHANGES_REQUESTED, _("需修改后重新报备的考核计划"), True),
        (P.RESULTS_RETURNED, _("被退回修改的考核结果"), True),
        (P.RESULTS_ENTRY, _("待录入成绩、发布公示的考核"), False),
        (P.DRAFT, _("未报备的考核计划草稿"), False),
        (P.AMENDING, _("变更中、待重新报备的考核计划"), False),
    ])
    objections = mine.filter(state=P.IN_PUBLICITY, publicity_notice__objections__state=ObjectionState.OPEN)
    count = objections.values("publicity_notice__objections").count()
    if count:
        items.append(worklists.WorkItem(_("待答复的结果公示异议"), count, _list_url(access, P.IN_PUBLICITY), True))
    return items


@worklists.register(Role.CITY_OFFICER)
def city_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    qs = scope_plans(access).filter(city_id__in=access.city_ids())
    return _items(access, qs, [
        (P.FILED, _("待确认的考核计划"), False),
        (P.CITY_REVIEW, _("待地市审核的考核结果"), True),
    ])


# A plan moves (filed, changed, its results reviewed, lapsed) with an event on the plan.
@worklists.register(Role.PROVINCIAL_OFFICER, reads=("certificates.examplan",))
def province_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    return _items(access, scope_plans(access), [(P.PROVINCE_REVIEW, _("待省级审核的考核结果"), True)])


# --- certificates ---

@worklists.register(Role.INSTITUTION_MEMBER)
def certificate_organization_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    filing = own_live_filing(access)
    count = selectors.results_to_certify(filing).count() if filing is not None else 0
    url = reverse("certificates:issue", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("待颁发证书的合格人员"), count, url)] if count else []


def _change_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    if not access.is_provincial_officer and services.change_approver_level(access.province) != "city":
        return []  # a Shandong city officer sees the requests but the province decides
    count = scope_changes(access).filter(state=ChangeState.REQUESTED).count()
    url = reverse("certificates:change_list", kwargs={"province": access.province.slug})
    return [worklists.WorkItem(_("待审批的证书撤销与更正"), count, url, urgent=True)] if count else []


worklists.register(Role.CITY_OFFICER)(_change_items)
# A change request is requested, withdrawn, rejected or carried out with an event on its certificate.
worklists.register(Role.PROVINCIAL_OFFICER, reads=("certificates.certificate", "certificates.certificatechange"))(
    _change_items)


def _link(access: ProvinceAccess, name: str, title: str, hint: str) -> shortcuts.Shortcut:
    return shortcuts.Shortcut(title, reverse(name, kwargs={"province": access.province.slug}), hint)


@shortcuts.register(Role.INSTITUTION_MEMBER)
def organization_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "exams:plan_list", _("考核计划"), _("备案后报备考核计划，录入成绩并公示")),
        _link(access, "exams:staff", _("考务人员"), _("维护考评员、督导员及其资质")),
        _link(access, "exams:venues", _("考核场地"), _("维护考核场地和容量")),
        _link(access, "certificates:issue", _("颁发证书"), _("成绩公示结束后为合格人员颁发证书")),
    ]


@shortcuts.register(Role.CITY_OFFICER)
def city_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "exams:plan_list", _("考核计划"), _("确认本市的考核计划，安排督导检查")),
        _link(access, "certificates:registry", _("证书登记簿"), _("查询已颁发的证书")),
    ]


@shortcuts.register(Role.PROVINCIAL_OFFICER)
def province_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "exams:plan_calendar", _("考核日历"), _("全省已报备的考核安排")),
        _link(access, "certificates:registry", _("证书登记簿"), _("查询、注销已颁发的证书")),
        _link(access, "certificates:change_list", _("证书变更"), _("审核证书更正与注销申请")),
    ]


def _my_visits(access: ProvinceAccess) -> QuerySet[SupervisionVisit]:
    return SupervisionVisit.objects.filter(plan__province=access.province, supervisor=access.user,
                                           visit_on__gte=timezone.localdate())


@worklists.register(Role.QUALITY_SUPERVISOR)
def supervisor_visits(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Exam visits given to this supervisor (督导检查), from today on."""
    count = _my_visits(access).count()
    url = reverse("province_home", kwargs={"province": access.province.slug}) + "#exam-visits"
    return [worklists.WorkItem(_("安排给我的考核督导"), count, url)] if count else []


@dashboards.register(Role.QUALITY_SUPERVISOR)
def supervisor_visit_panel(access: ProvinceAccess) -> list[dashboards.Panel]:
    visits = list(_my_visits(access).select_related("plan__institution", "session__venue__city")[:20])
    return [dashboards.Panel(_("考核督导安排"), "certificates/dashboard_visits.html", {"visits": visits})]
