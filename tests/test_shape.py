"""The shape every app keeps (docs/architecture.md): small modules, short functions, few and explained type ignores,
and the layout in the architecture document true to the tree."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("portal", "filings", "selection", "certificates", "supervision")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
MAX_TYPE_IGNORES = 20


def _modules() -> list[Path]:
    return sorted(p for app in APPS for p in (ROOT / app).rglob("*.py")
                  if "migrations" not in p.parts and "policies" not in p.parts)


def test_no_app_module_is_over_600_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_app_function_is_over_60_lines() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                if (length := (node.end_lineno or node.lineno) - start + 1) > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def test_type_ignores_are_few_and_each_says_why() -> None:
    ignores = [(p, n, line) for p in _modules() for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
               if "# type: ignore" in line]
    unexplained = [f"{p.relative_to(ROOT)}:{n}" for p, n, line in ignores
                   if not re.search(r"#\s*type:\s*ignore\[[^\]]+\]\s*(#|-|—)\s*\S", line)]
    assert unexplained == [], "say why after the ignore: `# type: ignore[code]  # reason`"
    assert len(ignores) <= MAX_TYPE_IGNORES, [f"{p.relative_to(ROOT)}:{n}" for p, n, _ in ignores]


def test_the_architecture_document_lists_every_app_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0] if "## Layout" in text else ""
    missing = []
    for path in _modules():
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py" and len(relative.parts) == 2:
            continue
        inside = str(relative.relative_to(relative.parts[0]))
        if f"{relative.parts[0]}/" not in layout or inside not in layout:
            missing.append(str(relative))
    assert missing == [], "add these modules to the Layout section of docs/architecture.md"
