"""The English catalog (locale/en/LC_MESSAGES/django.po) is complete, translated and well-formed.

The msgids are the Chinese source strings. A Chinese string added to code or templates without an English
translation fails `test_catalog_has_every_source_string`; the fix is to run
`manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var`, translate, and commit the .po.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CATALOG = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The same directories the documented makemessages command ignores, plus what is never source.
NOT_SOURCE = {".venv", "node_modules", "var", ".git", "locale", "__pycache__", ".mypy_cache", ".ruff_cache",
              ".pytest_cache", ".import_linter_cache", "test-results"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' defaults for the django domain
PYTHON_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")
BRACE_PLACEHOLDER = re.compile(r"\{(\w+)\}")  # msgids that JavaScript or str.format() fills in


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def _unquote(text: str) -> str:
    body = text.strip()
    if not (body.startswith('"') and body.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text!r}")
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po/.pot file (header included, msgid ""); obsolete (#~) entries are marked as such."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_obsolete = False
    field_name: str | None = None
    values: dict[str, str] = {}
    start_line = 0

    def finish() -> None:
        nonlocal current, values, pending_flags, pending_obsolete
        if "msgid" in values:
            plural_keys = sorted((k for k in values if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
            msgstrs = [values[k] for k in plural_keys] if plural_keys else [values.get("msgstr", "")]
            entries.append(Entry(
                msgid=values["msgid"], msgctxt=values.get("msgctxt"), msgid_plural=values.get("msgid_plural"),
                msgstrs=msgstrs, flags=pending_flags, obsolete=pending_obsolete, line=start_line,
            ))
        values = {}
        pending_flags = set()
        pending_obsolete = False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            pending_obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            if "msgid" in values:
                finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        elif line.startswith("#") or not line:
            if "msgid" in values and (not line or line.startswith("#:")):
                finish()
            continue
        if line.startswith('"'):
            if field_name is None:
                raise ValueError(f"{path}:{number}: continuation line without a keyword")
            values[field_name] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and ("msgid" in values):
            finish()
        if keyword in ("msgctxt", "msgid") and not values:
            start_line = number
        field_name = keyword
        values[keyword] = _unquote(rest)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    return parse_po(CATALOG)


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def test_catalog_header_is_not_fuzzy_and_is_english(catalog: list[Entry]) -> None:
    header = next(e for e in catalog if e.msgid == "" and not e.obsolete)
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstrs[0]
    assert "charset=UTF-8" in header.msgstrs[0]


def test_catalog_has_no_fuzzy_or_untranslated_entries(catalog: list[Entry]) -> None:
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in _messages(catalog) if "fuzzy" in e.flags]
    empty = [f"line {e.line}: {e.msgid!r}" for e in _messages(catalog) if any(not s.strip() for s in e.msgstrs)]
    assert not fuzzy, "fuzzy entries in django.po (review and drop the flag):\n" + "\n".join(fuzzy)
    assert not empty, "untranslated entries in django.po:\n" + "\n".join(empty)


def _placeholders(text: str) -> set[str]:
    return {f"%({name})" for name in PYTHON_PLACEHOLDER.findall(text)} | {
        f"{{{name}}}" for name in BRACE_PLACEHOLDER.findall(text)
    }


def test_translations_keep_every_placeholder(catalog: list[Entry]) -> None:
    """%(name)s filled by Python and {name} filled by JavaScript must survive translation, none renamed or added."""
    wrong = []
    for entry in _messages(catalog):
        singular = _placeholders(entry.msgid)
        plural = _placeholders(entry.msgid_plural or "")
        for index, msgstr in enumerate(entry.msgstrs):
            if not msgstr:
                continue  # reported by test_catalog_has_no_fuzzy_or_untranslated_entries
            got = _placeholders(msgstr)
            if entry.msgid_plural is None:
                ok = got == singular
            else:
                # A singular form may spell out the count ("One record"); no form may invent a placeholder.
                ok = got <= singular | plural and (index == 0 or plural <= got)
            if not ok:
                wrong.append(f"line {entry.line}: {entry.msgid!r}: msgstr[{index}] has {sorted(got)}")
    assert not wrong, "placeholders changed in translation:\n" + "\n".join(wrong)


def test_translations_are_not_chinese(catalog: list[Entry]) -> None:
    """A msgstr still in Chinese was copied, not translated; Chinese inside quotes (a document's title) is fine."""
    han = re.compile(r"[\u4e00-\u9fff]")
    quoted = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》")
    left = [
        f"line {e.line}: {e.msgid!r} -> {s!r}"
        for e in _messages(catalog) for s in e.msgstrs if han.search(quoted.sub("", s))
    ]
    assert not left, "msgstr still in Chinese:\n" + "\n".join(left)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_catalog_compiles_with_msgfmt_check(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOG)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def _copy_sources(destination: Path) -> None:
    for root, dirnames, filenames in os.walk(BASE_DIR):
        dirnames[:] = sorted(d for d in dirnames if d not in NOT_SOURCE and not d.startswith("."))
        relative = Path(root).relative_to(BASE_DIR)
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES and not name.endswith((".html.py", ".txt.py")):
                target = destination / relative / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(root) / name, target)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
def test_catalog_has_every_source_string(catalog: list[Entry], tmp_path: Path) -> None:
    """Run makemessages over a copy of the sources (the working tree is never touched) and compare."""
    project = tmp_path / "project"
    _copy_sources(project)
    (project / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--keep-pot", "--verbosity", "0",
         "--ignore=.venv", "--ignore=node_modules", "--ignore=var"],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    potfiles = sorted(project.rglob("django.pot"))
    assert potfiles, "makemessages produced no template catalog"
    extracted = {e.key: e for pot in potfiles for e in _messages(parse_po(pot))}
    assert len(extracted) > 50, "suspiciously few strings extracted; is the copy of the sources complete?"

    translated = {e.key: e for e in _messages(catalog)}
    missing = sorted(set(extracted) - set(translated), key=lambda k: (k[0] or "", k[1]))
    assert not missing, (
        f"{len(missing)} source string(s) missing from {CATALOG.relative_to(BASE_DIR)}; run "
        "`manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var`, translate them and "
        "commit the .po:\n" + "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid in missing)
    )
    wrong_plural = [key[1] for key, e in extracted.items() if e.msgid_plural != translated[key].msgid_plural]
    assert not wrong_plural, f"plural forms out of date for: {wrong_plural}"
