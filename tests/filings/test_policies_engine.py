"""The policy-pack engine and the contract every pack keeps: evaluate, blocking, rules_for, registry, rubrics, the
consistency of declared facts, checklist keys and rule reads — and that every rule has its two tests."""

import importlib
import re
from dataclasses import replace
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

from filings.policies import all_packs, blocking, evaluate, evaluate_renewal, get_pack
from filings.policies.base import (
    ApplicationFacts,
    Category,
    PackSettings,
    PolicyPack,
    Rule,
    RuleResult,
    Verdict,
)
from filings.policies.checks import fmt, to_bool, to_decimal

PACKS = all_packs()
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PACK_KEYS = ["guangdong", "shandong", "guizhou"]
# what a rule may read besides declared facts and checklist documents
BUILT_IN_READS = {"occupations", "nature", "level", "registered_province_code", "category"}


def pack_tests(pack: PolicyPack) -> ModuleType:
    """The test module of a pack: tests/filings/test_policies_<pack key>.py."""
    return importlib.import_module(f"{__package__}.test_policies_{pack.key}")


def all_rules(pack: PolicyPack) -> list[Rule]:
    return [*pack.rules, *pack.renewal_rules]


def _test_name(rule_id: str, outcome: str) -> str:
    return f"test_{rule_id.replace('.', '_')}_{outcome}"


# --- every rule has a test that passes it and one that fails it ---


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_every_rule_has_a_passing_and_a_failing_test(pack_key: str) -> None:
    pack = get_pack(pack_key)
    module = pack_tests(pack)

    missing = [
        name
        for rule in all_rules(pack)
        for name in (_test_name(rule.id, "passes"), _test_name(rule.id, "fails"))
        if not callable(getattr(module, name, None))
    ]

    assert missing == [], f"{module.__name__} lacks tests for: {missing}"


# --- the registry ---


def test_the_three_packs_are_registered_with_their_province_codes() -> None:
    assert {p.key: p.province_code for p in PACKS} == {"guangdong": "44", "shandong": "37", "guizhou": "52"}
    assert get_pack("guangdong").name == "广东省"


def test_an_unknown_pack_is_a_key_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="guangdong"):
        get_pack("hunan")


# --- the contract every pack keeps ---


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_rule_ids_are_unique_and_share_the_pack_prefix(pack_key: str) -> None:
    pack = get_pack(pack_key)
    ids = [r.id for r in all_rules(pack)]
    prefixes = {i.split(".")[0] for i in ids}

    assert len(ids) == len(set(ids))
    assert len(prefixes) == 1
    assert all(_test_name(i, "passes").isidentifier() for i in ids)


def test_pack_prefixes_differ() -> None:
    prefixes = [all_rules(p)[0].id.split(".")[0] for p in PACKS]
    assert len(prefixes) == len(set(prefixes))


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_every_rule_has_text_and_cites_a_seed(pack_key: str) -> None:
    for rule in all_rules(get_pack(pack_key)):
        assert rule.text.strip(), rule.id
        assert rule.source[:3] in {"000", "001", "002", "003", "004"}, rule.id
        assert rule.basic or not rule.negative_list, rule.id  # the negative list always blocks


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_keys_are_unique_and_categories_exist(pack_key: str) -> None:
    pack = get_pack(pack_key)
    categories = {c.key for c in pack.categories}
    fields = [*pack.fact_fields, *pack.renewal_fact_fields]
    items = [*pack.checklist, *pack.renewal_checklist]

    assert len(categories) == len(pack.categories)
    assert len({f.key for f in fields}) == len(fields)
    assert len({i.key for i in items}) == len(items)
    for thing in (*fields, *items, *all_rules(pack)):
        assert thing.categories is None or thing.categories <= categories, thing


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_every_fact_field_has_a_chinese_label(pack_key: str) -> None:
    for field in (*get_pack(pack_key).fact_fields, *get_pack(pack_key).renewal_fact_fields):
        assert field.label and not field.label.isascii(), field.key


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_rules_read_only_declared_facts_and_checklist_documents(pack_key: str) -> None:
    pack = get_pack(pack_key)
    fields = {f.key for f in (*pack.fact_fields, *pack.renewal_fact_fields)}
    documents = {i.key for i in (*pack.checklist, *pack.renewal_checklist)}

    unknown = [
        (rule.id, read)
        for rule in all_rules(pack)
        for read in rule.reads
        if not (
            read in BUILT_IN_READS
            or read in fields
            or (read.startswith("doc:") and read.removeprefix("doc:") in documents)
        )
    ]

    assert unknown == []


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_every_declared_fact_is_read_by_a_rule_or_the_route(pack_key: str) -> None:
    pack = get_pack(pack_key)
    read = {r for rule in all_rules(pack) for r in rule.reads}
    route_facts = {"provincial_department_recommended", "filed_with_mohrss", "is_chain_leader"}

    unread = [f.key for f in (*pack.fact_fields, *pack.renewal_fact_fields) if f.key not in read | route_facts]

    assert unread == []


def _compliant_cases() -> list[tuple[str, str]]:
    return [(p.key, c.key) for p in PACKS for c in p.categories]


def _without_fact(app: ApplicationFacts, key: str) -> ApplicationFacts:
    return replace(
        app,
        facts={k: v for k, v in app.facts.items() if k != key},
        occupation_facts={
            code: {k: v for k, v in facts.items() if k != key} for code, facts in app.occupation_facts.items()
        },
    )


@pytest.mark.parametrize(("pack_key", "category"), _compliant_cases())
def test_a_rule_does_not_depend_on_what_it_does_not_declare_it_reads(pack_key: str, category: str) -> None:
    """Take the fully compliant application and remove, one at a time, every fact and document a rule does not list
    in its `reads`: the rule must still pass. This keeps `reads` (shown to officers beside the evidence) honest."""
    pack = get_pack(pack_key)
    app = pack_tests(pack).compliant(category)
    fact_keys = set(app.facts) | {k for facts in app.occupation_facts.values() for k in facts}

    surprises = []
    for rule in pack.rules_for(category):
        for key in fact_keys - set(rule.reads):
            if rule.check(_without_fact(app, key))[0] != Verdict.PASS:
                surprises.append((rule.id, key))
        for doc in app.documents:
            if f"doc:{doc}" not in rule.reads and rule.check(replace(app, documents=app.documents - {doc}))[0] != Verdict.PASS:
                surprises.append((rule.id, f"doc:{doc}"))

    assert surprises == []


@pytest.mark.parametrize(("pack_key", "category"), _compliant_cases())
def test_the_compliant_application_only_declares_facts_of_its_category(pack_key: str, category: str) -> None:
    pack = get_pack(pack_key)
    app = pack_tests(pack).compliant(category)
    fields = {f.key: f for f in pack.fields_for(category)}

    assert set(app.facts) - {k for k, f in fields.items() if not f.per_occupation} == set()
    for facts in app.occupation_facts.values():
        assert set(facts) - {k for k, f in fields.items() if f.per_occupation} == set()


@pytest.mark.parametrize(("pack_key", "category"), _compliant_cases())
def test_an_empty_draft_is_never_a_silent_pass_of_a_basic_condition(pack_key: str, category: str) -> None:
    """Nothing declared, nothing uploaded: rules either need evidence, or pass only as "not applicable"."""
    pack = get_pack(pack_key)
    empty = ApplicationFacts(category=category, nature="", level="city", registered_province_code="")

    passed = [r for r in evaluate(pack, empty) if r.verdict == Verdict.PASS]

    assert all("不适用" in r.reason for r in passed), [(r.rule_id, r.reason) for r in passed]
    assert blocking(evaluate(pack, empty)) == []  # missing declarations need evidence; they do not fail


# --- rubrics ---


@pytest.mark.parametrize(("pack_key", "category"), _compliant_cases())
def test_rubric_totals_100(pack_key: str, category: str) -> None:
    rubric = get_pack(pack_key).rubrics[category]

    assert sum((c.max_score for c in rubric), Decimal(0)) == Decimal(100)
    assert all(isinstance(c.max_score, Decimal) and c.max_score > 0 for c in rubric)
    assert all(c.label and c.description for c in rubric)
    assert len({c.key for c in rubric}) == len(rubric)


@pytest.mark.parametrize("pack_key", PACK_KEYS)
def test_every_category_has_a_rubric(pack_key: str) -> None:
    pack = get_pack(pack_key)
    assert set(pack.rubrics) == {c.key for c in pack.categories}


# --- routes ---


@pytest.mark.parametrize(("pack_key", "category"), _compliant_cases())
@pytest.mark.parametrize("level", ["city", "province", "central"])
@pytest.mark.parametrize("chose_province", [True, False])
def test_routes_are_city_or_province(pack_key: str, category: str, level: str, chose_province: bool) -> None:
    pack = get_pack(pack_key)
    assert pack.route is not None
    route = pack.route(replace(pack_tests(pack).compliant(category), level=level), chose_province)

    assert route.key in {"city", "province"}
    if level == "city":
        assert route.key == "city"
    if not chose_province and level == "province":
        assert route.key == "city"  # nobody is sent to the province who did not choose it (absent a direct route)


# --- the engine on a small pack of its own ---


def _pass(_facts: ApplicationFacts) -> tuple[Verdict, str]:
    return Verdict.PASS, "符合。"


def _fail(_facts: ApplicationFacts) -> tuple[Verdict, str]:
    return Verdict.FAIL, "不符合。"


def _needs(_facts: ApplicationFacts) -> tuple[Verdict, str]:
    return Verdict.NEEDS_EVIDENCE, "请上传材料。"


TOY = PolicyPack(
    key="toy",
    province_code="99",
    name="测试省",
    categories=(Category("a", "甲类"), Category("b", "乙类")),
    fact_fields=(),
    checklist=(),
    rules=(
        Rule("toy.everyone", "所有类别。", "000", (), _pass),
        Rule("toy.only_a", "仅甲类。", "000", (), _fail, categories=frozenset({"a"})),
        Rule("toy.only_b", "仅乙类。", "000", (), _needs, categories=frozenset({"b"})),
        Rule("toy.merit", "择优条件。", "000", (), _fail, basic=False),
        Rule("toy.negative", "负面清单。", "001", (), _fail, negative_list=True, categories=frozenset({"b"})),
    ),
    rubrics={},
    settings=PackSettings(),
    renewal_rules=(Rule("toy.renewal", "续期。", "003", (), _fail, categories=frozenset({"a"})),),
)


def _facts(category: str) -> ApplicationFacts:
    return ApplicationFacts(category=category, nature="enterprise", level="city", registered_province_code="99")


def test_rules_for_filters_by_category() -> None:
    assert [r.id for r in TOY.rules_for("a")] == ["toy.everyone", "toy.only_a", "toy.merit"]
    assert [r.id for r in TOY.rules_for("b")] == ["toy.everyone", "toy.only_b", "toy.merit", "toy.negative"]


def test_evaluate_returns_a_result_per_applicable_rule_with_text_and_source() -> None:
    results = evaluate(TOY, _facts("a"))

    assert results == [
        RuleResult("toy.everyone", "所有类别。", "000", Verdict.PASS, "符合。", True),
        RuleResult("toy.only_a", "仅甲类。", "000", Verdict.FAIL, "不符合。", True),
        RuleResult("toy.merit", "择优条件。", "000", Verdict.FAIL, "不符合。", False),
    ]


def test_blocking_is_failed_basic_conditions_only() -> None:
    assert [r.rule_id for r in blocking(evaluate(TOY, _facts("a")))] == ["toy.only_a"]
    # needs-evidence does not block; a failed merit criterion does not block; the negative list does
    assert [r.rule_id for r in blocking(evaluate(TOY, _facts("b")))] == ["toy.negative"]


def test_evaluate_renewal_uses_only_the_renewal_rules() -> None:
    assert [r.rule_id for r in evaluate_renewal(TOY, _facts("a"))] == ["toy.renewal"]
    assert evaluate_renewal(TOY, _facts("b")) == []
    assert TOY.rule("toy.renewal").text == "续期。"


def test_rule_lookup_and_category_lookup() -> None:
    assert TOY.rule("toy.merit").basic is False
    assert TOY.category("b").label == "乙类"
    assert TOY.category_choices() == [("a", "甲类"), ("b", "乙类")]
    with pytest.raises(KeyError):
        TOY.rule("toy.nothing")


def test_fields_and_checklist_are_filtered_by_category() -> None:
    gd = get_pack("guangdong")

    assert "member_units" in {f.key for f in gd.fields_for("other")}
    assert "member_units" not in {f.key for f in gd.fields_for("school")}
    assert "teacher_list" not in {i.key for i in gd.checklist_for("other")}
    assert "school_licence" in {i.key for i in gd.checklist_for("key_private_training")}


# --- reading declared values ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("是", True), ("否", False), ("true", True), ("0", False), (None, None),
     ("", None), ("也许", None)],
)
def test_to_bool(value: Any, expected: bool | None) -> None:
    assert to_bool(value) is expected


def test_to_decimal() -> None:
    assert to_decimal("200.50") == Decimal("200.50")
    assert to_decimal(45) == Decimal(45)
    assert to_decimal("") is None
    with pytest.raises(ValueError, match="abc"):
        to_decimal("abc")
    with pytest.raises(ValueError, match="True"):
        to_decimal(True)


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("200.00"), "200"), (Decimal("150.50"), "150.5"), (1e3, "1000"), (45, "45"), (True, "是")]
)
def test_fmt(value: Any, text: str) -> None:
    assert fmt(value) == text


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.key)
def test_every_category_has_an_english_label_shown_in_english_mode(pack: Any) -> None:
    from django.utils import translation

    assert all(c.label_en and not CJK.search(c.label_en) for c in pack.categories)
    with translation.override("en"):
        english = dict(pack.category_choices())
    with translation.override("zh-hans"):
        chinese = dict(pack.category_choices())

    assert english == {c.key: c.label_en for c in pack.categories}
    assert chinese == {c.key: c.label for c in pack.categories}
