"""Reading and checking roster and result files (CSV or Excel): every row is validated, every bad row reported.

Nothing here writes: certificates.services.import_roster / import_results call these and store all the rows or none.
The checks are set lookups and a handful of queries made by the caller for the whole file, never one per row, so
that 10,000 rows validate in a few tens of milliseconds (bench/roster_import.py).
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import mul
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.identifiers import normalize_id_number, normalize_mobile, validate_id_number
from portal.uploads import UploadRejected, check_office_archive

from .models.exams import Gender, IdType

MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"

ROSTER_COLUMNS = ("姓名", "证件类型", "证件号码", "性别", "手机号码", "职业（工种）", "等级", "培训班次")
RESULT_COLUMNS = ("姓名", "证件号码", "理论成绩", "实操成绩", "综合评审成绩")
ABSENT_WORDS = frozenset({"缺考", "缺席", "absent"})

ID_TYPE_BY_LABEL = {str(label): value for value, label in IdType.choices} | {"身份证": IdType.RESIDENT_ID}
GENDER_BY_LABEL = {"男": Gender.MALE, "女": Gender.FEMALE}
LEVEL_BY_LABEL: dict[str, int] = {}
for _n, _names in {5: ("五级", "初级工", "五级/初级工", "5"), 4: ("四级", "中级工", "四级/中级工", "4"),
                   3: ("三级", "高级工", "三级/高级工", "3"), 2: ("二级", "技师", "二级/技师", "2"),
                   1: ("一级", "高级技师", "一级/高级技师", "1")}.items():
    for _name in _names:
        LEVEL_BY_LABEL[_name] = _n

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("第%(line)d行：%(message)s") % {"line": self.line, "message": self.message}


class FileUnreadable(ValueError):
    pass


# --- reading ---

def read_rows(content: bytes, filename: str = "") -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(header, rows as (line number, cells)) of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file."""
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_("无法识别文件编码，请使用 UTF-8 编码的 CSV 或 Excel（.xlsx）文件。")) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise FileUnreadable(_("文件为空。")) from None
    return [h.strip() for h in header], ((n, row) for n, row in enumerate(reader, start=2))


def _read_xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_office_archive(io.BytesIO(content), "xlsx")  # a zip bomb is refused before openpyxl unpacks it
    except UploadRejected as exc:
        raise FileUnreadable(str(exc)) from exc
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise FileUnreadable(_("无法读取该 Excel 文件，请另存为 .xlsx 后重试。")) from exc
    sheet = workbook.active
    if sheet is None:
        raise FileUnreadable(_("文件为空。"))
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(c) for c in next(rows)]
    except StopIteration:
        raise FileUnreadable(_("文件为空。")) from None
    return header, ((n, [_cell(c) for c in row]) for n, row in enumerate(rows, start=2))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_index(header: Sequence[str], columns: Sequence[str], required: Iterable[str]) -> dict[str, int]:
    positions = {name: header.index(name) for name in columns if name in header}
    missing = [name for name in required if name not in positions]
    if missing:
        raise FileUnreadable(
            _("表头缺少列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)}
        )
    return positions


def template_csv(columns: Sequence[str], *rows: Sequence[str]) -> bytes:
    """A CSV template (UTF-8 with BOM, for Excel): the header, then an example row or the rows to fill."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


LEVEL_TEMPLATE_LABEL = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}


def roster_example(occupation: str, level: int) -> list[str]:
    """The roster template's example row, for the plan's occupation (工种) and level."""
    return ["张三", "居民身份证", "370102199001011234", "男", "13912345678", occupation,
            LEVEL_TEMPLATE_LABEL[level], "2026年第1期"]


# --- identity numbers: the fast path for the common case, the portal's validator for the message ---

def id_number_problem(number: str) -> str | None:
    """None for a valid resident identity number; otherwise what is wrong (portal.identifiers' message).

    The check digit and birth date are computed inline for speed; only a number that fails falls back to
    validate_id_number, which says which character is wrong.
    """
    if _valid_resident_id(number):
        return None
    try:
        validate_id_number(number)
    except ValidationError as exc:
        return str(exc.messages[0])
    return _("身份证号码中的出生日期“%(date)s”不存在。") % {"date": number[6:14]}


def gender_from_id(number: str) -> str:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


# --- rosters ---

@dataclass
class RosterRow:
    line: int
    name: str
    id_type: str
    id_number: str
    gender: str
    phone: str
    level: int
    training_class: str


@dataclass
class RosterCheck:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    certified: list[RowError] = field(default_factory=list)  # warnings the organization must confirm


def _valid_resident_id(number: str) -> bool:
    """The common case, fast: 18 characters, a province prefix, 17 digits, the check character, a real birth date."""
    if len(number) != 18 or number[:2] not in _PROVINCES or not number[:17].isdigit():
        return False
    if _CHECK[sum(map(mul, map(int, number[:17]), _WEIGHTS)) % 11] != number[17]:
        return False
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])).year >= 1900
    except ValueError:
        return False


def _roster_columns(header: list[str]) -> tuple[Any, ...]:
    """The roster's column positions: name, number, gender, phone, level (required); ID type, occupation, class."""
    cols = column_index(header, ROSTER_COLUMNS, ("姓名", "证件号码", "性别", "手机号码", "等级"))
    return (*(cols[c] for c in ("姓名", "证件号码", "性别", "手机号码", "等级")),
            cols.get("证件类型"), cols.get("职业（工种）"), cols.get("培训班次"))


def _class(cells: list[str], i_class: int | None) -> str:
    return cells[i_class].strip()[:100] if i_class is not None else ""


def parse_roster(
    header: list[str], rows: Iterable[tuple[int, list[str]]], *, occupation_names: set[str], levels: set[int],
) -> RosterCheck:
    """Check every row on its own and against the others (duplicates); the caller adds the checks that need the
    database (other plans, certificates) over the whole set of numbers.

    A row that passes every check takes the fast path (no message is built); a row that fails any is checked again
    field by field so that its message names every problem.
    """
    width = len(header)
    i_name, i_number, i_gender, i_phone, i_level, i_type, i_occupation, i_class = _roster_columns(header)
    check = RosterCheck()
    seen: dict[str, int] = {}
    errors, good = check.errors, check.rows
    count = 0
    resident, passport, male, female = IdType.RESIDENT_ID, IdType.PASSPORT, Gender.MALE, Gender.FEMALE
    for line, cells in rows:
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileUnreadable(_("名册超过%(n)d行，请分批导入。") % {"n": MAX_ROWS})
        cells = cells if len(cells) >= width else cells + [""] * (width - len(cells))
        name = cells[i_name].strip()
        raw_number = cells[i_number].strip()
        plain = len(raw_number) == 18 and raw_number.isascii() and raw_number.isalnum()  # else full-width, spaces
        number = raw_number.upper() if plain else normalize_id_number(raw_number)
        id_label = cells[i_type].strip() if i_type is not None else ""
        id_type = ID_TYPE_BY_LABEL.get(id_label or "居民身份证")
        gender = GENDER_BY_LABEL.get(cells[i_gender].strip())
        phone = normalize_mobile(cells[i_phone].strip())
        level = LEVEL_BY_LABEL.get(cells[i_level].strip())
        occupation = cells[i_occupation].strip() if i_occupation is not None else ""
        if (name and len(name) <= 50 and id_type is not None and id_type != passport and gender is not None
                and _valid_resident_id(number) and gender == (male if int(number[16]) % 2 else female)
                and len(phone) == 11 and phone[0] == "1" and phone[1] in "3456789" and phone.isdigit()
                and (not occupation or occupation in occupation_names) and level in levels and number not in seen):
            seen[number] = line
            if not errors:
                good.append(RosterRow(line, name, id_type, number, gender, phone, level, _class(cells, i_class)))
            continue
        if not any(c.strip() for c in cells):
            count -= 1
            continue
        problems = _roster_row_problems(name, id_label, id_type, number, cells[i_gender].strip(), gender, phone,
                                        occupation, occupation_names, cells[i_level].strip(), level, levels)
        if number:
            first = seen.get(number)
            if first is not None:
                problems.append(_("证件号码与第%(line)d行重复") % {"line": first})
            else:
                seen[number] = line
        if problems:
            errors.append(RowError(line, "；".join(problems)))
        elif not errors:
            good.append(RosterRow(line, name, id_type or resident, number, gender or "", phone, level or 0,
                                  _class(cells, i_class)))
    if count == 0:
        raise FileUnreadable(_("名册没有数据行。"))
    return check


def _roster_row_problems(
    name: str, id_label: str, id_type: str | None, number: str, gender_text: str, gender: str | None, phone: str,
    occupation: str, occupation_names: set[str], level_text: str, level: int | None, levels: set[int],
) -> list[str]:
    """Every problem of one row, in words (the slow path of parse_roster)."""
    problems: list[str] = []
    if not name:
        problems.append(_("姓名为空"))
    elif len(name) > 50:
        problems.append(_("姓名超过50个字"))
    if id_type is None:
        problems.append(_("证件类型“%(v)s”应为居民身份证、港澳台居民居住证或护照") % {"v": id_label})
    elif not number:
        problems.append(_("证件号码为空"))
    elif id_type == IdType.PASSPORT:
        if not (5 <= len(number) <= 20 and number.isalnum()):
            problems.append(_("护照号码“%(v)s”格式不正确") % {"v": number})
    else:
        problem = id_number_problem(number)
        if problem:
            problems.append(problem)
    if gender is None:
        problems.append(_("性别“%(v)s”应为男或女") % {"v": gender_text})
    elif id_type not in (None, IdType.PASSPORT) and number and not problems and gender != gender_from_id(number):
        problems.append(_("性别“%(v)s”与身份证号码不符") % {"v": gender_text})
    if not (len(phone) == 11 and phone[0] == "1" and phone.isdigit() and phone[1] in "3456789"):
        problems.append(_("手机号码“%(v)s”应为以1开头的11位数字") % {"v": phone})
    if occupation and occupation not in occupation_names:
        problems.append(_("职业“%(v)s”不是本计划的考核职业") % {"v": occupation})
    if level is None:
        problems.append(_("等级“%(v)s”无法识别") % {"v": level_text})
    elif level not in levels:
        problems.append(_("等级“%(v)s”不在本计划的考核等级内") % {"v": level_text})
    return problems


# --- results ---

@dataclass
class ResultRow:
    line: int
    id_number: str
    theory: Decimal | None
    theory_absent: bool
    practical: Decimal | None
    practical_absent: bool
    review: Decimal | None
    review_absent: bool


def parse_score(text: str) -> tuple[Decimal | None, bool, str | None]:
    """(score, absent, problem): empty is not entered; 缺考 is absent; otherwise 0–100 with at most one decimal."""
    text = text.strip()
    if not text:
        return None, False, None
    if text.lower() in ABSENT_WORDS:
        return None, True, None
    try:
        score = Decimal(text)
    except InvalidOperation:
        return None, False, _("成绩“%(v)s”应为0—100的数字或“缺考”") % {"v": text}
    if not score.is_finite() or score < 0 or score > 100 or score != score.quantize(Decimal("0.1")):
        return None, False, _("成绩“%(v)s”应为0—100、最多一位小数") % {"v": text}
    return score.quantize(Decimal("0.1")), False, None


def parse_results(
    header: list[str], rows: Iterable[tuple[int, list[str]]], *, roster: dict[str, tuple[str, int]],
) -> tuple[list[ResultRow], list[RowError]]:
    """Check every row: the candidate is on the roster (number and name agree), each score is valid, every part the
    candidate's level requires is entered; `roster` maps id number -> (name, level)."""
    cols = column_index(header, RESULT_COLUMNS, ("证件号码", "理论成绩", "实操成绩"))
    get = {name: cols.get(name) for name in RESULT_COLUMNS}
    results: list[ResultRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    count = 0
    for line, cells in rows:
        if not any(c.strip() for c in cells if c):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileUnreadable(_("成绩表超过%(n)d行，请分批导入。") % {"n": MAX_ROWS})
        value = {name: (cells[i].strip() if i is not None and i < len(cells) and cells[i] else "")
                 for name, i in get.items()}
        problems: list[str] = []
        number = normalize_id_number(value["证件号码"])
        entry = roster.get(number)
        if entry is None:
            problems.append(_("证件号码“%(v)s”不在本计划的考生名册中") % {"v": value["证件号码"]})
        elif value["姓名"] and value["姓名"] != entry[0]:
            problems.append(_("姓名“%(v)s”与名册中的“%(name)s”不一致") % {"v": value["姓名"], "name": entry[0]})
        if number in seen:
            problems.append(_("证件号码与第%(line)d行重复") % {"line": seen[number]})
        else:
            seen[number] = line
        parsed = {}
        unreadable = set()
        for part, column in (("theory", "理论成绩"), ("practical", "实操成绩"), ("review", "综合评审成绩")):
            score, absent, problem = parse_score(value[column])
            if problem:
                problems.append(f"{column}：{problem}")
                unreadable.add(part)
            parsed[part] = (score, absent)
        if entry is not None:
            needs = ["theory", "practical"] + (["review"] if entry[1] in (1, 2) else [])
            labels = {"theory": "理论成绩", "practical": "实操成绩", "review": "综合评审成绩"}
            for part in needs:
                score, absent = parsed[part]
                if score is None and not absent and part not in unreadable:
                    problems.append(_("未填写%(col)s（缺考请填“缺考”）") % {"col": labels[part]})
            if "review" not in needs and (parsed["review"][0] is not None or parsed["review"][1]):
                problems.append(_("该考生等级无需综合评审，综合评审成绩应为空"))
        if problems:
            errors.append(RowError(line, "；".join(problems)))
        else:
            results.append(ResultRow(line, number, *parsed["theory"], *parsed["practical"], *parsed["review"]))
    if count == 0:
        raise FileUnreadable(_("成绩表没有数据行。"))
    return results, errors
