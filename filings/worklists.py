"""What waits for each role in filings, shown on the province home page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import worklists
from portal.models import Role
from portal.roles import ProvinceAccess

from .access import scope_applications
from .models import Application, ApplicationState, Route

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


@worklists.register(Role.PROVINCIAL_OFFICER)
def province_route_items(access: ProvinceAccess) -> list[worklists.WorkItem]:
    count = scope_applications(access).filter(route=Route.PROVINCE, state=S.SUBMITTED).count()
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
    return [i for i in items if i.count]
