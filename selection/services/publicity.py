"""The selection's publicity (公示): publishing the approved applications, and what the notice's outcome does to them.

`withdraw_after_objection` and `pass_publicity` are registered with portal.publicity in SelectionConfig.ready.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, Call, Route
from portal import publicity as notices
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import City, PublicityNotice, User
from portal.notifications import notify

from .. import selectors
from ..errors import Codes
from ._common import S, applicants, fresh, require_city_officer, require_provincial_officer

PUBLICITY_KIND = "selection"
APPLICATION_TYPE = "filings.application"


def publicity_item(application: Application, categories: Mapping[str, str]) -> notices.ItemSpec:
    occupations = "；".join(f"{o.occupation.code} {o}（{o.level_labels()}）" for o in application.occupations.all())
    return notices.ItemSpec(
        object_type=APPLICATION_TYPE, object_id=str(application.pk), title=application.institution.name,
        detail=_("%(city)s · %(category)s · 申报职业：%(occupations)s") % {
            "city": application.city.name, "category": categories.get(application.category, application.category),
            "occupations": occupations},
    )


def _publish_notice(call: Call, applications: list[Application], *, acting_user: User,
                    city: City | None = None) -> PublicityNotice:
    pack = filing_selectors.pack_for(call.province)
    categories = {k: str(v) for k, v in pack.category_choices()}
    days = pack.settings.publicity_working_days
    if filing_selectors.centre_decides(call.province):
        centre = _("%(city)s职业技能鉴定（指导）中心") % {"city": city.name} if city else _("省职业技能鉴定指导中心")
        title = _("%(title)s评价机构遴选结果公示（%(centre)s）") % {"title": call.title, "centre": centre}
        body = _("经%(centre)s技术评估，以下机构拟确定为评价机构，现予公示。公示期为%(n)d个工作日。公示期满无异议的，"
                 "赋予机构代码并出具回执。如有异议，请在公示期内通过本页面提出，并提供联系方式和必要的证明材料。") % {
            "centre": centre, "n": days}
    else:
        title = _("%(title)s拟入选名单公示") % {"title": call.title}
        body = _("经评审专家评审和领导小组审定，以下机构拟入选%(title)s，现予公示。公示期为%(n)d个工作日。"
                 "如有异议，请在公示期内通过本页面提出，并提供联系方式和必要的证明材料。") % {"title": call.title, "n": days}
    return notices.publish_notice(
        call.province, kind=PUBLICITY_KIND, source=f"filings.call:{call.pk}" + (f":{city.code}" if city else ""),
        title=title, body=body, items=[publicity_item(a, categories) for a in applications], working_days=days,
        acting_user=acting_user,
    )


def _to_publish(call: Call, acting_user: User, city: City | None) -> list[Application]:
    """The applications this publisher publicises, locked: the province's approved ones; where the centre decides,
    the city centre's determined ones (city given) or the provincial centre's (applications filed with it)."""
    qs = Application.objects.select_for_update(of=("self",)).filter(call=call)
    if not filing_selectors.centre_decides(call.province):
        require_provincial_officer(acting_user, call.province)
        qs = qs.filter(state=S.APPROVED)
    elif city is not None:
        require_city_officer(acting_user, city)
        qs = qs.filter(state=S.SELECTED, route=Route.CITY, city=city)
    else:
        require_provincial_officer(acting_user, call.province)
        qs = qs.filter(state=S.SELECTED, route=Route.PROVINCE)
    applications = list(selectors.with_occupations(qs).order_by("pk"))
    if not applications:
        raise DomainError(_("没有已确定、待公示的申请。") if filing_selectors.centre_decides(call.province)
                          else _("本批次没有已经领导小组审定、待公示的申请。"), code=Codes.NOTHING_TO_PUBLISH)
    return applications


def publish_selection(call: Call, *, acting_user: User, city: City | None = None) -> PublicityNotice:
    """Publish the call's chosen applications for the pack's publicity period (working days): the province's
    approved ones, or where the centre decides (Shandong, 002 三(二)4) those the city centre (city given) or the
    provincial centre determined — with no leadership approval before."""
    if city is not None and city.province_id != call.province_id:
        raise DomainError(_("地市不属于本省。"), code=Codes.NOTHING_TO_PUBLISH)
    with transaction.atomic():
        applications = _to_publish(call, acting_user, city)
        notice = _publish_notice(call, applications, acting_user=acting_user, city=city)
        for application in applications:
            filing_services.publish_application(fresh(application), acting_user=acting_user)
        record_event(actor=acting_user, action="selection_published", obj=call, province=call.province,
                     changes={"notice": {"before": None, "after": notice.pk},
                              "city": {"before": None, "after": city.code if city else ""},
                              "period": {"before": None, "after": f"{notice.starts_on}—{notice.ends_on}"}})
    for application in applications:
        notify(applicants(application), title=_("遴选结果公示中"),
               body=_("%(name)s已列入《%(notice)s》，公示期%(start)s至%(end)s。") % {
                   "name": application.institution.name, "notice": notice.title,
                   "start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()},
               link=reverse("public_notice", kwargs={"province": call.province.slug, "pk": notice.pk}),
               province=call.province)
    return notice


def _item_application(item: Any) -> Application | None:
    if item.object_type != APPLICATION_TYPE:
        return None
    return Application.objects.select_related("province", "call", "institution", "city").filter(
        pk=int(item.object_id)).first()


def withdraw_after_objection(item: Any, *, reason: str, acting_user: User) -> None:
    """An objection was upheld: the application is withdrawn from publicity and not selected, with the reason."""
    application = _item_application(item)
    if application is None or application.state != S.IN_PUBLICITY:
        return
    filing_services.not_select_application(application, acting_user=acting_user,
                                           reason=_("公示期间异议成立：%(r)s") % {"r": reason})


def pass_publicity(notice: Any, items: Sequence[Any], *, acting_user: User | None) -> None:
    """The period ended without an upheld objection: each application moves to publicity_ended, then on to its
    pack's next step (filings.services.advance_after_publicity: Guangdong's cultivation, Shandong's filing)."""
    for item in items:
        application = _item_application(item)
        if application is None or application.state != S.IN_PUBLICITY:
            continue
        ended = filing_services.end_application_publicity(application, acting_user=acting_user)
        filing_services.advance_after_publicity(ended, acting_user=acting_user)
