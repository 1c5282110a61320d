"""Reference data loaders: provinces and cities, the working-day calendar from chinesecalendar, and occupations.

Each loader takes the model classes it writes to, so the data migrations call it with their historical models
(apps.get_model) and tests call it with the real ones after a transactional test has flushed the tables.
Every loader is idempotent.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHIPPED_OCCUPATIONS_CSV = Path(__file__).resolve().parent / "fixtures" / "occupations_2022.csv"

PROVINCES: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    ("44", "广东省", "gd", "guangdong", [
        ("4401", "广州市"), ("4402", "韶关市"), ("4403", "深圳市"), ("4404", "珠海市"), ("4405", "汕头市"),
        ("4406", "佛山市"), ("4407", "江门市"), ("4408", "湛江市"), ("4409", "茂名市"), ("4412", "肇庆市"),
        ("4413", "惠州市"), ("4414", "梅州市"), ("4415", "汕尾市"), ("4416", "河源市"), ("4417", "阳江市"),
        ("4418", "清远市"), ("4419", "东莞市"), ("4420", "中山市"), ("4451", "潮州市"), ("4452", "揭阳市"),
        ("4453", "云浮市"),
    ]),
    ("37", "山东省", "sd", "shandong", [
        ("3701", "济南市"), ("3702", "青岛市"), ("3703", "淄博市"), ("3704", "枣庄市"), ("3705", "东营市"),
        ("3706", "烟台市"), ("3707", "潍坊市"), ("3708", "济宁市"), ("3709", "泰安市"), ("3710", "威海市"),
        ("3711", "日照市"), ("3713", "临沂市"), ("3714", "德州市"), ("3715", "聊城市"), ("3716", "滨州市"),
        ("3717", "菏泽市"),
    ]),
    ("52", "贵州省", "gz", "guizhou", [
        ("5201", "贵阳市"), ("5202", "六盘水市"), ("5203", "遵义市"), ("5204", "安顺市"), ("5205", "毕节市"),
        ("5206", "铜仁市"), ("5223", "黔西南布依族苗族自治州"), ("5226", "黔东南苗族侗族自治州"),
        ("5227", "黔南布依族苗族自治州"),
    ]),
]

# English names for English mode (GB/T 2260 code -> name), kept apart from PROVINCES so its shape stays.
ENGLISH_NAMES: dict[str, str] = {
    "44": "Guangdong", "4401": "Guangzhou", "4402": "Shaoguan", "4403": "Shenzhen", "4404": "Zhuhai",
    "4405": "Shantou", "4406": "Foshan", "4407": "Jiangmen", "4408": "Zhanjiang", "4409": "Maoming",
    "4412": "Zhaoqing", "4413": "Huizhou", "4414": "Meizhou", "4415": "Shanwei", "4416": "Heyuan",
    "4417": "Yangjiang", "4418": "Qingyuan", "4419": "Dongguan", "4420": "Zhongshan", "4451": "Chaozhou",
    "4452": "Jieyang", "4453": "Yunfu",
    "37": "Shandong", "3701": "Jinan", "3702": "Qingdao", "3703": "Zibo", "3704": "Zaozhuang", "3705": "Dongying",
    "3706": "Yantai", "3707": "Weifang", "3708": "Jining", "3709": "Tai'an", "3710": "Weihai", "3711": "Rizhao",
    "3713": "Linyi", "3714": "Dezhou", "3715": "Liaocheng", "3716": "Binzhou", "3717": "Heze",
    "52": "Guizhou", "5201": "Guiyang", "5202": "Liupanshui", "5203": "Zunyi", "5204": "Anshun", "5205": "Bijie",
    "5206": "Tongren", "5223": "Qianxinan Prefecture", "5226": "Qiandongnan Prefecture", "5227": "Qiannan Prefecture",
}

SEEDED_CALENDAR_YEARS = range(2020, 2027)

HOLIDAY_LABELS = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def load_provinces(Province: Any, City: Any, *, english: bool = True) -> None:  # noqa: N803 - model classes
    """Provinces and their cities; `english=False` for the migrations that ran before the English names existed."""
    for code, name, slug, pack, cities in PROVINCES:
        extra = {"name_en": ENGLISH_NAMES.get(code, "")} if english else {}
        province, _ = Province.objects.update_or_create(
            code=code, defaults={"name": name, "slug": slug, "policy_pack": pack, **extra}
        )
        for city_code, city_name in cities:
            extra = {"name_en": ENGLISH_NAMES.get(city_code, "")} if english else {}
            City.objects.update_or_create(code=city_code, defaults={"name": city_name, "province": province, **extra})


def load_english_names(Province: Any, City: Any) -> None:  # noqa: N803 - model classes
    """Fill the English names of the provinces and cities already there."""
    for model in (Province, City):
        for row in model.objects.filter(code__in=ENGLISH_NAMES):
            row.name_en = ENGLISH_NAMES[row.code]
            row.save(update_fields=["name_en"])


def package_calendar_days(year: int) -> list[tuple[dt.date, bool, str, str]]:
    """(date, is_working_day, kind, holiday name) for every day of `year`, from chinesecalendar."""
    import chinese_calendar

    rows = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        _, holiday = chinese_calendar.get_holiday_detail(day)
        english = getattr(holiday, "value", holiday) if holiday else ""
        weekend = day.weekday() >= 5
        if working:
            kind = "makeup_workday" if weekend else "workday"
        else:
            kind = "holiday" if holiday else "weekend"
        name = HOLIDAY_LABELS.get(english, english) if kind in ("holiday", "makeup_workday") else ""
        rows.append((day, working, kind, name))
        day += dt.timedelta(days=1)
    return rows


def load_calendar_year(CalendarYear: Any, CalendarDay: Any, year: int) -> None:  # noqa: N803
    from importlib.metadata import version

    if CalendarYear.objects.filter(year=year).exists():
        return
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, is_working_day=w, kind=k, holiday_name=n) for d, w, k, n in package_calendar_days(year)
    )
    CalendarYear.objects.create(year=year, source=f"chinesecalendar {version('chinesecalendar')}", is_published=True)


def load_calendar(CalendarYear: Any, CalendarDay: Any, years: Iterable[int] = SEEDED_CALENDAR_YEARS) -> None:  # noqa: N803
    for year in years:
        load_calendar_year(CalendarYear, CalendarDay, year)


@dataclass
class OccupationImport:
    """The outcome of reading an occupations CSV: rows to store, or every bad line with its reason."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


_HEADER = ["code", "name", "edition", "is_skill_type", "has_national_standard", "has_evaluation_norm",
           "is_access_type", "work_types"]
_FLAGS = _HEADER[3:7]


def read_occupations_csv(text: str) -> OccupationImport:
    """Parse and validate the CSV; line numbers count the header as line 1."""
    import re

    result = OccupationImport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or [h.strip() for h in reader.fieldnames] != _HEADER:
        result.errors.append((1, f"表头应为：{','.join(_HEADER)}"))
        return result
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        problems = []
        if not re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", row["code"]):
            problems.append(f"职业编码“{row['code']}”格式应为 D-DD-DD-DD")
        elif row["code"] in seen:
            problems.append(f"职业编码“{row['code']}”与第{seen[row['code']]}行重复")
        if not row["name"]:
            problems.append("职业名称为空")
        if not row["edition"].isdigit():
            problems.append(f"版本“{row['edition']}”应为年份")
        for flag in _FLAGS:
            if row[flag] not in ("0", "1"):
                problems.append(f"{flag} 应为 0 或 1，实际为“{row[flag]}”")
        if problems:
            result.errors.append((line, "；".join(problems)))
            continue
        seen[row["code"]] = line
        result.rows.append({
            "code": row["code"], "name": row["name"], "edition": int(row["edition"]),
            **{flag: row[flag] == "1" for flag in _FLAGS},
            "work_types": [w.strip() for w in row["work_types"].split("|") if w.strip()],
        })
    return result


def store_occupations(Occupation: Any, WorkType: Any, rows: list[dict[str, Any]]) -> int:  # noqa: N803
    """Create or update every row (by code) and its work types. The caller holds the transaction."""
    existing = {o.code: o for o in Occupation.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        fields = {k: v for k, v in row.items() if k not in ("code", "work_types")}
        occupation = existing.get(row["code"])
        if occupation is None:
            occupation = Occupation.objects.create(code=row["code"], **fields)
        else:
            for name, value in fields.items():
                setattr(occupation, name, value)
            occupation.save()
        have = set(WorkType.objects.filter(occupation=occupation).values_list("name", flat=True))
        WorkType.objects.bulk_create(
            WorkType(occupation=occupation, name=name) for name in row["work_types"] if name not in have
        )
    return len(rows)


def load_shipped_occupations(Occupation: Any, WorkType: Any) -> int:  # noqa: N803
    parsed = read_occupations_csv(SHIPPED_OCCUPATIONS_CSV.read_text(encoding="utf-8"))
    if parsed.errors:
        raise ValueError(f"Shipped occupations CSV has errors: {parsed.errors}")
    return store_occupations(Occupation, WorkType, parsed.rows)


def ensure_reference_data() -> None:
    """Load everything the migrations load; used after a test flushed the tables."""
    from .models import CalendarDay, CalendarYear, City, Occupation, Province, WorkType

    load_provinces(Province, City)
    load_calendar(CalendarYear, CalendarDay)
    if not Occupation.objects.exists():
        load_shipped_occupations(Occupation, WorkType)
