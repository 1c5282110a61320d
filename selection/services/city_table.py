"""The city's recommendations and its summary table (汇总表): decided application by application, sent once.

Sending moves the table draft → sent (the SummaryTable transition, guarded by the call's city-review deadline) and
recommends or not each application through filings.services; where the centre decides (Shandong, 002 三(二)4) the
table is the city's own result: each chosen application is determined (遴选确定) and the city publicises it next.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from filings import selectors as filing_selectors, services as filing_services
from filings.models import Application, Call, Route
from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError
from portal.models import City, Role, User
from portal.notifications import notify
from portal.roles import users_with_role

from .. import selectors
from ..errors import Codes
from ..models import SummaryTable, TableRow, TableState
from ._common import S, fresh, link, require_city_officer


def _table_for_update(call: Call, city: City) -> SummaryTable:
    table, _created = SummaryTable.objects.get_or_create(call=call, city=city, defaults={"province": call.province})
    return SummaryTable.objects.select_for_update(of=("self",)).get(pk=table.pk)


def _refuse_if_sent(table: SummaryTable) -> None:
    if table.state == TableState.SENT:
        raise ConflictError(
            _("%(city)s的汇总表已于%(at)s报送，本次操作未作任何更改。") % {
                "city": table.city.name,
                "at": timezone.localtime(table.sent_at).strftime("%Y-%m-%d %H:%M") if table.sent_at else ""},
            code=Codes.TABLE_ALREADY_SENT,
        )


def decide_recommendation(application: Application, *, acting_user: User, recommended: bool, reason: str = "") -> TableRow:
    """The city officer marks an application recommended (reason optional) or not (reason required) on the table."""
    require_city_officer(acting_user, application.city)
    reason = reason.strip()
    if not recommended and not reason:
        raise DomainError(_("不予推荐必须填写理由。"), code=Codes.REASON_REQUIRED)
    with transaction.atomic():
        application = fresh(application)
        if application.route != Route.CITY or application.state != S.CITY_SCORING:
            raise DomainError(
                _("申请当前状态为“%(s)s”，不能作出推荐意见。") % {"s": application.get_state_display()},
                code=Codes.APPLICATION_NOT_IN_CITY_SCORING,
            )
        table = _table_for_update(application.call, application.city)
        _refuse_if_sent(table)
        row, _created = TableRow.objects.get_or_create(table=table, application=application)
        before = {"recommended": row.recommended, "reason": row.reason}
        row.recommended = recommended
        row.reason = reason
        row.decided_by = acting_user
        row.decided_at = timezone.now()
        row.save()
        changes = diff(before, {"recommended": recommended, "reason": reason})
        if changes:
            record_event(actor=acting_user, action="recommendation_decided", obj=application,
                         province=application.province, reason=reason, changes=changes)
    return row


def _check_sendable(table: SummaryTable, call: Call, city: City) -> tuple[list[Application], dict[int, TableRow]]:
    """(the applications on the table, their rows) once the table may be sent: not sent yet, before the deadline,
    not empty, every application decided, the number recommended within the pack's range."""
    _refuse_if_sent(table)
    if not can_proceed(table.send):
        raise DomainError(
            _("本批次地市初审截止时间为%(d)s，已截止，汇总表不能再报送。")
            % {"d": timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")},
            code=Codes.DEADLINE_PASSED,
        )
    applications = list(selectors.with_occupations(
        selectors.city_applications(call, city).filter(state=S.CITY_SCORING)).order_by("pk"))
    if not applications:
        raise DomainError(_("没有待推荐的申请，无需报送汇总表。"), code=Codes.TABLE_EMPTY)
    rows = {r.application_id: r for r in table.rows.select_for_update(of=("self",))}
    undecided = [a.institution.name for a in applications if a.pk not in rows or rows[a.pk].recommended is None]
    if undecided:
        raise DomainError(_("以下申请尚未作出推荐意见：%(n)s。") % {"n": "、".join(undecided)},
                          code=Codes.TABLE_INCOMPLETE)
    _check_recommended_count(call, sum(1 for a in applications if rows[a.pk].recommended))
    return applications, rows


def _check_recommended_count(call: Call, count: int) -> None:
    settings = filing_selectors.pack_for(call.province).settings
    low, high = settings.city_recommend_min, settings.city_recommend_max
    if (low is not None and count < low) or (high is not None and count > high):
        raise DomainError(
            _("%(p)s规定每个地市推荐%(low)s至%(high)s家机构，本表推荐了%(n)d家，请调整后再报送。") % {
                "p": call.province.name, "low": low if low is not None else 0,
                "high": high if high is not None else "—", "n": count},
            code=Codes.RECOMMEND_COUNT_OUT_OF_RANGE,
        )


def _decide_rows(call: Call, city: City, applications: list[Application], rows: dict[int, TableRow],
                 acting_user: User) -> list[selectors.RankedRow]:
    """Record each row's score, rank and sheets, and recommend (or not) its application through filings."""
    overall, _per_occupation = selectors.rankings(selectors.city_panel(call, city), applications)
    for ranked in overall:
        row = rows[ranked.application.pk]
        row.score, row.rank, row.sheets = ranked.aggregate.score, ranked.rank, ranked.aggregate.progress
        row.save(update_fields=["score", "rank", "sheets"])
        if row.recommended and filing_selectors.centre_decides(call.province):
            filing_services.determine_application(ranked.application, acting_user=acting_user, reason=row.reason)
        elif row.recommended:
            filing_services.recommend_application(ranked.application, acting_user=acting_user, reason=row.reason)
        else:
            filing_services.not_recommend_application(ranked.application, acting_user=acting_user,
                                                      reason=row.reason)
    return overall


def send_summary_table(call: Call, city: City, *, acting_user: User) -> SummaryTable:
    """Send the city's summary table to the province before the call's city-review deadline: each recommended
    application is recommended through filings, each other one not recommended with its reason."""
    require_city_officer(acting_user, city)
    with transaction.atomic():
        table = _table_for_update(call, city)
        applications, rows = _check_sendable(table, call, city)
        overall = _decide_rows(call, city, applications, rows, acting_user)
        table.send(acting_user)
        table.save(update_fields=["state", "sent_at", "sent_by"])
        names: dict[bool, list[str]] = {True: [], False: []}
        for ranked in overall:
            names[bool(rows[ranked.application.pk].recommended)].append(ranked.application.institution.name)
        record_event(actor=acting_user, action="summary_table_sent", obj=table, province=call.province,
                     from_state=TableState.DRAFT, to_state=TableState.SENT,
                     changes={"recommended": {"before": None, "after": names[True]},
                              "not_recommended": {"before": None, "after": names[False]}})
    _notify_sent(call, city, applications, names[True])
    return table


def _notify_sent(call: Call, city: City, applications: list[Application], chosen: list[str]) -> None:
    """The province learns of the table: a recommendation to select from, or where the centre decides, the city's
    own result (its publicity follows; the filed list with codes is reported later)."""
    if filing_selectors.centre_decides(call.province):
        notify(users_with_role(call.province, Role.PROVINCIAL_OFFICER),
               title=_("%(city)s已确定遴选结果") % {"city": city.name},
               body=_("%(call)s：确定%(n)d家，未确定%(m)d家；由%(city)s公示后赋予机构代码并报省。") % {
                   "call": call.title, "n": len(chosen), "m": len(applications) - len(chosen), "city": city.name},
               link=link("city_table", call.province, call_pk=call.pk, city=city.code), province=call.province)
        return
    notify(users_with_role(call.province, Role.PROVINCIAL_OFFICER),
           title=_("%(city)s遴选推荐汇总表已报送") % {"city": city.name},
           body=_("%(call)s：推荐%(n)d家，不予推荐%(m)d家。") % {"call": call.title, "n": len(chosen),
                                                              "m": len(applications) - len(chosen)},
           link=link("province_ranking", call.province, call_pk=call.pk), province=call.province)
