"""A pre-check reason reads in the reader's language: English words and marks in English mode, and in Chinese exactly
the sentences the packs gave before their reasons became translatable (tests/filings/data/reasons_zh.json, each
rule's distinct sentences per pack and category).

Every rule of the three packs (eligibility and renewal) runs for every category on a battery of declarations: nothing
declared, unreadable values, everything "no" or nought, everything "yes" or large, with occupations and registrations
that fail each scope rule and ones that pass. The occupations' names and work types are ASCII, so any Chinese left in
an English reason is the portal's own wording.

`PORTAL_RECORD_REASONS=1 pytest tests/filings/test_reasons_english.py` rewrites the Chinese record: only for a
deliberate change of a pack's wording, reviewed in the diff.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

from django.utils import translation

from filings.policies import ApplicationFacts, all_packs
from filings.policies.base import FactKind, OccupationChoice, PolicyPack

RECORD = Path(__file__).parent / "data" / "reasons_zh.json"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

NATURES = ("enterprise", "social_group", "private_non_enterprise", "public_institution", "")

SCOPE_OK = (
    OccupationChoice("4-01-01-01", "Occupation A", (5, 4, 3), work_type="Trade A"),
    OccupationChoice("6-02-03-04", "Occupation B", (4,)),
)
SCOPE_BAD = (
    OccupationChoice("4-01-01-01", "Occupation A", (1, 2), is_skill_type=False, has_national_standard=False,
                     is_access_type=True, work_type="Trade A"),
    OccupationChoice("4-01-05-01", "Occupation C", ()),
    OccupationChoice("6-02-03-04", "Occupation B", (3,), has_national_standard=False, has_evaluation_norm=True,
                     is_access_type=True),
    OccupationChoice("6-05-01-01", "Occupation D", (5,)),
)


def _value(kind: FactKind, state: str) -> Any:
    if state == "unreadable":
        return "abc"
    if kind == FactKind.BOOLEAN:
        return state == "yes"
    if kind in (FactKind.INTEGER, FactKind.DECIMAL):
        return 0 if state == "no" else (3 if state == "yes-small" else 100000)
    return "" if state == "no" else "Text"


def _batteries(pack: PolicyPack, category: str) -> dict[str, ApplicationFacts]:
    fields = [*pack.fields_for(category), *pack.renewal_fields_for(category)]
    documents = frozenset(i.key for i in (*pack.checklist, *pack.renewal_checklist))
    batteries: dict[str, ApplicationFacts] = {
        "empty": ApplicationFacts(category=category, nature="", level="", registered_province_code=""),
    }
    for state in ("unreadable", "no", "yes", "yes-small"):
        for scope_name, occupations in (("scope_ok", SCOPE_OK), ("scope_bad", SCOPE_BAD)):
            for nature in NATURES:
                facts = {f.key: _value(f.kind, state) for f in fields if not f.per_occupation}
                per_occupation = {
                    o.code: {f.key: _value(f.kind, state) for f in fields if f.per_occupation} for o in occupations
                }
                for level in ("city", "province"):
                    batteries[f"{state}/{scope_name}/{nature or 'unknown'}/{level}"] = ApplicationFacts(
                        category=category,
                        nature=nature,
                        level=level,
                        registered_province_code=pack.province_code if state != "no" else "11",
                        facts=facts,
                        occupation_facts=per_occupation,
                        documents=documents if state.startswith("yes") else frozenset(),
                        occupations=occupations,
                    )
    return batteries


def reasons(language: str) -> dict[str, str]:
    """(pack/category/battery/rule id) → reason, every rule of every pack, in `language`."""
    out: dict[str, str] = {}
    with translation.override(language):
        for pack in all_packs():
            for category in pack.categories:
                rules = [*pack.rules_for(category.key), *pack.renewal_rules_for(category.key)]
                for name, facts in _batteries(pack, category.key).items():
                    for rule in rules:
                        _verdict, reason = rule.check(facts)
                        assert isinstance(reason, str), (rule.id, type(reason))
                        out[f"{pack.key}/{category.key}/{name}/{rule.id}"] = reason
    return out


def sentences(got: dict[str, str]) -> dict[str, list[str]]:
    """The distinct sentences each rule gave, per pack and category: the record's shape (every battery's reason is
    one of them, and each of them comes from some battery)."""
    grouped: dict[str, set[str]] = {}
    for key, reason in got.items():
        pack, category, *_battery, rule_id = key.split("/")
        grouped.setdefault(f"{pack}/{category}/{rule_id}", set()).add(reason)
    return {key: sorted(values) for key, values in sorted(grouped.items())}


def test_chinese_reasons_are_the_ones_on_record() -> None:
    got = sentences(reasons("zh-hans"))
    if os.environ.get("PORTAL_RECORD_REASONS"):
        RECORD.parent.mkdir(exist_ok=True)
        RECORD.write_text(json.dumps(got, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert len(recorded) > 250
    changed = [f"{key}\n  was: {recorded.get(key)}\n  now: {got.get(key)}"
               for key in sorted(set(recorded) | set(got)) if recorded.get(key) != got.get(key)]
    assert not changed, f"{len(changed)} rules' Chinese reasons changed:\n" + "\n".join(changed[:30])


def test_every_reason_reads_in_english() -> None:
    got = reasons("en")
    chinese = sorted({f"{key.split('/')[0]} {key.rsplit('/', 1)[1]}: {reason}"
                      for key, reason in got.items() if CJK.search(reason)})
    assert not chinese, f"{len(chinese)} English reasons with Chinese words or marks:\n" + "\n".join(chinese[:60])


def test_the_batteries_reach_every_verdict_of_most_rules() -> None:
    """The record is only as good as the declarations behind it: most rules pass in one battery and do not in
    another, so both sentences of a rule are pinned."""
    verdicts: dict[str, set[str]] = {}
    with translation.override("zh-hans"):
        for pack in all_packs():
            for category in pack.categories:
                rules = [*pack.rules_for(category.key), *pack.renewal_rules_for(category.key)]
                for facts in _batteries(pack, category.key).values():
                    for rule in rules:
                        verdicts.setdefault(rule.id, set()).add(str(rule.check(facts)[0]))
    both = [rule_id for rule_id, seen in verdicts.items() if "pass" in seen and len(seen) > 1]
    assert len(both) >= 0.8 * len(verdicts), sorted(r for r, seen in verdicts.items() if len(seen) < 2)


def test_an_english_reason_opens_with_a_capital_letter() -> None:
    """Labels written for the middle of a sentence ("assessors") may open a reason; the pre-check capitalises it."""
    from filings.policies import evaluate
    from filings.policies.base import ApplicationFacts

    opened = []
    with translation.override("en"):
        for pack in all_packs():
            for category in pack.categories:
                facts = ApplicationFacts(category=category.key, nature="enterprise", level="city",
                                         registered_province_code=pack.province_code, facts={}, occupations=SCOPE_OK)
                opened += [r.reason[:1] for r in evaluate(pack, facts)]
    assert opened and all(not c.islower() for c in opened), sorted(set(opened))
