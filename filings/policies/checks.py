"""Rule shapes the province packs share: figures against thresholds, yes/no declarations, occupation scope, the
negative list, evidence and routes.

Every check takes an ApplicationFacts and returns (verdict, reason). A missing or unreadable declaration is
"needs evidence", never a silent pass or fail; a reason quotes the declared value and the threshold. The packs stay
pure Python: the registration-nature and level values of portal.models are repeated here as plain strings.

A reason is written when the check runs, in the language of the moment: each sentence is a Chinese msgid with named
placeholders (gettext), lists and clauses are joined with the language's marks (portal.punctuation), so a Chinese
reader gets the sentence of the seed's wording and an English reader an English one (tests/filings/
test_reasons_english.py pins the Chinese sentences and finds any Chinese left in English).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

from portal.punctuation import clauses, enumeration, is_english, labelled, parenthetical, sentence

from .base import ApplicationFacts, ChecklistItem, FactField, FactKind, OccupationChoice, Route, Rule, Text, Verdict

Outcome = tuple[Verdict, str]
Check = Callable[[ApplicationFacts], Outcome]

# portal.models.RegistrationNature values
ENTERPRISE = "enterprise"
SOCIAL_GROUP = "social_group"
PRIVATE_NON_ENTERPRISE = "private_non_enterprise"
PUBLIC_INSTITUTION = "public_institution"
NATURE_LABELS = {
    ENTERPRISE: gettext_noop("企业"),
    SOCIAL_GROUP: gettext_noop("社会团体"),
    PRIVATE_NON_ENTERPRISE: gettext_noop("民办非企业单位"),
    PUBLIC_INSTITUTION: gettext_noop("事业单位"),
    "other": gettext_noop("其他"),
}
CIVIL_AFFAIRS_NATURES = frozenset({SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE})  # registered with 民政部门

# portal.models.InstitutionLevel values
CITY_LEVEL = "city"
PROVINCE_LEVEL = "province"
CENTRAL_LEVEL = "central"

LEVEL_LABELS = {
    5: gettext_noop("五级/初级工"),
    4: gettext_noop("四级/中级工"),
    3: gettext_noop("三级/高级工"),
    2: gettext_noop("二级/技师"),
    1: gettext_noop("一级/高级技师"),
}

CITY_ROUTE = Route("city", "向所在地市申报")
PROVINCE_ROUTE = Route("province", "直接向省申报")

_TRUE = {"true", "1", "yes", "y", "on", "是", "有"}
_FALSE = {"false", "0", "no", "n", "off", "否", "无"}


class InvalidValue(ValueError):
    """A declared figure that is not a number."""


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_decimal(value: Any) -> Decimal | None:
    """A declared figure as a Decimal; None when not declared; InvalidValue when it is not a number."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValue(value) from None
    if not number.is_finite():
        raise InvalidValue(value)
    return number


def to_bool(value: Any) -> bool | None:
    """A yes/no declaration; None when not declared or not readable as yes or no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def fmt(value: Any) -> str:
    """A figure as an official writes it: 200, 150.5 (never 2E+2 or 200.00); yes/no in the reader's language."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal | float | int):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return format(number.normalize(), "f")
    return str(value)


def said(text: object) -> str:
    """A pack's wording in the reader's language: a lazy text as it renders, a plain Chinese literal (marked with
    gettext_noop in its pack) through the catalog."""
    return gettext(str(text)) if text else ""


def quantity(value: Any, unit: Text) -> str:
    """A figure and its unit: 200平方米 / 200 m²."""
    unit = said(unit)
    if is_english() and unit:
        return f"{fmt(value)} {unit}"
    return f"{fmt(value)}{unit}"


def stated(label: Text, value: Any, unit: Text = "") -> str:
    """A declared figure after its label: 上年度营业收入100万元 / Revenue 100 10,000 yuan."""
    separator = " " if is_english() else ""
    return f"{said(label)}{separator}{quantity(value, unit)}"


def about(subject: object) -> str:
    """What a phrase is about, put before it: 电工（…）未填报 / Electrician (…): not declared; empty when none."""
    subject = str(subject)
    return f"{subject}: " if subject and is_english() else subject


def occupation_label(occupation: OccupationChoice) -> str:
    comma = ", " if is_english() else "，"
    detail = f"{occupation.code}{comma}{occupation.work_type}" if occupation.work_type else occupation.code
    return parenthetical(occupation.name, detail)


def level_label(level: int) -> str:
    label = LEVEL_LABELS.get(level)
    return gettext(label) if label else gettext("%(level)s级") % {"level": level}


def nature_label(nature: str) -> str:
    label = NATURE_LABELS.get(nature)
    return gettext(label) if label else (nature or gettext("未知"))


def occupation_fact(facts: ApplicationFacts, occupation: OccupationChoice, key: str) -> Any:
    return facts.occupation_facts.get(occupation.code, {}).get(key)


def worst(outcomes: Iterable[Outcome]) -> Verdict:
    verdicts = {v for v, _ in outcomes}
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if Verdict.NEEDS_EVIDENCE in verdicts:
        return Verdict.NEEDS_EVIDENCE
    return Verdict.PASS


# --- figures and declarations ---


def compare_minimum(
    value: Any, threshold: int | Decimal, *, unit: Text, label: Text, subject: Text = "", field_label: Text = ""
) -> Outcome:
    """`subject` (e.g. an occupation) is put before the label in the reason; `field_label` names the figure when it
    is missing (default: `label`)."""
    lead, label, field_label = about(subject), said(label), said(field_label)
    try:
        number = to_decimal(value)
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, gettext("%(subject)s%(label)s填报值“%(value)s”无法识别，请填写数字") % {
            "subject": lead, "label": label, "value": value}
    if number is None:
        return Verdict.NEEDS_EVIDENCE, gettext("%(subject)s未填报%(label)s") % {
            "subject": lead, "label": field_label or label}
    figures = {"subject": lead, "label": label, "value": quantity(number, unit), "threshold": quantity(threshold, unit)}
    if number >= Decimal(threshold):
        return Verdict.PASS, gettext("%(subject)s%(label)s%(value)s，不少于%(threshold)s") % figures
    return Verdict.FAIL, gettext("%(subject)s%(label)s%(value)s，少于要求的%(threshold)s") % figures


def minimum(key: str, threshold: int | Decimal, *, unit: Text, label: Text, field_label: Text = "") -> Check:
    """A declared figure must reach `threshold`."""

    def check(facts: ApplicationFacts) -> Outcome:
        verdict, reason = compare_minimum(
            facts.facts.get(key), threshold, unit=unit, label=label, field_label=field_label
        )
        return verdict, sentence(reason)

    return check


def minimum_by_category(key: str, thresholds: Mapping[str, int], *, unit: Text, label: Text) -> Check:
    """A declared figure whose threshold depends on the applicant category."""

    def check(facts: ApplicationFacts) -> Outcome:
        verdict, reason = compare_minimum(facts.facts.get(key), thresholds[facts.category], unit=unit, label=label)
        return verdict, sentence(reason)

    return check


def all_of(items: Sequence[tuple[str, Text]], *, lacking: Text, ok: Text) -> Check:
    """Every (key, label) yes/no declaration must be yes. Fail names what is lacking; needs-evidence what is
    undeclared."""

    def check(facts: ApplicationFacts) -> Outcome:
        values = [(label, to_bool(facts.facts.get(key))) for key, label in items]
        absent = [said(label) for label, value in values if value is False]
        undeclared = [said(label) for label, value in values if value is None]
        if absent:
            reason = sentence(labelled(said(lacking), enumeration(absent)))
            if undeclared:
                reason += gettext("另未声明：%(items)s。") % {"items": enumeration(undeclared)}
            return Verdict.FAIL, reason
        if undeclared:
            return Verdict.NEEDS_EVIDENCE, gettext("未声明：%(items)s。") % {"items": enumeration(undeclared)}
        return Verdict.PASS, said(ok)

    return check


def must_not(
    key: str,
    label: Text,
    *,
    natures: frozenset[str] | None = None,
    negative_list: bool = True,
) -> Check:
    """A declaration that must be "no" (a negative-list situation). `natures`: the registration natures the
    situation can concern; for any other nature the rule does not apply and passes."""

    def check(facts: ApplicationFacts) -> Outcome:
        items = said(label)
        if natures is not None and not facts.nature:
            return Verdict.NEEDS_EVIDENCE, gettext("登记性质未知，无法判断是否存在以下情形：%(items)s。") % {"items": items}
        if natures is not None and facts.nature not in natures:
            return Verdict.PASS, gettext("登记性质为%(nature)s，本项不适用。") % {"nature": nature_label(facts.nature)}
        value = to_bool(facts.facts.get(key))
        if value is None:
            return Verdict.NEEDS_EVIDENCE, gettext("未声明是否存在以下情形：%(items)s。") % {"items": items}
        if value:
            if negative_list:
                return Verdict.FAIL, gettext("存在负面清单情形：%(items)s，不得申报。") % {"items": items}
            return Verdict.FAIL, gettext("存在不符合条件的情形：%(items)s。") % {"items": items}
        return Verdict.PASS, gettext("已声明不存在：%(items)s。") % {"items": items}

    return check


def none_of(items: Sequence[tuple[str, Text]]) -> Check:
    """Negative-list declarations that must all be "no"."""

    def check(facts: ApplicationFacts) -> Outcome:
        values = [(said(label), to_bool(facts.facts.get(key))) for key, label in items]
        present = [label for label, value in values if value is True]
        undeclared = [label for label, value in values if value is None]
        if present:
            return Verdict.FAIL, gettext("存在负面清单情形：%(items)s，不得申报。") % {"items": enumeration(present)}
        if undeclared:
            return Verdict.NEEDS_EVIDENCE, gettext("未声明是否存在以下情形：%(items)s。") % {
                "items": enumeration(undeclared)}
        return Verdict.PASS, gettext("已声明不存在：%(items)s。") % {"items": enumeration(label for label, _ in values)}

    return check


def registered_in(province_code: str, province_name: str) -> Check:
    """Registered in the province: the region digits of the unified social credit code. `province_name`: the
    Chinese name, marked with gettext_noop where the pack gives it."""

    def check(facts: ApplicationFacts) -> Outcome:
        code = (facts.registered_province_code or "").strip()
        if not code:
            return Verdict.NEEDS_EVIDENCE, gettext("无法从统一社会信用代码识别登记地，请核对统一社会信用代码。")
        names = {"code": code, "province": gettext(province_name), "province_code": province_code}
        if code == province_code:
            return Verdict.PASS, gettext("登记地行政区划代码%(code)s，在%(province)s内依法登记。") % names
        return Verdict.FAIL, gettext(
            "登记地行政区划代码为%(code)s，不在%(province)s（%(province_code)s）行政区域内登记。") % names

    return check


def applicable_when(key: str, check: Check, *, question: Text, not_applicable: Text, default: bool | None = None) -> Check:
    """Run `check` only when the yes/no fact `key` is yes; when it is no, the rule passes as not applicable
    (`not_applicable` says why). `default` is assumed when the fact is not declared (None: needs evidence)."""

    def wrapped(facts: ApplicationFacts) -> Outcome:
        value = to_bool(facts.facts.get(key))
        if value is None:
            value = default
        if value is None:
            return Verdict.NEEDS_EVIDENCE, gettext("未声明%(question)s。") % {"question": said(question)}
        if not value:
            return Verdict.PASS, said(not_applicable)
        return check(facts)

    return wrapped


# --- evidence ---


def with_documents(check: Check, *documents: tuple[str, Text], when: Callable[[ApplicationFacts], bool] | None = None) -> Check:
    """After `check` passes, each (checklist key, label) document must be uploaded (when `when` holds)."""

    def wrapped(facts: ApplicationFacts) -> Outcome:
        verdict, reason = check(facts)
        if verdict != Verdict.PASS or (when is not None and not when(facts)):
            return verdict, reason
        missing = [said(label) for key, label in documents if key not in facts.documents]
        if missing:
            return Verdict.NEEDS_EVIDENCE, gettext("%(reason)s请上传%(documents)s。") % {
                "reason": reason, "documents": enumeration(missing)}
        return verdict, reason

    return wrapped


# --- occupations ---

OccupationProblem = Callable[[OccupationChoice, ApplicationFacts], Outcome | None]


def each_occupation(problem: OccupationProblem, *, ok: Text | Callable[[ApplicationFacts], str]) -> Check:
    """Apply `problem` to every occupation applied for; None means the occupation is fine. Fail lists every failing
    occupation by name and code."""

    def check(facts: ApplicationFacts) -> Outcome:
        if not facts.occupations:
            return Verdict.NEEDS_EVIDENCE, gettext("尚未选择申报职业（工种）。")
        outcomes = [o for o in (problem(occ, facts) for occ in facts.occupations) if o is not None]
        verdict = worst(outcomes)
        if verdict == Verdict.PASS:
            return Verdict.PASS, ok(facts) if callable(ok) else said(ok)
        ordered = [r for v, r in outcomes if v == Verdict.FAIL] + [r for v, r in outcomes if v == Verdict.NEEDS_EVIDENCE]
        return verdict, sentence(clauses(ordered))

    return check


def per_occupation_minimum(key: str, threshold: int, *, unit: Text, label: Text, field_label: Text = "") -> Check:
    """A per-occupation figure must reach `threshold` for every occupation; the reason names the occupation."""

    def problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
        verdict, reason = compare_minimum(
            occupation_fact(facts, occupation, key), threshold, unit=unit, label=label,
            subject=occupation_label(occupation), field_label=field_label,
        )
        return None if verdict == Verdict.PASS else (verdict, reason)

    def ok(facts: ApplicationFacts) -> str:
        declared = clauses(
            about(occupation_label(o)) + quantity(occupation_fact(facts, o, key), unit) for o in facts.occupations
        )
        return gettext("各申报职业（工种）%(label)s均不少于%(threshold)s：%(declared)s。") % {
            "label": said(label), "threshold": quantity(threshold, unit), "declared": declared}

    return each_occupation(problem, ok=ok)


def per_occupation_flag(key: str, label: Text, *, ok: Text) -> Check:
    """A per-occupation yes/no declaration that must be yes for every occupation."""

    def problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
        value = to_bool(occupation_fact(facts, occupation, key))
        names = {"occupation": occupation_label(occupation), "label": said(label)}
        if value is None:
            return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未声明是否%(label)s") % names
        if not value:
            return Verdict.FAIL, gettext("%(occupation)s不符合：%(label)s") % names
        return None

    return each_occupation(problem, ok=ok)


def skill_type_only() -> Check:
    return each_occupation(
        lambda o, _f: None if o.is_skill_type else (
            Verdict.FAIL, gettext("%(occupation)s不是技能类职业，不纳入范围") % {"occupation": occupation_label(o)}),
        ok=_("所选职业（工种）均为《中华人民共和国职业分类大典》中的技能类职业。"),
    )


def national_standard_only() -> Check:
    return each_occupation(
        lambda o, _f: None
        if o.has_national_standard
        else (Verdict.FAIL, gettext("%(occupation)s尚无国家职业技能标准，不纳入范围") % {
            "occupation": occupation_label(o)}),
        ok=_("所选职业（工种）均已有国家职业技能标准。"),
    )


def standard_or_norm() -> Check:
    return each_occupation(
        lambda o, _f: None
        if o.has_national_standard or o.has_evaluation_norm
        else (Verdict.FAIL, gettext("%(occupation)s既无国家职业技能标准，也无经人力资源社会保障部备案的评价规范") % {
            "occupation": occupation_label(o)}),
        ok=_("所选职业（工种）均有国家职业技能标准或经人力资源社会保障部备案的评价规范。"),
    )


def access_type_excluded(*, except_codes: Mapping[str, Text] | None = None) -> Check:
    """Access-type (准入类) occupations are excluded, except the codes in `except_codes` (code → name)."""
    allowed = dict(except_codes or {})

    def problem(occupation: OccupationChoice, _facts: ApplicationFacts) -> Outcome | None:
        if not occupation.is_access_type or occupation.code in allowed:
            return None
        if allowed:
            return Verdict.FAIL, gettext("%(occupation)s为准入类职业资格职业，除%(allowed)s外不纳入范围") % {
                "occupation": occupation_label(occupation), "allowed": enumeration(said(name) for name in allowed.values())}
        return Verdict.FAIL, gettext("%(occupation)s为准入类职业资格职业，不纳入评价范围") % {
            "occupation": occupation_label(occupation)}

    def ok(facts: ApplicationFacts) -> str:
        excepted = [occupation_label(o) for o in facts.occupations if o.is_access_type and o.code in allowed]
        if excepted:
            return gettext("%(occupations)s为准入类职业，按规定可以申报；其余所选职业均非准入类职业。") % {
                "occupations": enumeration(excepted)}
        return gettext("所选职业（工种）均非准入类职业资格职业。")

    return each_occupation(problem, ok=ok)


TRAINING_LEVEL_LABEL = _("学校培养层次")


def levels_not_above_training(key: str = "school_training_level", *, label: Text = TRAINING_LEVEL_LABEL) -> Check:
    """A school's levels must not be above its training level (培养层次/办学层次): level numbers run 5 (初级工)
    to 1 (高级技师), so an occupation's smallest level number must not be below the school's."""

    def check(facts: ApplicationFacts) -> Outcome:
        try:
            training = to_decimal(facts.facts.get(key))
        except InvalidValue:
            return Verdict.NEEDS_EVIDENCE, gettext("%(label)s填报值“%(value)s”无法识别，请填写1至5级。") % {
                "label": said(label), "value": facts.facts.get(key)}
        if training is None or int(training) not in LEVEL_LABELS:
            return Verdict.NEEDS_EVIDENCE, gettext("未填报%(label)s（可培养的最高职业技能等级）。") % {"label": said(label)}
        school_level = int(training)
        names = {"label": said(label), "school_level": level_label(school_level)}

        def problem(occupation: OccupationChoice, _facts: ApplicationFacts) -> Outcome | None:
            if not occupation.levels:
                return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未选择申报等级") % {
                    "occupation": occupation_label(occupation)}
            highest = min(occupation.levels)
            if highest < school_level:
                return Verdict.FAIL, gettext("%(occupation)s申报%(level)s，高于%(label)s%(school_level)s") % {
                    **names, "occupation": occupation_label(occupation), "level": level_label(highest)}
            return None

        return each_occupation(problem, ok=gettext("所选等级均不高于%(label)s%(school_level)s。") % names)(facts)

    return check


# --- renewal where a seed is silent ---


@dataclass(frozen=True)
class RenewalRules:
    fact_fields: tuple[FactField, ...]
    checklist: tuple[ChecklistItem, ...]
    rules: tuple[Rule, ...]


def default_renewal(prefix: str, seed: str, province: str, min_certificates: int) -> RenewalRules:
    """Renewal where a province's seed is silent on it: good standing declared, the renewal form and a work report
    uploaded, and at least `min_certificates` certificates issued in the period (counted, never typed)."""
    source = f"{seed}（未规定续期条件；政策包默认设置）"
    good_standing = _("有效期内规范开展评价活动，无严重违规失信行为")
    return RenewalRules(
        fact_fields=(
            FactField("renewal_good_standing", good_standing, FactKind.BOOLEAN),
            FactField("certificates_issued_total", _("有效期内核发证书总人数"), FactKind.INTEGER, unit=_("人次")),
        ),
        checklist=(
            ChecklistItem("renewal_form", format_lazy(_("{province}职业技能等级认定机构续期申请表"), province=_(province))),
            ChecklistItem("work_report", _("有效期内职业技能等级认定工作开展情况报告"),
                          help=_("含认定职业（工种）、等级、获证人员明细、质量管控措施等。")),
        ),
        rules=(
            Rule(f"{prefix}.renewal.good_standing", _("有效期内规范开展评价活动，无严重违规失信行为。"), source,
                 ("renewal_good_standing",),
                 all_of((("renewal_good_standing", good_standing),), lacking=_("不符合"),
                        ok=format_lazy(_("已声明：{item}。"), item=good_standing))),
            Rule(f"{prefix}.renewal.certificates_total", format_lazy(_("有效期内核发职业技能等级证书不少于{min_certificates}人次。"), min_certificates=min_certificates), source,
                 ("certificates_issued_total",),
                 minimum("certificates_issued_total", min_certificates, unit=_("人次"), label=_("有效期内核发证书"))),
        ),
    )
