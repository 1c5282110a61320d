"""The selection's publicity (公示): publishing the approved applications, and what the notice's outcome does to them.

`withdraw_after_objection` and `pass_publicity` are registered with portal.publicity in SelectionConfig.ready.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, Call
from portal import publicity as notices
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import PublicityNotice, User
from portal.notifications import notify

from .. import selectors
from ..errors import Codes
from ._common import S, applicants, fresh, require_provincial_officer

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


def _publish_notice(call: Call, applications: list[Application], *, acting_user: User) -> PublicityNotice:
    pack = filing_selectors.pack_for(call.province)
    categories = {k: str(v) for k, v in pack.category_choices()}
    return notices.publish_notice(
        call.province, kind=PUBLICITY_KIND, source=f"filings.call:{call.pk}",
        title=_("%(title)s拟入选名单公示") % {"title": call.title},
        body=_("经评审专家评审和领导小组审定，以下机构拟入选%(title)s，现予公示。公示期为%(n)d个工作日。"
               "如有异议，请在公示期内通过本页面提出，并提供联系方式和必要的证明材料。")
        % {"title": call.title, "n": pack.settings.publicity_working_days},
        items=[publicity_item(a, categories) for a in applications],
        working_days=pack.settings.publicity_working_days, acting_user=acting_user,
    )


def publish_selection(call: Call, *, acting_user: User) -> PublicityNotice:
    """Publish the approved applications of the call for the pack's publicity period (working days)."""
    require_provincial_officer(acting_user, call.province)
    with transaction.atomic():
        applications = list(selectors.with_occupations(
            Application.objects.select_for_update(of=("self",)).filter(call=call, state=S.APPROVED)).order_by("pk"))
        if not applications:
            raise DomainError(_("本批次没有已经领导小组审定、待公示的申请。"), code=Codes.NOTHING_TO_PUBLISH)
        notice = _publish_notice(call, applications, acting_user=acting_user)
        for application in applications:
            filing_services.publish_application(fresh(application), acting_user=acting_user)
        record_event(actor=acting_user, action="selection_published", obj=call, province=call.province,
                     changes={"notice": {"before": None, "after": notice.pk},
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
