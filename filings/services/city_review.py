"""The city's review of an application: acceptance, return for correction (补正), (not) recommending, and where the
centre decides (Shandong) the city centre's own determination."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.errors import DomainError, InvalidTransition
from portal.models import (
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import users_with_role

from .. import selectors
from ..errors import Codes
from ..models import (
    Application,
    Correction,
    CorrectionItem,
)
from ._common import S, _applicant_link, _require_city_reviewer, _transition


def start_city_review(application: Application, *, acting_user: User) -> Application:
    _require_city_reviewer(acting_user, application)
    return _transition(application, acting_user=acting_user, action="city_review_started",
                       do=lambda a: a.start_city_review(acting_user), allowed=lambda a: a.start_city_review)


@dataclass(frozen=True)
class CorrectionRequest:
    target: str
    target_label: str
    problem: str


def return_application(
    application: Application, *, acting_user: User, items: Sequence[CorrectionRequest], note: str = ""
) -> Correction:
    """Return for correction (补正) with an itemized list; the applicant sees exactly that list."""
    _require_city_reviewer(acting_user, application)
    items = [i for i in items if i.problem.strip()]
    if not items:
        raise DomainError(_("请至少列出一项需要补正的内容，并说明问题。"), code=Codes.CORRECTION_ITEMS_MISSING)
    created: dict[str, Correction] = {}

    def do(locked: Application) -> None:
        locked.return_for_correction()
        number = locked.corrections.count() + 1
        correction = Correction.objects.create(application=locked, round=number, note=note, created_by=acting_user)
        CorrectionItem.objects.bulk_create(
            CorrectionItem(correction=correction, target=i.target, target_label=i.target_label, problem=i.problem.strip())
            for i in items
        )
        created["correction"] = correction

    returned = _transition(
        application, acting_user=acting_user, action="application_returned", do=do,
        allowed=lambda a: a.return_for_correction, reason=note,
        extra_changes={"items": [f"{i.target_label}：{i.problem}" for i in items]},
    )
    notify(
        users_with_role(returned.province, Role.INSTITUTION_MEMBER, institution=returned.institution),
        title=_("备案申请被退回补正：%(n)d项") % {"n": len(items)},
        body="\n".join(f"{n}. {i.target_label}：{i.problem}" for n, i in enumerate(items, start=1)),
        link=_applicant_link(returned), province=returned.province,
    )
    return created["correction"]


def not_recommend_application(application: Application, *, acting_user: User, reason: str) -> Application:
    _require_city_reviewer(acting_user, application)
    if not reason.strip():
        raise DomainError(_("不予推荐必须填写理由。"), code=Codes.REASON_REQUIRED)
    result = _transition(application, acting_user=acting_user, action="application_not_recommended",
                         do=lambda a: a.not_recommend(reason.strip()), allowed=lambda a: a.not_recommend,
                         reason=reason.strip())
    notify(
        users_with_role(result.province, Role.INSTITUTION_MEMBER, institution=result.institution),
        title=_("备案申请不予推荐"), body=reason.strip(), link=_applicant_link(result), province=result.province,
    )
    return result


def pass_city_review(application: Application, *, acting_user: User) -> Application:
    """Basic conditions verified: the application goes on to expert scoring and the city's recommendation."""
    _require_city_reviewer(acting_user, application)
    return _transition(application, acting_user=acting_user, action="city_review_passed",
                       do=lambda a: a.pass_city_review(), allowed=lambda a: a.pass_city_review)


def recommend_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """The city recommends the application to the province (called by selection with the summary table)."""
    _require_city_reviewer(acting_user, application)
    if selectors.centre_decides(application.province):
        raise InvalidTransition(
            _("%(p)s由地市中心自行确定遴选结果，不向省推荐。") % {"p": application.province.name},
            code=Codes.NO_PROVINCIAL_SELECTION)
    return _transition(application, acting_user=acting_user, action="application_recommended",
                       do=lambda a: a.recommend(reason), allowed=lambda a: a.recommend, reason=reason)


def determine_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """Where the centre decides (Shandong, 002 三(二)4): the city centre determines (遴选确定) an application it
    evaluated; it goes on to the city's own publicity, not to the province (called by selection with the table)."""
    _require_city_reviewer(acting_user, application)
    if not selectors.centre_decides(application.province):
        raise InvalidTransition(
            _("%(p)s的申请由省级统一遴选，地市只作推荐。") % {"p": application.province.name},
            code=Codes.PROVINCIAL_SELECTION_REQUIRED)
    if application.state != S.CITY_SCORING:
        raise InvalidTransition(_("申请当前状态为“%(state)s”，不能确定遴选结果。") % {
            "state": application.get_state_display()})
    return _transition(application, acting_user=acting_user, action="application_determined",
                       do=lambda a: a.select(), allowed=lambda a: a.select, reason=reason)
