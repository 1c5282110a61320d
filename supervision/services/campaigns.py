"""Inspection campaigns (双随机、一公开): defining one, publishing its commitment before the draw, the RFC 3797 draw
from the public numbers typed in afterwards, replacing an inspector by the next pick, conflicts, and closing."""

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from filings.models import Filing, FilingStatus
from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError, NotPermitted
from portal.models import City, Institution, Membership, Province, Role, User
from portal.notifications import notify
from portal.roles import has_role
from portal.sweeps import SweepResult, sweep

from ..errors import Codes
from ..models import (
    Campaign,
    CampaignState,
    ChecklistGroup,
    ChecklistItem,
    DrawPick,
    Inspection,
    InspectionState,
    InspectorAssignment,
    InspectorConflict,
    RankingRow,
)
from . import draw

INSPECTOR_ROLES = (Role.QUALITY_SUPERVISOR, Role.EXPERT)
MAX_WEIGHT = 5
WEIGHT_FORMULA = "权重 = 1 + min(4, ⌊风险评分⌋)（风险评分取该机构在本省最近一次排名中的最高值；未排名的机构为1）"


def inspector_code(user_id: int) -> str:
    """How the public sees an inspector: a code, never a name (检查人员编号)."""
    return f"JC-{user_id:05d}"


def organization_label(institution: Institution) -> str:
    return f"{institution.credit_code} {institution.name}"


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def _require_officer(user: User, province: Province, city: City | None) -> None:
    if has_role(user, province, Role.PROVINCIAL_OFFICER):
        return
    if city is not None and has_role(user, province, Role.CITY_OFFICER, city=city):
        return
    raise NotPermitted(_("只有省级经办人员或本市经办人员可以办理抽查任务。"))


def _clean_campaign(data: dict[str, Any], today: dt.date) -> None:
    if not str(data.get("title", "")).strip() or not str(data.get("random_source", "")).strip():
        raise DomainError(_("请填写任务名称和公开随机数来源。"), code=Codes.CAMPAIGN_INVALID, field="title")
    if data["organizations_to_draw"] < 1 or data["inspectors_per_organization"] < 1:
        raise DomainError(_("抽取机构数和检查人员数至少为1。"), code=Codes.CAMPAIGN_INVALID,
                          field="organizations_to_draw")
    if data["inspect_until"] < data["inspect_from"]:
        raise DomainError(_("检查截止日期不能早于开始日期。"), code=Codes.CAMPAIGN_INVALID, field="inspect_until")
    if data["random_source_date"] < today:
        raise DomainError(_("公开随机数必须来自今后的开奖（或其他公开数字），不能使用已经公布的号码。"),
                          code=Codes.CAMPAIGN_INVALID, field="random_source_date")


def create_campaign(province: Province, *, acting_user: User, city: City | None = None,
                    today: dt.date | None = None, **data: Any) -> Campaign:
    """A draft campaign; the announced and own-city rules come from the province's pack."""
    _require_officer(acting_user, province, city)
    if city is None and not has_role(acting_user, province, Role.PROVINCIAL_OFFICER):
        raise NotPermitted(_("地市经办人员只能在本市范围内抽查。"))
    _clean_campaign(data, today or timezone.localdate())
    settings = pack_for(province).settings
    with transaction.atomic():
        campaign = Campaign.objects.create(
            province=province, city=city, created_by=acting_user, announced=settings.inspections_announced,
            own_city_rule=settings.inspector_own_city_excluded, **data)
        record_event(actor=acting_user, action="campaign_created", obj=campaign, province=province,
                     to_state=CampaignState.DRAFT, changes={"title": {"before": None, "after": campaign.title}})
    return campaign


def declare_conflict(province: Province, *, acting_user: User, institution: Institution,
                     reason: str) -> InspectorConflict:
    """An inspector declares a conflict with an organization: they are never drawn for it (from the next commitment)."""
    if not has_role(acting_user, province, *INSPECTOR_ROLES):
        raise NotPermitted(_("只有质量督导员和评审专家可以申报利益冲突。"))
    if institution.province_id != province.pk or not reason.strip():
        raise DomainError(_("请选择本省机构并说明冲突情形。"), code=Codes.CONFLICT_INVALID, field="reason")
    with transaction.atomic():
        conflict, created = InspectorConflict.objects.get_or_create(
            province=province, inspector=acting_user, institution=institution, defaults={"reason": reason.strip()})
        if created:
            record_event(actor=acting_user, action="inspector_conflict_declared", obj=conflict, province=province,
                         changes={"institution": {"before": None, "after": institution.name}})
    return conflict


# --- the commitment (published before the draw) ---

def _frame_filings(campaign: Campaign) -> list[Filing]:
    qs = Filing.objects.in_province(campaign.province).filter(status=FilingStatus.ACTIVE)
    if campaign.city_id:
        qs = qs.filter(city_id=campaign.city_id)
    if campaign.occupation_group:
        code = campaign.occupation_group
        qs = qs.filter(Q(occupations__occupation__code=code) | Q(occupations__occupation__code__startswith=f"{code}-"))
    return list(qs.select_related("institution").distinct().order_by("institution_id"))


def _recently_inspected(campaign: Campaign, today: dt.date) -> set[int]:
    since = _months_before(today, campaign.exclude_months)
    return set(Inspection.objects.filter(province=campaign.province, campaign__drawn_at__date__gte=since)
               .exclude(campaign=campaign).values_list("institution_id", flat=True))


def _weights(campaign: Campaign, institution_ids: list[int]) -> dict[int, tuple[int, float | None]]:
    """Per organization: (weight, risk score) — the highest risk score in its latest ranking rows."""
    if not campaign.weighted:
        return {pk: (1, None) for pk in institution_ids}
    scores: dict[int, float] = {}
    latest = RankingRow.objects.filter(institution_id__in=institution_ids, ranking__province=campaign.province,
                                       risk_score__isnull=False).order_by("institution_id", "-ranking__created_at")
    seen_ranking: dict[int, int] = {}
    for row in latest.values("institution_id", "ranking_id", "risk_score"):
        first = seen_ranking.setdefault(row["institution_id"], row["ranking_id"])
        if first == row["ranking_id"]:
            scores[row["institution_id"]] = max(scores.get(row["institution_id"], 0.0), float(row["risk_score"] or 0))
    return {pk: (1 + min(MAX_WEIGHT - 1, int(scores[pk])) if pk in scores else 1, scores.get(pk))
            for pk in institution_ids}


def _pool(campaign: Campaign) -> list[Membership]:
    memberships = Membership.objects.active().filter(province=campaign.province, role__in=INSPECTOR_ROLES)
    by_user: dict[int, Membership] = {}
    for m in memberships.order_by("user_id", "role"):
        if m.user_id not in by_user or (m.city_id and not by_user[m.user_id].city_id):
            by_user[m.user_id] = m
    return list(by_user.values())


def _ineligible(campaign: Campaign, frame: list[Institution], pool: list[Membership]) -> list[dict[str, str]]:
    user_ids = [m.user_id for m in pool]
    conflicts = set(InspectorConflict.objects.filter(province=campaign.province, inspector_id__in=user_ids,
                                                     institution__in=frame).values_list("institution_id", "inspector_id"))
    rules = []
    for institution in frame:
        for m in pool:
            if (institution.pk, m.user_id) in conflicts:
                rule = "conflict"
            elif campaign.own_city_rule and m.city_id and m.city_id == institution.city_id:
                rule = "own_city"
            else:
                continue
            rules.append({"organization": organization_label(institution), "inspector": inspector_code(m.user_id),
                          "rule": rule})
    return sorted(rules, key=lambda r: (r["organization"], r["inspector"]))


def build_commitment(campaign: Campaign, today: dt.date) -> dict[str, Any]:
    """What is published before the draw: the frame (with weights and exclusions), the pool, the rules, the source."""
    filings = _frame_filings(campaign)
    recent = _recently_inspected(campaign, today)
    frame = sorted({f.institution for f in filings if f.institution_id not in recent}, key=organization_label)
    excluded = sorted({organization_label(f.institution) for f in filings if f.institution_id in recent})
    weights = _weights(campaign, [i.pk for i in frame])
    members: list[dict[str, Any]] = [{"organization": organization_label(i), "id": i.pk, "weight": weights[i.pk][0],
                                      "risk_score": weights[i.pk][1]} for i in frame]
    expanded: list[str] = [m["organization"] for m in members for _ in range(int(m["weight"]))]
    pool = _pool(campaign)
    codes = sorted(inspector_code(m.user_id) for m in pool)
    return {
        "format": draw.FORMAT, "campaign": campaign.title, "province": campaign.province.slug,
        "algorithm": "RFC 3797", "members": members, "frame": expanded, "frame_sha256": draw.list_sha256(expanded),
        "excluded": [{"organization": label, "rule": "recently_inspected"} for label in excluded],
        "pool": codes, "pool_sha256": draw.list_sha256(codes),
        "pool_ids": {inspector_code(m.user_id): m.user_id for m in pool},
        "ineligible_rules": _ineligible(campaign, frame, pool),
        "organizations_to_draw": campaign.organizations_to_draw,
        "inspectors_per_organization": campaign.inspectors_per_organization,
        "weighted": campaign.weighted, "weight_formula": WEIGHT_FORMULA if campaign.weighted else "",
        "exclude_months": campaign.exclude_months, "own_city_rule": campaign.own_city_rule,
        "random_source": campaign.random_source, "random_source_date": campaign.random_source_date.isoformat(),
    }


def _sha256_json(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def publish_commitment(campaign: Campaign, *, acting_user: User, today: dt.date | None = None) -> Campaign:
    """Freeze and publish the frame, pool, rules and random source; from now on the draw can only follow them."""
    _require_officer(acting_user, campaign.province, campaign.city)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state != CampaignState.DRAFT:
            raise DomainError(_("抽取方案已经公示，不能再修改。"), code=Codes.CAMPAIGN_STATE, status=409)
        if locked.random_source_date < today:
            raise DomainError(_("公开随机数的日期已过，请先修改为今后的开奖日期。"), code=Codes.CAMPAIGN_INVALID,
                              field="random_source_date")
        commitment = build_commitment(locked, today)
        if not commitment["frame"]:
            raise DomainError(_("抽查范围内没有可抽取的机构（已排除近期检查过的机构）。"), code=Codes.FRAME_EMPTY)
        locked.commit(commitment=commitment, sha256=_sha256_json(commitment))
        locked.save()
        record_event(actor=acting_user, action="campaign_committed", obj=locked, province=locked.province,
                     from_state=CampaignState.DRAFT, to_state=CampaignState.COMMITTED,
                     changes={"commitment_sha256": {"before": None, "after": locked.commitment_sha256},
                              "frame_sha256": {"before": None, "after": commitment["frame_sha256"]},
                              "pool_sha256": {"before": None, "after": commitment["pool_sha256"]}})
    return locked


# --- the draw ---

def published_data(campaign: Campaign, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """The verifier's input, exactly what the public page offers: commitment, public numbers, replacements."""
    c = campaign.commitment
    replacements = [{"organization": a.pick.organization, "inspector": a.code, "reason": a.replaced_reason}
                    for a in InspectorAssignment.objects.filter(inspection__campaign=campaign,
                                                                replacement_number__isnull=False)
                    .select_related("pick").order_by("replacement_number")]
    if extra:
        replacements.append(extra)
    return {"format": draw.FORMAT, "campaign": campaign.title, "sources": campaign.sources,
            "frame": c["frame"], "organizations_to_draw": c["organizations_to_draw"], "pool": c["pool"],
            "inspectors_per_organization": c["inspectors_per_organization"],
            "ineligible": [[r["organization"], r["inspector"]] for r in c["ineligible_rules"]],
            "replacements": replacements}


def parse_sources(text: str) -> list[list[int]]:
    """One source per line, its numbers separated by spaces or commas (e.g. the red balls, then the blue one)."""
    sources = []
    for line in text.replace("，", ",").splitlines():
        parts = [p for p in line.replace(",", " ").split() if p]
        if not parts:
            continue
        if not all(p.isascii() and p.isdigit() for p in parts):
            raise DomainError(_("随机数只能是非负整数：每行一组，数字之间用空格或逗号分隔。"),
                              code=Codes.SOURCE_INVALID, field="sources")
        sources.append([int(p) for p in parts])
    if not sources:
        raise DomainError(_("请录入公开随机数。"), code=Codes.SOURCE_INVALID, field="sources")
    return sources


def _store_picks(campaign: Campaign, picks: list[draw.Pick], start: int = 0) -> dict[int, DrawPick]:
    rows = DrawPick.objects.bulk_create(
        DrawPick(campaign=campaign, index=p.index, sequence=p.sequence, digest=p.digest, remaining=p.remaining,
                 position=p.position, member=p.member, organization=p.organization) for p in picks[start:])
    return {row.index: row for row in rows}


def _checklist(inspection: Inspection) -> None:
    pack = pack_for(inspection.province)
    with translation.override(settings.LANGUAGE_CODE):  # the checklist is a record: its wording stays Chinese
        basic = [(rule.id, str(rule.text)) for rule in pack.rules_for(inspection.institution.category) if rule.basic]
    items = [(ChecklistGroup.BASIC, key, text) for key, text in basic]
    items += [(ChecklistGroup.EXAM_AFFAIRS, key, text) for key, text in pack.settings.inspection_exam_rules]
    ChecklistItem.objects.bulk_create(
        ChecklistItem(inspection=inspection, position=n, group=group, key=key, text=text)
        for n, (group, key, text) in enumerate(items, start=1))


def _create_inspections(campaign: Campaign, result: draw.Result, rows: dict[int, DrawPick]) -> list[Inspection]:
    ids = {m["organization"]: m["id"] for m in campaign.commitment["members"]}
    institutions = Institution.objects.in_bulk([ids[label] for label in result.organizations])
    cities = dict(Filing.objects.filter(institution_id__in=institutions, status=FilingStatus.ACTIVE)
                  .values_list("institution_id", "city_id"))
    by_org: dict[str, Inspection] = {}
    for order, label in enumerate(result.organizations, start=1):
        institution = institutions[ids[label]]
        by_org[label] = inspection = Inspection.objects.create(
            campaign=campaign, province=campaign.province, institution=institution, draw_order=order,
            city_id=cities.get(institution.pk, institution.city_id), announced=campaign.announced)
        _checklist(inspection)
    users = campaign.commitment["pool_ids"]
    InspectorAssignment.objects.bulk_create(
        InspectorAssignment(inspection=by_org[p.organization], inspector_id=users[p.member], code=p.member,
                            pick=rows[p.index])
        for p in result.picks if p.sequence == draw.INSPECTORS)
    return list(by_org.values())


def draw_campaign(campaign: Campaign, *, acting_user: User, sources: list[list[int]],
                  today: dt.date | None = None) -> Campaign:
    """Record the public numbers and draw, once: the organizations, then each one's inspectors (RFC 3797)."""
    _require_officer(acting_user, campaign.province, campaign.city)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("province").get(pk=campaign.pk)
        if locked.state != CampaignState.COMMITTED:
            raise DomainError(_("该任务已经抽取过（或尚未公示抽取方案），不能重新抽取。"), code=Codes.CAMPAIGN_STATE,
                              status=409)
        if today < locked.random_source_date:
            raise DomainError(_("公开随机数要到%(date)s才产生，请届时录入。") % {"date": locked.random_source_date},
                              code=Codes.SOURCE_NOT_YET)
        locked.draw(sources=sources, key=draw.make_key(sources))
        locked.save()
        result = draw.draw_campaign(published_data(locked))
        inspections = _create_inspections(locked, result, _store_picks(locked, result.picks))
        record_event(actor=acting_user, action="campaign_drawn", obj=locked, province=locked.province,
                     from_state=CampaignState.COMMITTED, to_state=CampaignState.DRAWN,
                     changes={"sources": {"before": None, "after": sources}, "key": {"before": None, "after": locked.key},
                              "organizations": {"before": None, "after": result.organizations}})
    _notify_drawn(locked, inspections)
    return locked


def _notify_drawn(campaign: Campaign, inspections: list[Inspection]) -> None:
    for inspection in inspections:
        link = reverse("supervision:inspection_detail", kwargs={"province": campaign.province.slug,
                                                                "pk": inspection.pk})
        people = [a.inspector for a in inspection.assignments.select_related("inspector")]
        notify(people, title=_("您被抽取为检查人员：%(org)s") % {"org": inspection.institution.name},
               body=campaign.title, link=link, province=campaign.province)


def replace_inspector(assignment: InspectorAssignment, *, acting_user: User, reason: str) -> InspectorAssignment | None:
    """An inspector who cannot go is replaced by the next pick of the same sequence; None if nobody is left."""
    inspection = assignment.inspection
    campaign = inspection.campaign
    _require_officer(acting_user, campaign.province, campaign.city)
    if not reason.strip():
        raise DomainError(_("请说明替换原因。"), code="reason_required", field="reason")
    with transaction.atomic():
        locked_campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        locked = InspectorAssignment.objects.select_for_update().select_related("pick").get(pk=assignment.pk)
        if (locked_campaign.state != CampaignState.DRAWN or locked.replaced_at is not None
                or Inspection.objects.get(pk=inspection.pk).state != InspectionState.SCHEDULED):
            raise DomainError(_("只能替换尚未开展检查的在任检查人员。"), code=Codes.INSPECTOR_NOT_REPLACEABLE,
                              status=409)
        extra = {"organization": locked.pick.organization, "inspector": locked.code, "reason": reason.strip()}
        result = draw.draw_campaign(published_data(locked_campaign, extra))
        known = DrawPick.objects.filter(campaign=locked_campaign).count()
        rows = _store_picks(locked_campaign, result.picks, start=known)
        number = InspectorAssignment.objects.filter(inspection__campaign=locked_campaign,
                                                    replacement_number__isnull=False).count() + 1
        locked.replaced_at, locked.replaced_reason, locked.replacement_number = timezone.now(), reason.strip(), number
        locked.save(update_fields=["replaced_at", "replaced_reason", "replacement_number"])
        new = None
        if rows:
            pick = next(iter(rows.values()))
            new = InspectorAssignment.objects.create(
                inspection=inspection, inspector_id=locked_campaign.commitment["pool_ids"][pick.member],
                code=pick.member, pick=pick)
        record_event(actor=acting_user, action="inspector_replaced", obj=inspection, province=campaign.province,
                     reason=reason.strip(),
                     changes={"inspector": {"before": locked.code, "after": new.code if new else None}})
    return new


# --- closing ---

def close_campaign(campaign: Campaign, *, acting_user: User | None) -> Campaign:
    """End a drawn campaign once every inspection is done; its public page then lists the outcomes (一公开)."""
    if acting_user is not None:
        _require_officer(acting_user, campaign.province, campaign.city)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("province").get(pk=campaign.pk)
        if locked.state != CampaignState.DRAWN:
            raise DomainError(_("只有已抽取的任务可以结束。"), code=Codes.CAMPAIGN_STATE, status=409)
        if locked.inspections.filter(state=InspectionState.SCHEDULED).exists():
            raise DomainError(_("还有检查尚未完成，任务不能结束。"), code=Codes.INSPECTIONS_OPEN, status=409)
        locked.close()
        locked.save()
        record_event(actor=acting_user, action="campaign_closed", obj=locked, province=locked.province,
                     from_state=CampaignState.DRAWN, to_state=CampaignState.CLOSED,
                     reason="" if acting_user else _("检查截止日期已过且检查均已完成（自动结束）"))
    return locked


def _close_if_due(campaign_id: int, today: dt.date) -> bool:
    campaign = Campaign.objects.get(pk=campaign_id)
    # idempotency: a closed campaign, one not yet due, or one with open inspections is left alone
    if campaign.state != CampaignState.DRAWN or campaign.inspect_until >= today or \
            campaign.inspections.filter(state=InspectionState.SCHEDULED).exists():
        return False
    try:
        close_campaign(campaign, acting_user=None)
    except DomainError:
        return False
    return True


def close_due_campaigns(today: dt.date | None = None) -> SweepResult:
    """The beat sweep: close every drawn campaign past its end date whose inspections are all done."""
    today = today or timezone.localdate()
    due = Campaign.objects.filter(state=CampaignState.DRAWN, inspect_until__lt=today)
    return sweep(due, lambda pk: _close_if_due(pk, today))
