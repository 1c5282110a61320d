"""Constants and helpers of the browser tests (the fixtures are in conftest.py)."""

import os
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-2026"
# Demo accounts by province (portal/demo_data.py): one of each role, two where the demo has two.
DEMO_CITY_CODES = {"gd": ("4401", "4403"), "sd": ("3701", "3702"), "gz": ("5201", "5203")}
PROVINCE_NAMES = {"gd": "广东省", "sd": "山东省", "gz": "贵州省"}
ROLE_HEADINGS = {
    "provincial_officer": ("省级经办人员", "Provincial officer"),
    "city_officer": ("地市经办人员", "City officer"),
    "expert": ("评审专家", "Expert reviewer"),
    "quality_supervisor": ("质量督导员", "Quality supervisor"),
    "institution_member": ("机构用户", "Institution user"),
}


def demo_accounts(slug: str) -> list[tuple[str, str]]:
    """(username, role) of every demo account of a province."""
    accounts = [(f"{slug}-province", "provincial_officer")]
    accounts += [(f"{slug}-city-{code}", "city_officer") for code in DEMO_CITY_CODES[slug]]
    accounts += [(f"{slug}-expert-{n}", "expert") for n in (1, 2)]
    accounts += [(f"{slug}-supervisor", "quality_supervisor")]
    accounts += [(f"{slug}-org-{n}", "institution_member") for n in (1, 2)]
    return accounts


def new_context(browser: Any, **options: Any) -> Any:
    # Chinese first, like the officials' browsers: LocaleMiddleware honours Accept-Language.
    defaults: dict[str, Any] = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900},
                                "timezone_id": "Asia/Shanghai"}
    context = browser.new_context(**{**defaults, **options})
    context.set_default_timeout(10_000)
    return context


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (WCAG 2.x A/AA and best practices)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html})),
            }));
        }"""
    )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)
