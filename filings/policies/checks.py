"""Rule shapes the province packs share: figures against thresholds, yes/no declarations, occupation scope, the
negative list, evidence and routes.

Every check takes an ApplicationFacts and returns (verdict, reason). A missing or unreadable declaration is
"needs evidence", never a silent pass or fail; a reason quotes the declared value and the threshold. The packs stay
pure Python: the registration-nature and level values of portal.models are repeated here as plain strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .base import ApplicationFacts, OccupationChoice, Route, Verdict

Outcome = tuple[Verdict, str]
Check = Callable[[ApplicationFacts], Outcome]

# portal.models.RegistrationNature values
ENTERPRISE = "enterprise"
SOCIAL_GROUP = "social_group"
PRIVATE_NON_ENTERPRISE = "private_non_enterprise"
PUBLIC_INSTITUTION = "public_institution"
NATURE_LABELS = {
    ENTERPRISE: "企业",
    SOCIAL_GROUP: "社会团体",
    PRIVATE_NON_ENTERPRISE: "民办非企业单位",
    PUBLIC_INSTITUTION: "事业单位",
    "other": "其他",
}
CIVIL_AFFAIRS_NATURES = frozenset({SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE})  # registered with 民政部门

# portal.models.InstitutionLevel values
CITY_LEVEL = "city"
PROVINCE_LEVEL = "province"
CENTRAL_LEVEL = "central"

LEVEL_LABELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}

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
    """A figure as an official writes it: 200, 150.5 (never 2E+2 or 200.00)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | float | int):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return str(number.quantize(Decimal(1)))
        return format(number.normalize(), "f")
    return str(value)


def occupation_label(occupation: OccupationChoice) -> str:
    detail = f"{occupation.code}，{occupation.work_type}" if occupation.work_type else occupation.code
    return f"{occupation.name}（{detail}）"


def level_label(level: int) -> str:
    return LEVEL_LABELS.get(level, f"{level}级")


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
    value: Any, threshold: int | Decimal, *, unit: str, label: str, subject: str = "", field_label: str = ""
) -> Outcome:
    """`subject` (e.g. an occupation) is put before the label in the reason; `field_label` names the figure when it
    is missing (default: `label`)."""
    try:
        number = to_decimal(value)
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, f"{subject}{label}填报值“{value}”无法识别，请填写数字"
    if number is None:
        return Verdict.NEEDS_EVIDENCE, f"{subject}未填报{field_label or label}"
    if number >= Decimal(threshold):
        return Verdict.PASS, f"{subject}{label}{fmt(number)}{unit}，不少于{fmt(threshold)}{unit}"
    return Verdict.FAIL, f"{subject}{label}{fmt(number)}{unit}，少于要求的{fmt(threshold)}{unit}"


def minimum(key: str, threshold: int | Decimal, *, unit: str, label: str, field_label: str = "") -> Check:
    """A declared figure must reach `threshold`."""

    def check(facts: ApplicationFacts) -> Outcome:
        verdict, reason = compare_minimum(
            facts.facts.get(key), threshold, unit=unit, label=label, field_label=field_label
        )
        return verdict, reason + "。"

    return check


def minimum_by_category(key: str, thresholds: Mapping[str, int], *, unit: str, label: str) -> Check:
    """A declared figure whose threshold depends on the applicant category."""

    def check(facts: ApplicationFacts) -> Outcome:
        verdict, reason = compare_minimum(facts.facts.get(key), thresholds[facts.category], unit=unit, label=label)
        return verdict, reason + "。"

    return check


def all_of(items: Sequence[tuple[str, str]], *, lacking: str, ok: str) -> Check:
    """Every (key, label) yes/no declaration must be yes. Fail names what is lacking; needs-evidence what is
    undeclared."""

    def check(facts: ApplicationFacts) -> Outcome:
        values = [(label, to_bool(facts.facts.get(key))) for key, label in items]
        absent = [label for label, value in values if value is False]
        undeclared = [label for label, value in values if value is None]
        if absent:
            reason = f"{lacking}：{'、'.join(absent)}。"
            if undeclared:
                reason += f"另未声明：{'、'.join(undeclared)}。"
            return Verdict.FAIL, reason
        if undeclared:
            return Verdict.NEEDS_EVIDENCE, f"未声明：{'、'.join(undeclared)}。"
        return Verdict.PASS, ok

    return check


def must_not(
    key: str,
    label: str,
    *,
    natures: frozenset[str] | None = None,
    negative_list: bool = True,
) -> Check:
    """A declaration that must be "no" (a negative-list situation). `natures`: the registration natures the
    situation can concern; for any other nature the rule does not apply and passes."""

    def check(facts: ApplicationFacts) -> Outcome:
        if natures is not None and not facts.nature:
            return Verdict.NEEDS_EVIDENCE, f"登记性质未知，无法判断是否存在以下情形：{label}。"
        if natures is not None and facts.nature not in natures:
            nature = NATURE_LABELS.get(facts.nature, facts.nature or "未知")
            return Verdict.PASS, f"登记性质为{nature}，本项不适用。"
        value = to_bool(facts.facts.get(key))
        if value is None:
            return Verdict.NEEDS_EVIDENCE, f"未声明是否存在以下情形：{label}。"
        if value:
            if negative_list:
                return Verdict.FAIL, f"存在负面清单情形：{label}，不得申报。"
            return Verdict.FAIL, f"存在不符合条件的情形：{label}。"
        return Verdict.PASS, f"已声明不存在：{label}。"

    return check


def none_of(items: Sequence[tuple[str, str]]) -> Check:
    """Negative-list declarations that must all be "no"."""

    def check(facts: ApplicationFacts) -> Outcome:
        values = [(label, to_bool(facts.facts.get(key))) for key, label in items]
        present = [label for label, value in values if value is True]
        undeclared = [label for label, value in values if value is None]
        if present:
            return Verdict.FAIL, f"存在负面清单情形：{'、'.join(present)}，不得申报。"
        if undeclared:
            return Verdict.NEEDS_EVIDENCE, f"未声明是否存在以下情形：{'、'.join(undeclared)}。"
        return Verdict.PASS, f"已声明不存在：{'、'.join(label for label, _ in values)}。"

    return check


def registered_in(province_code: str, province_name: str) -> Check:
    """Registered in the province: the region digits of the unified social credit code."""

    def check(facts: ApplicationFacts) -> Outcome:
        code = (facts.registered_province_code or "").strip()
        if not code:
            return Verdict.NEEDS_EVIDENCE, "无法从统一社会信用代码识别登记地，请核对统一社会信用代码。"
        if code == province_code:
            return Verdict.PASS, f"登记地行政区划代码{code}，在{province_name}内依法登记。"
        return Verdict.FAIL, f"登记地行政区划代码为{code}，不在{province_name}（{province_code}）行政区域内登记。"

    return check


def applicable_when(key: str, check: Check, *, question: str, not_applicable: str, default: bool | None = None) -> Check:
    """Run `check` only when the yes/no fact `key` is yes; when it is no, the rule passes as not applicable
    (`not_applicable` says why). `default` is assumed when the fact is not declared (None: needs evidence)."""

    def wrapped(facts: ApplicationFacts) -> Outcome:
        value = to_bool(facts.facts.get(key))
        if value is None:
            value = default
        if value is None:
            return Verdict.NEEDS_EVIDENCE, f"未声明{question}。"
        if not value:
            return Verdict.PASS, not_applicable
        return check(facts)

    return wrapped


# --- evidence ---


def with_documents(check: Check, *documents: tuple[str, str], when: Callable[[ApplicationFacts], bool] | None = None) -> Check:
    """After `check` passes, each (checklist key, label) document must be uploaded (when `when` holds)."""

    def wrapped(facts: ApplicationFacts) -> Outcome:
        verdict, reason = check(facts)
        if verdict != Verdict.PASS or (when is not None and not when(facts)):
            return verdict, reason
        missing = [label for key, label in documents if key not in facts.documents]
        if missing:
            return Verdict.NEEDS_EVIDENCE, f"{reason}请上传{'、'.join(missing)}。"
        return verdict, reason

    return wrapped


# --- occupations ---

OccupationProblem = Callable[[OccupationChoice, ApplicationFacts], Outcome | None]


def each_occupation(problem: OccupationProblem, *, ok: str | Callable[[ApplicationFacts], str]) -> Check:
    """Apply `problem` to every occupation applied for; None means the occupation is fine. Fail lists every failing
    occupation by name and code."""

    def check(facts: ApplicationFacts) -> Outcome:
        if not facts.occupations:
            return Verdict.NEEDS_EVIDENCE, "尚未选择申报职业（工种）。"
        outcomes = [o for o in (problem(occ, facts) for occ in facts.occupations) if o is not None]
        verdict = worst(outcomes)
        if verdict == Verdict.PASS:
            return Verdict.PASS, ok(facts) if callable(ok) else ok
        ordered = [r for v, r in outcomes if v == Verdict.FAIL] + [r for v, r in outcomes if v == Verdict.NEEDS_EVIDENCE]
        return verdict, "；".join(ordered) + "。"

    return check


def per_occupation_minimum(key: str, threshold: int, *, unit: str, label: str, field_label: str = "") -> Check:
    """A per-occupation figure must reach `threshold` for every occupation; the reason names the occupation."""

    def problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
        verdict, reason = compare_minimum(
            occupation_fact(facts, occupation, key), threshold, unit=unit, label=label,
            subject=occupation_label(occupation), field_label=field_label,
        )
        return None if verdict == Verdict.PASS else (verdict, reason)

    def ok(facts: ApplicationFacts) -> str:
        declared = "；".join(
            f"{occupation_label(o)}{fmt(occupation_fact(facts, o, key))}{unit}" for o in facts.occupations
        )
        return f"各申报职业（工种）{label}均不少于{fmt(threshold)}{unit}：{declared}。"

    return each_occupation(problem, ok=ok)


def per_occupation_flag(key: str, label: str, *, ok: str) -> Check:
    """A per-occupation yes/no declaration that must be yes for every occupation."""

    def problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
        value = to_bool(occupation_fact(facts, occupation, key))
        if value is None:
            return Verdict.NEEDS_EVIDENCE, f"{occupation_label(occupation)}未声明是否{label}"
        if not value:
            return Verdict.FAIL, f"{occupation_label(occupation)}不符合：{label}"
        return None

    return each_occupation(problem, ok=ok)


def skill_type_only() -> Check:
    return each_occupation(
        lambda o, _f: None if o.is_skill_type else (Verdict.FAIL, f"{occupation_label(o)}不是技能类职业，不纳入范围"),
        ok="所选职业（工种）均为《中华人民共和国职业分类大典》中的技能类职业。",
    )


def national_standard_only() -> Check:
    return each_occupation(
        lambda o, _f: None
        if o.has_national_standard
        else (Verdict.FAIL, f"{occupation_label(o)}尚无国家职业技能标准，不纳入范围"),
        ok="所选职业（工种）均已有国家职业技能标准。",
    )


def standard_or_norm() -> Check:
    return each_occupation(
        lambda o, _f: None
        if o.has_national_standard or o.has_evaluation_norm
        else (Verdict.FAIL, f"{occupation_label(o)}既无国家职业技能标准，也无经人力资源社会保障部备案的评价规范"),
        ok="所选职业（工种）均有国家职业技能标准或经人力资源社会保障部备案的评价规范。",
    )


def access_type_excluded(*, except_codes: Mapping[str, str] | None = None) -> Check:
    """Access-type (准入类) occupations are excluded, except the codes in `except_codes` (code → name)."""
    allowed = dict(except_codes or {})

    def problem(occupation: OccupationChoice, _facts: ApplicationFacts) -> Outcome | None:
        if not occupation.is_access_type or occupation.code in allowed:
            return None
        suffix = f"，除{'、'.join(allowed.values())}外不纳入范围" if allowed else "，不纳入评价范围"
        return Verdict.FAIL, f"{occupation_label(occupation)}为准入类职业资格职业{suffix}"

    def ok(facts: ApplicationFacts) -> str:
        excepted = [occupation_label(o) for o in facts.occupations if o.is_access_type and o.code in allowed]
        if excepted:
            return f"{'、'.join(excepted)}为准入类职业，按规定可以申报；其余所选职业均非准入类职业。"
        return "所选职业（工种）均非准入类职业资格职业。"

    return each_occupation(problem, ok=ok)


def levels_not_above_training(key: str = "school_training_level", *, label: str = "学校培养层次") -> Check:
    """A school's levels must not be above its training level (培养层次/办学层次): level numbers run 5 (初级工)
    to 1 (高级技师), so an occupation's smallest level number must not be below the school's."""

    def check(facts: ApplicationFacts) -> Outcome:
        try:
            training = to_decimal(facts.facts.get(key))
        except InvalidValue:
            return Verdict.NEEDS_EVIDENCE, f"{label}填报值“{facts.facts.get(key)}”无法识别，请填写1至5级。"
        if training is None or int(training) not in LEVEL_LABELS:
            return Verdict.NEEDS_EVIDENCE, f"未填报{label}（可培养的最高职业技能等级）。"
        school_level = int(training)

        def problem(occupation: OccupationChoice, _facts: ApplicationFacts) -> Outcome | None:
            if not occupation.levels:
                return Verdict.NEEDS_EVIDENCE, f"{occupation_label(occupation)}未选择申报等级"
            highest = min(occupation.levels)
            if highest < school_level:
                return (
                    Verdict.FAIL,
                    f"{occupation_label(occupation)}申报{level_label(highest)}，高于{label}{level_label(school_level)}",
                )
            return None

        return each_occupation(
            problem, ok=f"所选等级均不高于{label}{level_label(school_level)}。"
        )(facts)

    return check
