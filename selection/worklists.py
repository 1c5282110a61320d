"""What waits for each role in selection and where to go next, shown on the province home page."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Application, ApplicationState, Call, Route
from portal import compiled, shortcuts, worklists
from portal.models import City, Role
from portal.roles import ProvinceAccess

from .models import PanelLevel, ScoreSheet, SheetState, SummaryTable, TableState

S = ApplicationState
DEADLINE_WARNING = dt.timedelta(days=3)


@worklists.register(Role.EXPERT)
def sheets_to_score(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = ScoreSheet.objects.filter(panel__province=access.province, expert__user=access.user,
                                      state=SheetState.ASSIGNED).count()
    if not count:
        return []
    return [worklists.WorkItem(_("待填写的评估表"), count,
                               reverse("selection:my_sheets", kwargs={"province": access.province.slug}))]


@worklists.register(Role.CITY_OFFICER)
def tables_to_send(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """One line per call and city whose summary table is not sent yet, urgent near or past the deadline."""
    waiting = (Application.objects.filter(province=access.province, city_id__in=access.city_ids(), route=Route.CITY,
                                          state=S.CITY_SCORING)
               .values("call_id", "city_id").annotate(n=Count("pk")).order_by("call_id", "city_id"))
    sent = set(SummaryTable.objects.filter(province=access.province, state=TableState.SENT)
               .values_list("call_id", "city_id"))
    calls = Call.objects.in_bulk({w["call_id"] for w in waiting})
    cities = dict(City.objects.filter(pk__in={w["city_id"] for w in waiting}).values_list("pk", "code"))
    now = timezone.now()
    items = []
    for w in waiting:
        if (w["call_id"], w["city_id"]) in sent:
            continue
        call = calls[w["call_id"]]
        deadline = timezone.localtime(call.city_review_deadline)
        items.append(worklists.WorkItem(
            _("汇总表待报送：%(call)s（%(d)s前）") % {"call": call.title, "d": deadline.strftime("%Y-%m-%d %H:%M")},
            w["n"], reverse("selection:city_table", kwargs={"province": access.province.slug, "call_pk": call.pk,
                                                  "city": cities[w["city_id"]]}),
            urgent=call.city_review_deadline - now < DEADLINE_WARNING,
        ))
    return items


@worklists.register(Role.PROVINCIAL_OFFICER, reads=("filings.application", "filings.call", "selection"))
def applications_to_assign(access: ProvinceAccess) -> list[worklists.WorkItem]:
    """Recommended applications waiting for the province, and those under review without a provincial expert."""
    has_sheet = ScoreSheet.objects.filter(application=OuterRef("pk"), panel__level=PanelLevel.PROVINCE).exclude(
        state=SheetState.RECUSED)
    count = compiled.count("selection.applications_to_assign", access, Application, lambda: (
        Application.objects.filter(province=access.province)
        .filter(Q(state=S.RECOMMENDED) | Q(state=S.PROVINCE_REVIEW) & ~Exists(has_sheet))))
    if not count:
        return []
    return [worklists.WorkItem(_("待分配省级评审专家的申请"), count,
                               reverse("selection:index", kwargs={"province": access.province.slug}))]


def _link(access: ProvinceAccess, name: str, title: str, hint: str) -> shortcuts.Shortcut:
    return shortcuts.Shortcut(title, reverse(name, kwargs={"province": access.province.slug}), hint)


@shortcuts.register(Role.EXPERT)
def expert_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [_link(access, "selection:my_sheets", _("我的评估表"),
                  _("查看分配给您的申请材料，申报回避，填写并提交评估表"))]


@shortcuts.register(Role.CITY_OFFICER)
def city_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [_link(access, "selection:index", _("遴选评审"), _("组织本市评估专家组，汇总评分并向省推荐"))]


@shortcuts.register(Role.PROVINCIAL_OFFICER)
def province_shortcuts(access: ProvinceAccess) -> list[shortcuts.Shortcut]:
    return [
        _link(access, "selection:index", _("遴选评审"), _("组建省级专家组，抽取专家，审定遴选结果")),
        _link(access, "selection:expert_list", _("专家库"), _("维护省级评审专家及其专业领域")),
    ]
