"""Reads of filings that views, the API and other apps share: the pack of a province, the facts of an
application as its pack reads them, the pre-check, the checklist status and the changes since the last submission.

This module and filings.services are the app's public face.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext as _

from portal.models import AuditEvent, Occupation, Province
from portal.punctuation import labelled
from portal.ratelimit import CACHE_UNAVAILABLE

from .models import (
    Application,
    Cultivation,
    CultivationOccupation,
    CultivationTask,
    Evidence,
    Filing,
    FilingOccupation,
    FilingStatus,
    QuestionBankRound,
)
from .policies import (
    ApplicationFacts,
    PolicyPack,
    RuleResult,
    SelectionBy,
    Verdict,
    evaluate,
    evaluate_renewal,
    get_pack,
)
from .policies.base import ChecklistItem, FactField, OccupationChoice, Rule


def pack_for(province: Province) -> PolicyPack:
    return get_pack(province.policy_pack)


def centre_decides(province: Province) -> bool:
    """Whether the centre that received an application evaluates, decides and publicises it itself (Shandong,
    002 三(二)4), rather than the province selecting and its leadership group approving."""
    return pack_for(province).settings.selection_by == SelectionBy.CENTRE


def current_evidence(application: Application) -> list[Evidence]:
    return list(application.evidence.filter(removed_at__isnull=True).order_by("checklist_key", "uploaded_at"))


def application_facts(application: Application) -> ApplicationFacts:
    occupations = list(application.occupations.select_related("occupation", "work_type"))
    return ApplicationFacts(
        category=application.category,
        nature=application.institution.nature,
        level=application.institution.level,
        registered_province_code=application.institution.credit_code[2:4],
        facts=dict(application.facts),
        occupation_facts={o.occupation.code: dict(o.facts) for o in occupations},
        documents=frozenset(
            application.evidence.filter(removed_at__isnull=True).values_list("checklist_key", flat=True)
        ),
        occupations=tuple(
            OccupationChoice(
                code=o.occupation.code,
                name=o.occupation.name,
                levels=tuple(sorted(o.levels, reverse=True)),
                is_skill_type=o.occupation.is_skill_type,
                has_national_standard=o.occupation.has_national_standard,
                has_evaluation_norm=o.occupation.has_evaluation_norm,
                is_access_type=o.occupation.is_access_type,
                work_type=o.work_type.name if o.work_type else "",
            )
            for o in occupations
        ),
    )


def precheck(application: Application) -> list[RuleResult]:
    return evaluate(pack_for(application.province), application_facts(application))


@dataclass(frozen=True)
class ChecklistStatus:
    item: ChecklistItem
    files: list[Evidence]

    @property
    def missing(self) -> bool:
        return self.item.required and not self.files


def checklist_status(application: Application) -> list[ChecklistStatus]:
    pack = pack_for(application.province)
    files = current_evidence(application)
    return [
        ChecklistStatus(item, [f for f in files if f.checklist_key == item.key])
        for item in pack.checklist_for(application.category)
    ]


def _fact_display(fact: FactField, value: Any) -> str:
    if value is None or value == "":
        return str(_("未声明"))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return f"{value}{fact.unit}"


def declared_facts(application: Application) -> list[tuple[str, str]]:
    """The facts declared on the application as (question, answer) lines for reading, in the pack's order: the
    organization's, then each occupation's."""
    fields = pack_for(application.province).fields_for(application.category, application.institution.nature)
    lines = [(str(f.label), _fact_display(f, application.facts.get(f.key))) for f in fields if not f.per_occupation]
    for item in application.occupations.select_related("occupation", "work_type"):
        lines += [(labelled(item, f.label), _fact_display(f, item.facts.get(f.key))) for f in fields if f.per_occupation]
    return lines


def admissible_occupations(application: Application) -> Any:
    """Occupations the call admits (all skill-type ones when the call lists none)."""
    listed = application.call.occupations.all()
    if listed.exists():
        return listed
    return Occupation.objects.skill_type()


def snapshot(application: Application) -> dict[str, Any]:
    """What a submission contains, in a form that can be compared with the next one."""
    return {
        "category": application.category,
        "facts": dict(application.facts),
        "occupations": {
            f"{o.occupation.code}{'/' + o.work_type.name if o.work_type else ''}": {
                "name": str(o), "levels": sorted(o.levels, reverse=True), "facts": dict(o.facts)
            }
            for o in application.occupations.select_related("occupation", "work_type")
        },
        "documents": {
            e.checklist_key: sorted(
                f"{x.original_name} ({x.sha256[:12]})" for x in current_evidence(application)
                if x.checklist_key == e.checklist_key
            )
            for e in current_evidence(application)
        },
    }


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    label: str
    before: Any
    after: Any


def changes_since_previous_submission(application: Application) -> list[Change]:
    """What the latest submission changed compared with the one before it (empty for a first submission)."""
    latest = list(application.submissions.order_by("-number")[:2])
    if len(latest) < 2:
        return []
    after, before = latest[0].snapshot, latest[1].snapshot
    pack = pack_for(application.province)
    labels = {f.key: f.label for f in pack.fact_fields} | {i.key: i.label for i in pack.checklist}
    changes: list[Change] = []
    for section in ("facts", "occupations", "documents"):
        old, new = before.get(section, {}), after.get(section, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(Change(section, key, labels.get(key, key), old.get(key), new.get(key)))
    return changes


# --- cultivations, filings and the public catalog ---

def cultivation_occupations(cultivation: Cultivation) -> list[CultivationOccupation]:
    """The occupations of a cultivation with their tasks, rounds and files, for its page (a fixed number of queries)."""
    rounds = QuestionBankRound.objects.select_related("submitted_by", "reviewed_by").prefetch_related("files")
    return list(
        cultivation.occupations.select_related("occupation", "work_type").prefetch_related(
            Prefetch("tasks", queryset=CultivationTask.objects.select_related("accepted_by").prefetch_related(
                Prefetch("rounds", queryset=rounds)))
        )
    )


def history(obj: models.Model, province: Province) -> QuerySet[AuditEvent]:
    """The audit events of one object (its history), newest first."""
    return AuditEvent.objects.filter(
        province=province, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def catalog(province: Province) -> QuerySet[Filing]:
    """The public catalog (评价机构目录): published filings of every status, so that a suspended or terminated
    organization shows its status instead of disappearing."""
    return (
        Filing.objects.in_province(province).published()
        .select_related("institution", "city")
        .prefetch_related(Prefetch("occupations", queryset=FilingOccupation.objects.select_related("occupation", "work_type")))
        .order_by("city__code", "institution__name", "pk")
    )


def search_catalog(qs: QuerySet[Filing], *, q: str = "", city: str = "", occupation: str = "", status: str = "",
                   category: str = "") -> QuerySet[Filing]:
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(institution__name__icontains=term) | Q(filing_number__icontains=term)
                       | Q(institution_code=term) | Q(institution__credit_code__iexact=term))
    if city:
        qs = qs.filter(city__code=city)
    if occupation.strip():
        term = occupation.strip()
        qs = qs.filter(Exists(FilingOccupation.objects.filter(
            Q(occupation__code__startswith=term) | Q(occupation__name__icontains=term) | Q(work_type__name__icontains=term),
            filing=OuterRef("pk"))))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(institution__category=category)
    return qs


def _line_choice(line: FilingOccupation) -> OccupationChoice:
    occupation = line.occupation
    return OccupationChoice(
        code=occupation.code, name=occupation.name, levels=tuple(sorted(line.levels, reverse=True)),
        is_skill_type=occupation.is_skill_type, has_national_standard=occupation.has_national_standard,
        has_evaluation_norm=occupation.has_evaluation_norm, is_access_type=occupation.is_access_type,
        work_type=line.work_type.name if line.work_type else "",
    )


@dataclass(frozen=True)
class RenewalEvaluation:
    """The pack's renewal rules on a filing's counted certificates: each rule's result, and which scope lines pass
    every per-occupation rule (the others drop out of the renewal while the rest renew)."""

    results: list[RuleResult]
    per_occupation_rules: frozenset[str]
    passing_lines: frozenset[int]


def evaluate_filing_renewal(
    filing: Filing, *, lines: list[FilingOccupation], facts: dict[str, Any], counts: dict[str, int],
    documents: frozenset[str],
) -> RenewalEvaluation:
    """Evaluate the renewal of `lines` of the filing: `counts` are certificates per occupation code, computed by the
    caller from the certificates issued (never typed); `facts` the organization's declarations."""
    institution = filing.institution
    pack = pack_for(filing.province)
    app = ApplicationFacts(
        category=institution.category, nature=institution.nature, level=institution.level,
        registered_province_code=institution.credit_code[2:4],
        facts={**facts, "certificates_issued_total": sum(counts.values())},
        occupation_facts={line.occupation.code: {"certificates_issued": counts.get(line.occupation.code, 0)}
                          for line in lines},
        documents=documents, occupations=tuple(_line_choice(line) for line in lines),
    )
    per_occupation: list[Rule] = [r for r in pack.renewal_rules_for(app.category) if "occupations" in r.reads]
    passing = frozenset(
        line.pk for line in lines
        if all(rule.check(replace(app, occupations=(_line_choice(line),)))[0] != Verdict.FAIL for rule in per_occupation)
    )
    return RenewalEvaluation(evaluate_renewal(pack, app), frozenset(r.id for r in per_occupation), passing)


def renewal_fields(province: Province, category: str) -> list[FactField]:
    return pack_for(province).renewal_fields_for(category)


def renewal_checklist(province: Province, category: str) -> list[ChecklistItem]:
    return pack_for(province).renewal_checklist_for(category)
@dataclass(frozen=True)
class StandingOnDay:
    """Whether a filing was filed and active on a day, with the evidence: its number, validity and status changes."""

    filing_number: str
    organization: str
    valid_from: dt.date
    valid_until: dt.date
    in_validity: bool
    active: bool
    status_label: str
    changes: list[tuple[dt.date, str]]  # (day, status label) of every status change up to that day
    terminated_on: dt.date | None


STANDING_CACHE_SECONDS = 3600  # a filing's history in the cache; dropped at once when the filing or its trail changes


def _standing_key(filing_id: int) -> str:
    return f"filings:standing:{filing_id}"


def forget_standing(filing_id: int) -> None:
    """Drop a filing's cached history (its row or its audit trail changed): now, and again once the change commits,
    so that a read between the two cannot keep the old history."""
    cache.delete(_standing_key(filing_id))
    transaction.on_commit(lambda: cache.delete(_standing_key(filing_id)))


def standing_cache_keys(filing_ids: list[int]) -> list[str]:
    """The cache's own keys (prefix and version applied) of these filings' histories, for a caller that reads them
    in a cache round trip it makes anyway: the public lookup's Redis script. Pass what it read to
    filing_standing_on(cached=…)."""
    return [cache.make_and_validate_key(_standing_key(filing_id)) for filing_id in filing_ids]


def _filing_history(filing_id: int) -> tuple[Any, ...] | None:
    """(number, organization, filed on, valid from, valid until, terminated on, [(at, to_state)…]) of a filing, from
    the cache (the public lookup asks for it on every request) or from its row and audit trail."""
    key = _standing_key(filing_id)
    try:
        history = cache.get(key)
    except CACHE_UNAVAILABLE:  # the lookup answers from the database while the cache is away
        history = None
    if history is not None:
        return tuple(history) if history else None
    filing = Filing.objects.filter(pk=filing_id).select_related("institution").first()
    if filing is None:
        _keep(key, ())
        return None
    events = list(AuditEvent.objects.filter(object_type=Filing._meta.label_lower, object_id=str(filing_id)).exclude(
        to_state="").order_by("at", "id").values_list("at", "to_state"))
    history = (filing.filing_number, filing.institution.name, filing.filed_on, filing.valid_from, filing.valid_until,
               filing.terminated_on, events)
    _keep(key, history)
    return history


def _keep(key: str, history: tuple[Any, ...]) -> None:
    try:
        cache.set(key, history, STANDING_CACHE_SECONDS)
    except CACHE_UNAVAILABLE:
        pass  # read from the database again next time


def filing_standing_on(filing_id: int, day: dt.date, *, cached: Any = None) -> StandingOnDay | None:
    """Was the filing filed and active (有效) on `day`? Active at any moment of the day counts (a certificate issued
    in the morning of the day a suspension began was issued while active). Read from the filing's audit trail, or
    `cached`: the value the caller just read from the cache under standing_cache_keys (None: it was not there)."""
    history = (tuple(cached) if cached else None) if cached is not None else _filing_history(filing_id)
    if history is None:
        return None
    number, organization, filed_on, valid_from, valid_until, terminated_on, events = history
    start = end = FilingStatus.ACTIVE.value
    reinstated_that_day, changes = False, []
    for at, to_state in events:
        on = timezone.localdate(at)
        if on > day:
            break
        if to_state not in FilingStatus.values:
            continue
        changes.append((on, str(FilingStatus(to_state).label)))
        end = to_state
        if on < day:
            start = to_state
        elif to_state == FilingStatus.ACTIVE:
            reinstated_that_day = True
    in_validity = valid_from <= day <= valid_until and filed_on <= day
    return StandingOnDay(
        filing_number=number, organization=organization, valid_from=valid_from, valid_until=valid_until,
        in_validity=in_validity, active=in_validity and (start == FilingStatus.ACTIVE or reinstated_that_day),
        status_label=str(FilingStatus(end).label), changes=changes, terminated_on=terminated_on)


def _after_publicity(pack: PolicyPack) -> str:
    if pack.settings.has_cultivation:
        return gettext("公示期满无异议的，进入培育辅导期。")
    if pack.settings.assigns_institution_code:
        return gettext("公示期满无异议的，赋予机构代码并出具回执，再由地市报省。")
    return gettext("公示期满无异议的，予以备案并出具备案函。")


def next_step(application: Application) -> str:
    """What happens next to an application under way, in words, by its state and its pack's route ("" when none)."""
    pack = pack_for(application.province)
    centre = pack.settings.selection_by == SelectionBy.CENTRE
    by_city = application.route == "city"
    decider = gettext("所在地市职业技能鉴定（指导）中心") if by_city else gettext("省职业技能鉴定指导中心")
    steps: dict[str, str] = {
        "submitted": gettext("下一步：所在地市受理并初审。") if by_city else gettext("下一步：省级受理并组织评审。"),
        "city_review": gettext("下一步：地市初审；需要补正的，会逐项通知您。"),
        "city_scoring": (gettext("下一步：地市中心组织专家技术评估，并自行确定遴选结果，不再报省遴选。") if centre
                         else gettext("下一步：地市组织专家评估，并决定是否向省推荐。")),
        "recommended": gettext("下一步：省级组织专家集中评审。"),
        "province_review": (gettext("下一步：省级中心组织专家技术评估，并确定遴选结果。") if centre
                            else gettext("下一步：省级专家集中评审，确定拟入选名单。")),
        "selected": (gettext("下一步：由%(who)s发布遴选结果公示（%(n)d个工作日），无需领导小组审定。")
                     % {"who": decider, "n": pack.settings.publicity_working_days} if centre
                     else gettext("下一步：报领导小组审定，审定后公示。")),
        "approved": gettext("下一步：发布拟入选名单公示。"),
        "in_publicity": _after_publicity(pack),
        "publicity_ended": _after_publicity(pack),
    }
    return steps.get(application.state, "")
