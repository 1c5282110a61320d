"""portal.naming names audit events, states and models in words, in Chinese and in English."""

from django.utils import translation

from portal import naming


def test_events_states_and_models_have_chinese_names() -> None:
    with translation.override("zh-hans"):
        assert naming.event_name("exam_plan_filed") == "考核计划报备"
        assert naming.event_name("filing_created") == "备案创建"
        assert naming.model_name("filings.filing") != "filings.filing"
        assert naming.state_name("draft", "certificates.examplan") not in ("", "draft")
        assert naming.state_name("no_such_state") == "no such state"


def test_english_mode_reads_the_codes_words() -> None:
    with translation.override("en"):
        assert naming.event_name("exam_plan_filed") == "Exam plan filed"


def test_every_recorded_event_code_has_a_chinese_name() -> None:
    """Each object+verb pair the services record is in the registry (a new code without a name fails here)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    codes: set[str] = set()
    for app in ("portal", "filings", "selection", "certificates", "supervision"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            codes |= set(re.findall(r'action="([a-z_]+)"', text))
    assert len(codes) > 20
    with translation.override("zh-hans"):
        unnamed = sorted(c for c in codes if re.search(r"[a-z]", naming.event_name(c)))
    assert unnamed == []
