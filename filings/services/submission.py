"""Submitting (or resubmitting after a correction) and withdrawing an application."""

import functools

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.models import (
    Role,
    User,
)
from portal.notifications import notify
from portal.punctuation import clauses
from portal.roles import require_role, users_with_role

from .. import selectors
from ..errors import Codes
from ..models import (
    Application,
    Correction,
    Route,
    Submission,
)
from ..policies import blocking
from ..policies.base import Route as PackRoute
from ._common import S, _review_link, _transition
from .cultivation import _start_cultivation, enters_cultivation_at_submission
from .drafts import _deadline_message, _resubmission_deadline_message


class SubmissionRefused(DomainError):
    """The draft cannot be submitted yet; `problems` (also in the API body) lists what stands in the way."""

    code = Codes.SUBMISSION_REFUSED

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("申请尚不能提交：") + clauses(problems), problems=[str(p) for p in problems])
        self.problems = problems


def submission_problems(application: Application) -> list[str]:
    """Everything that stands between a draft and its submission, in words the applicant can act on."""
    problems = []
    if not application.occupations.exists():
        problems.append(_("请至少申报一个职业（工种）"))
    for status in selectors.checklist_status(application):
        if status.missing:
            problems.append(_("请上传“%(label)s”") % {"label": status.item.label})
    for result in blocking(selectors.precheck(application)):
        problems.append(_("未满足基本条件【%(rule)s】%(reason)s") % {"rule": result.text.rstrip("。"), "reason": result.reason})
    if application.pledge_confirmed_at is None:
        problems.append(_("请先确认诚信承诺"))
    return problems


def _check_submission_deadline(application: Application) -> None:
    call = application.call
    if application.state == S.RETURNED:
        if timezone.now() > call.city_review_deadline:
            raise DomainError(_resubmission_deadline_message(call), code=Codes.DEADLINE_PASSED)
    elif not call.is_open:
        raise DomainError(_deadline_message(call), code=Codes.DEADLINE_PASSED)


def _route_or_refuse(locked: Application) -> None:
    """Refuse a draft with problems; otherwise choose its route by the province's pack."""
    problems = submission_problems(locked)
    if problems:
        raise SubmissionRefused(problems)
    pack = selectors.pack_for(locked.province)
    route: PackRoute | None = (
        pack.route(selectors.application_facts(locked), locked.prefers_province_route) if pack.route else None
    )
    locked.route = route.key if route else Route.CITY


def _record_submission(locked: Application, *, acting_user: User) -> None:
    locked.submit()
    Submission.objects.create(
        application=locked, number=locked.submission_count, snapshot=selectors.snapshot(locked),
        submitted_by=acting_user,
    )
    Correction.objects.filter(application=locked, resubmitted_at__isnull=True).update(resubmitted_at=timezone.now())


def _notify_submitted(submitted: Application) -> None:
    if submitted.route == Route.CITY:
        officers = users_with_role(submitted.province, Role.CITY_OFFICER, city=submitted.city)
    else:
        officers = users_with_role(submitted.province, Role.PROVINCIAL_OFFICER)
    notify(
        officers,
        title=_("新的备案申请待受理：%(name)s") % {"name": submitted.institution.name},
        body=_("%(name)s 已提交（第%(n)d次），请在初审截止前完成审核。") % {
            "name": submitted.institution.name, "n": submitted.submission_count},
        link=_review_link(submitted), province=submitted.province,
    )


def submit_application(application: Application, *, acting_user: User) -> Application:
    """Submit a draft by the call's deadline, or resubmit a returned application by the city-review deadline (a
    return for correction comes during the city's review, usually after the application deadline).

    A chain-leader unit enters cultivation in the same transaction as its submission: if the cultivation cannot
    start, the application stays as it was and no one is told of a submission that did not happen.
    """
    require_role(acting_user, application.province, Role.INSTITUTION_MEMBER, institution=application.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    _check_submission_deadline(application)
    with transaction.atomic():
        submitted = _transition(
            application, acting_user=acting_user, action="application_submitted",
            do=functools.partial(_record_submission, acting_user=acting_user),
            allowed=lambda a: a.submit, before_save=_route_or_refuse,
        )
        if enters_cultivation_at_submission(submitted):
            _start_cultivation(submitted, actor=acting_user, reason=_("链主培育单位直接进入培育辅导期"))
            submitted.refresh_from_db()
            return submitted
    _notify_submitted(submitted)
    return submitted


def withdraw_application(application: Application, *, acting_user: User, reason: str) -> Application:
    require_role(acting_user, application.institution.province, Role.INSTITUTION_MEMBER, institution=application.institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    withdrawn = _transition(application, acting_user=acting_user, action="application_withdrawn",
                            do=lambda a: a.withdraw(reason), allowed=lambda a: a.withdraw, reason=reason)
    if withdrawn.reviewer:
        notify([withdrawn.reviewer], title=_("申请已撤回：%(name)s") % {"name": withdrawn.institution.name},
               body=reason, link=_review_link(withdrawn), province=withdrawn.province)
    return withdrawn
