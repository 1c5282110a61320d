"""The province's moves on an application, driven by selection: review, selection, approval, publicity."""

from django.utils.translation import gettext as _

from portal.errors import DomainError, InvalidTransition
from portal.models import (
    Role,
    User,
)
from portal.notifications import notify
from portal.roles import require_role, users_with_role

from .. import selectors
from ..errors import Codes
from ..models import (
    Application,
)
from ._common import S, _applicant_link, _require_city_reviewer, _require_officer_or_system, _transition


def start_province_review(application: Application, *, acting_user: User | None) -> Application:
    """Recommended by the city (or filed straight with the province): the province's expert review begins."""
    _require_officer_or_system(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="province_review_started",
                       do=lambda a: a.start_province_review(), allowed=lambda a: a.start_province_review)


def select_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """The province selects an application under its review (where the centre decides, the provincial centre
    determines an application filed with it)."""
    require_role(acting_user, application.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    if application.state != S.PROVINCE_REVIEW:
        raise InvalidTransition(_("申请当前状态为“%(state)s”，不能执行该操作。") % {
            "state": application.get_state_display()})
    return _transition(application, acting_user=acting_user, action="application_selected",
                       do=lambda a: a.select(), allowed=lambda a: a.select, reason=reason)


def not_select_application(application: Application, *, acting_user: User | None, reason: str) -> Application:
    """Not selected by the province, or withdrawn from publicity after an upheld objection (reason required)."""
    _require_officer_or_system(acting_user, application.province)
    if not reason.strip():
        raise DomainError(_("未入选必须填写理由。"), code=Codes.REASON_REQUIRED)
    result = _transition(application, acting_user=acting_user, action="application_not_selected",
                         do=lambda a: a.not_select(reason.strip()), allowed=lambda a: a.not_select,
                         reason=reason.strip())
    notify(users_with_role(result.province, Role.INSTITUTION_MEMBER, institution=result.institution),
           title=_("备案申请未入选"), body=reason.strip(), link=_applicant_link(result), province=result.province)
    return result


def approve_application(application: Application, *, acting_user: User, reason: str = "") -> Application:
    """The leadership group (领导小组) approved the selection; the approval record itself is selection's. Not where
    the centre decides (Shandong): there is no leadership approval in that route."""
    require_role(acting_user, application.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))
    if selectors.centre_decides(application.province):
        raise InvalidTransition(_("%(p)s的遴选结果由受理中心确定，无需领导小组审定。") % {"p": application.province.name},
                                code=Codes.NO_PROVINCIAL_SELECTION)
    return _transition(application, acting_user=acting_user, action="application_approved",
                       do=lambda a: a.approve(), allowed=lambda a: a.approve, reason=reason)


def _require_publisher(acting_user: User, application: Application) -> None:
    """Who publicises: the province; where the centre decides, the city centre for an application filed with it."""
    if selectors.centre_decides(application.province) and application.route == "city":
        _require_city_reviewer(acting_user, application)
        return
    require_role(acting_user, application.province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以办理此事项。"))


def publish_application(application: Application, *, acting_user: User) -> Application:
    """Into publicity: approved by the leadership group, or where the centre decides, determined by the centre."""
    _require_publisher(acting_user, application)
    centre = selectors.centre_decides(application.province)
    if application.state == (S.APPROVED if centre else S.SELECTED):
        raise InvalidTransition(
            _("%(p)s的遴选结果由受理中心确定后直接公示。") % {"p": application.province.name} if centre
            else _("拟入选的申请须经领导小组审定后才能公示。"),
            code=Codes.NO_PROVINCIAL_SELECTION if centre else Codes.PROVINCIAL_SELECTION_REQUIRED)
    return _transition(application, acting_user=acting_user, action="application_published",
                       do=lambda a: a.publish(), allowed=lambda a: a.publish)


def end_application_publicity(application: Application, *, acting_user: User | None = None) -> Application:
    """Publicity ended with no upheld objection against this application (a sweep, or an officer)."""
    _require_officer_or_system(acting_user, application.province)
    return _transition(application, acting_user=acting_user, action="publicity_ended",
                       do=lambda a: a.end_publicity(), allowed=lambda a: a.end_publicity)
