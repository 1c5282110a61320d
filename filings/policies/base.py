"""The policy-pack contract: a province's rules as code and data.

A pack declares its applicant categories, the facts its rules read (declared figures, yes/no declarations), its
materials checklist per category, its eligibility rules (basic conditions and the negative list), its scoring rubric
and its settings (periods, thresholds, routes). `evaluate(pack, facts)` returns a verdict for every rule that applies.
A fourth province is a new module in this package that builds a PolicyPack and registers it; nothing else changes.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from importlib import import_module
from typing import Any

from django.utils.translation import get_language, gettext_noop
from django_stubs_ext import StrOrPromise

# A pack's visible wording: a Chinese literal marked for translation (gettext_lazy), shown in the reader's language.
Text = StrOrPromise


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105  符合
    FAIL = "fail"  # 不符合
    NEEDS_EVIDENCE = "needs_evidence"  # 待补充佐证


class FactKind(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"  # a yes/no declaration
    TEXT = "text"


@dataclass(frozen=True)
class Category:
    key: str
    label: str  # Chinese, as in the seed
    description: Text = ""
    label_en: str = ""  # shown in English mode; every pack gives one (tests/filings/test_policies_engine.py)


@dataclass(frozen=True)
class FactField:
    """A declared fact the rules read. `per_occupation` facts are declared once for each occupation applied for."""

    key: str
    label: Text
    kind: FactKind
    unit: Text = ""
    help: Text = ""
    categories: frozenset[str] | None = None  # None: every category
    per_occupation: bool = False
    natures: frozenset[str] | None = None  # registration natures asked (企业, 民办非企业单位 ...); None: every one


@dataclass(frozen=True)
class ChecklistItem:
    """A material (申报材料) to upload; `required` items must be present before submission."""

    key: str
    label: Text
    required: bool = True
    categories: frozenset[str] | None = None
    help: Text = ""


@dataclass(frozen=True)
class OccupationChoice:
    """One occupation applied for, with what the reference data says about it."""

    code: str
    name: str
    levels: tuple[int, ...]
    is_skill_type: bool = True
    has_national_standard: bool = True
    has_evaluation_norm: bool = False
    is_access_type: bool = False
    work_type: str = ""


@dataclass(frozen=True)
class ApplicationFacts:
    """Everything a pack's rules may read about one application (built by filings.selectors from a draft)."""

    category: str
    nature: str  # portal.models.RegistrationNature value
    level: str  # portal.models.InstitutionLevel value
    registered_province_code: str  # first two digits of the registration (from the credit code's region)
    facts: Mapping[str, Any] = field(default_factory=dict)  # declared facts by FactField.key
    occupation_facts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by occupation code
    documents: frozenset[str] = frozenset()  # checklist keys with at least one upload
    occupations: tuple[OccupationChoice, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    text: Text
    source: str
    verdict: Verdict
    reason: str
    basic: bool  # a failed basic condition blocks submission; merit criteria are for scoring


@dataclass(frozen=True)
class Rule:
    """One eligibility rule. `check` returns (verdict, reason in Chinese)."""

    id: str  # e.g. "gd.venue_area"
    text: Text  # the condition in Chinese
    source: str  # seed file and clause, e.g. "000 一(二)1 培训/评价场所"
    reads: tuple[str, ...]  # fact keys, "doc:<checklist key>", or "occupations"
    check: Callable[[ApplicationFacts], tuple[Verdict, str]]
    basic: bool = True
    categories: frozenset[str] | None = None  # None: applies to every category
    negative_list: bool = False  # part of the 负面清单

    def applies_to(self, category: str) -> bool:
        return self.categories is None or category in self.categories


@dataclass(frozen=True)
class RubricCriterion:
    key: str
    label: Text
    max_score: Decimal
    description: Text


@dataclass(frozen=True)
class Route:
    """Where a submitted application goes first."""

    key: str  # "city" or "province"
    label: str


class SelectionBy(StrEnum):
    """Who evaluates and decides a new application (a pack's route after submission)."""

    # Cities review and recommend, the province's experts score, the province selects, its leadership group (领导小组)
    # approves and the province publicises; publicity ended, the pack's next step (cultivation or filing).
    PROVINCE = "province"
    # The centre that received the application (the city's, or the province's for an application filed with it)
    # evaluates (city review and its own experts), decides and publicises itself, then files with the institution code
    # and receipt and reports its list to the province; no provincial selection, no leadership approval.
    CENTRE = "centre"


@dataclass(frozen=True)
class PackSettings:
    publicity_working_days: int = 5  # 公示期（工作日）
    exam_plan_lead_working_days: int = 5  # 考核计划提前报备（工作日）
    result_publicity_working_days: int = 5  # 结果公示（工作日）
    has_cultivation: bool = False  # Guangdong: 培育辅导期
    selection_by: SelectionBy = SelectionBy.PROVINCE  # Shandong: CENTRE (002 三(二)4); see SelectionBy
    cultivation_days: int = 180  # inclusive of the start day
    assigns_institution_code: bool = False  # Shandong: 机构代码 and 回执
    max_occupations: int | None = None  # Shandong: 3
    allowed_levels: tuple[int, ...] = (5, 4, 3, 2, 1)
    city_recommend_min: int | None = None  # Shandong: 2
    city_recommend_max: int | None = None  # Shandong: 8
    filing_validity_years: int = 3
    drop_extremes_min_sheets: int = 5  # with this many sheets or more, drop the highest and lowest totals
    has_renewal: bool = False  # Guizhou: 续期 (PolicyPack.renewal_rules)
    voluntary_exit_notice_days: int | None = None  # Guizhou: 自愿终止退出，提前30日书面申请
    exit_wrap_up_days: int | None = None  # Guizhou: 自动终止后15日内完成收尾
    # Inspections (双随机检查): announced beforehand or not, whether an inspector may be sent to an organization of their
    # own city, rectification deadlines per finding severity (working days), and the exam-affairs rules checked
    # beside the pack's basic conditions.
    inspections_announced: bool = False
    inspector_own_city_excluded: bool = True
    rectification_working_days: tuple[tuple[str, int], ...] = (("minor", 15), ("serious", 10), ("critical", 5))
    inspection_exam_rules: tuple[tuple[str, str], ...] = (
        ("exam.identity", gettext_noop("考生身份核验（人证比对）规范，无替考、冒考")),
        ("exam.rules_posted", gettext_noop("考场规则、考生须知在考场张贴公示")),
        ("exam.staff", gettext_noop("考评人员、监考人员按规定配备、持证上岗并执行回避")),
        ("exam.papers", gettext_noop("试卷（题库）保密管理，领取、启封、回收有记录")),
        ("exam.video", gettext_noop("考场视频监控全程覆盖，录像按规定保存")),
        ("exam.records", gettext_noop("考务档案（签到表、评分记录、成绩单）完整可查")),
        ("exam.fees", gettext_noop("按公示标准收费，无违规收费")),
    )
    # Renewal (续期): the window opens this many days before the last valid day; reminders go out at these days before
    # it; an approved renewal is valid this many years from the day after the old expiry (None: filing_validity_years).
    renewal_window_days: int = 90
    renewal_reminder_days: tuple[int, ...] = (90, 60, 30)
    renewal_validity_years: int | None = None
    # Dormancy (长期未发证): an active filing with no certificate for this many months shows on the provincial
    # worklist for review; None (the default) turns it off.
    dormancy_months: int | None = None
    # Supervision indicators (监督指标) are stored per organization × occupation × each of these periods.
    indicator_periods: tuple[str, ...] = ("quarter", "year")  # supervision.models.PeriodKind values
    # Rankings and fraud flags (排名与真实性疑点): fewer candidates than this are "too few to rank"; a session with
    # this many identical score vectors, or a mobile number shared by this many candidates, is flagged.
    ranking_min_n: int = 30
    duplicate_scores_min: int = 3
    shared_mobile_min: int = 3
    # Default weights of the risk score (风险评分), per signal; a province edits them as new formula versions.
    risk_weights: tuple[tuple[str, float], ...] = (
        ("pass_rate_z", 1.0), ("complaint_z", 1.0), ("non_employment", 2.0), ("mismatch", 1.0), ("open_flags", 0.5),
    )
    # Complaints (投诉): per category (key, label, legal deadline, service norm), both in working days; who handles
    # them ("city": the city supervising the organization, "province"); calendar days after an answer in which the
    # complainant may say they are not satisfied (the complaint then reopens once).
    complaint_categories: tuple[tuple[str, str, int, int], ...] = (
        ("exam_conduct", "考核组织与考风考纪", 15, 10),
        ("fees", "收费问题", 15, 10),
        ("certificate", "证书发放与信息", 10, 5),
        ("training", "培训质量与宣传", 15, 10),
        ("service", "服务态度与其他", 15, 10),
    )
    complaint_routing: str = "city"
    complaint_dissatisfaction_days: int = 15


@dataclass(frozen=True)
class PolicyPack:
    key: str  # e.g. "guangdong"; Province.policy_pack names it
    province_code: str  # "44"
    name: str
    categories: tuple[Category, ...]
    fact_fields: tuple[FactField, ...]
    checklist: tuple[ChecklistItem, ...]
    rules: tuple[Rule, ...]
    rubrics: Mapping[str, tuple[RubricCriterion, ...]]  # by category key
    settings: PackSettings
    commitment_letter: str = ""  # Guangdong 培育机构工作承诺书 text
    integrity_pledge: str = ""  # the pledge confirmed before submission (Shandong annex 1, section 6)
    route: Callable[[ApplicationFacts, bool], Route] | None = None  # (facts, applicant chose province) → route
    # Renewal (续期) of a filing, where the province has it: its own facts, materials and rules, evaluated with
    # evaluate_renewal() on an ApplicationFacts whose occupations are the ones to renew.
    renewal_fact_fields: tuple[FactField, ...] = ()
    renewal_checklist: tuple[ChecklistItem, ...] = ()
    renewal_rules: tuple[Rule, ...] = ()

    def category(self, key: str) -> Category:
        for c in self.categories:
            if c.key == key:
                return c
        raise KeyError(key)

    def category_choices(self) -> list[tuple[str, str]]:
        """(key, label) of each category, the label in English in English mode."""
        english = (get_language() or "").startswith("en")
        return [(c.key, c.label_en if english and c.label_en else c.label) for c in self.categories]

    def fields_for(self, category: str, nature: str | None = None) -> list[FactField]:
        """The facts asked of an applicant of `category` (and, when given, of registration `nature`)."""
        return [f for f in self.fact_fields if (f.categories is None or category in f.categories)
                and (nature is None or f.natures is None or nature in f.natures)]

    def checklist_for(self, category: str) -> list[ChecklistItem]:
        return [i for i in self.checklist if i.categories is None or category in i.categories]

    def rules_for(self, category: str) -> list[Rule]:
        return [r for r in self.rules if r.applies_to(category)]

    def rule(self, rule_id: str) -> Rule:
        for r in (*self.rules, *self.renewal_rules):
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def renewal_rules_for(self, category: str) -> list[Rule]:
        return [r for r in self.renewal_rules if r.applies_to(category)]

    def renewal_fields_for(self, category: str) -> list[FactField]:
        return [f for f in self.renewal_fact_fields if f.categories is None or category in f.categories]

    def renewal_checklist_for(self, category: str) -> list[ChecklistItem]:
        return [i for i in self.renewal_checklist if i.categories is None or category in i.categories]


def _results(rules: list[Rule], facts: ApplicationFacts) -> list[RuleResult]:
    results = []
    english = (get_language() or "").startswith("en")
    for rule in rules:
        verdict, reason = rule.check(facts)
        if english and reason[:1].islower():  # an English reason that opens with a label written for mid-sentence
            reason = reason[0].upper() + reason[1:]
        results.append(RuleResult(rule.id, rule.text, rule.source, verdict, reason, rule.basic))
    return results


def evaluate(pack: PolicyPack, facts: ApplicationFacts) -> list[RuleResult]:
    """The pre-check: every rule of the pack that applies to the category, with its verdict and reason."""
    return _results(pack.rules_for(facts.category), facts)


def evaluate_renewal(pack: PolicyPack, facts: ApplicationFacts) -> list[RuleResult]:
    """The renewal check (续期): every renewal rule of the pack that applies to the category."""
    return _results(pack.renewal_rules_for(facts.category), facts)


def blocking(results: list[RuleResult]) -> list[RuleResult]:
    """The results that block submission: failed basic conditions (including the negative list)."""
    return [r for r in results if r.basic and r.verdict == Verdict.FAIL]


_packs: dict[str, PolicyPack] = {}


def register(pack: PolicyPack) -> PolicyPack:
    _packs[pack.key] = pack
    return pack


# Modules of this package that are not province packs; every other module is one and registers itself on import.
_NOT_PACKS = frozenset({"base", "checks"})


_loaded = False


def _load_packs() -> None:
    """Import every pack module of this package (each registers its pack), so a new province needs no edit here.

    Once per process: packs are code, and listing the package on every lookup cost a directory read per call."""
    global _loaded
    if _loaded:
        return
    package = __name__.rpartition(".")[0]
    for module in pkgutil.iter_modules(import_module(package).__path__):
        if module.name not in _NOT_PACKS and not module.name.startswith("_"):
            import_module(f"{package}.{module.name}")
    _loaded = True


def get_pack(key: str) -> PolicyPack:
    _load_packs()
    try:
        return _packs[key]
    except KeyError:
        raise KeyError(f"No policy pack named {key!r}; known: {sorted(_packs)}") from None


def all_packs() -> list[PolicyPack]:
    _load_packs()
    return list(_packs.values())
