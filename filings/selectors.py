"""Reads of filings that views, the API and other apps share: the pack of a province, the facts of an
application as its pack reads them, the pre-check, the checklist status and the changes since the last submission.

This module and filings.services are the app's public face.
"""

from dataclasses import dataclass
from typing import Any

from portal.models import Occupation, Province

from .models import Application, Evidence
from .policies import ApplicationFacts, PolicyPack, RuleResult, evaluate, get_pack
from .policies.base import ChecklistItem, OccupationChoice


def pack_for(province: Province) -> PolicyPack:
    return get_pack(province.policy_pack)


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
