"""Reference data: provinces and cities, occupations of the 2022 classification and their loader, skill levels."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.models import CalendarDay, CalendarYear, City, Occupation, Province, SkillLevel, WorkType
from portal.reference_data import ensure_reference_data

pytestmark = pytest.mark.django_db

HEADER = "code,name,edition,is_skill_type,has_national_standard,has_evaluation_norm,is_access_type,work_types\n"


def test_three_provinces_with_their_cities() -> None:
    assert list(Province.objects.values_list("code", "slug", "name", "policy_pack")) == [
        ("37", "sd", "山东省", "shandong"),
        ("44", "gd", "广东省", "guangdong"),
        ("52", "gz", "贵州省", "guizhou"),
    ]
    assert {p.slug: p.cities.count() for p in Province.objects.all()} == {"gd": 21, "sd": 16, "gz": 9}
    assert City.objects.get(code="4403").name == "深圳市"
    assert City.objects.get(code="3713").name == "临沂市"
    assert City.objects.get(code="5227").province.slug == "gz"


def test_every_province_and_city_has_an_english_name_shown_in_english_mode() -> None:
    # the migration filled them: a province or city added without one shows Chinese in English mode
    assert not Province.objects.filter(name_en="").exists()
    assert not City.objects.filter(name_en="").exists()
    shenzhen = City.objects.get(code="4403")

    with translation.override("en"):
        english = (str(shenzhen), shenzhen.province.display_name)
    with translation.override("zh-hans"):
        chinese = (str(shenzhen), shenzhen.province.display_name)

    assert (english, chinese) == (("Shenzhen", "Guangdong"), ("深圳市", "广东省"))


def test_at_least_100_skill_type_occupations_with_well_formed_codes() -> None:
    assert Occupation.objects.skill_type().count() >= 100
    malformed = [c for c in Occupation.objects.values_list("code", flat=True) if not re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", c)]
    assert malformed == []


def test_welder_is_access_type_with_work_types() -> None:
    welder = Occupation.objects.get(code="6-18-02-04")

    assert welder.name == "焊工"
    assert (welder.is_skill_type, welder.has_national_standard, welder.is_access_type) == (True, True, True)
    assert sorted(welder.work_types.values_list("name", flat=True)) == sorted(["电焊工", "气焊工", "钎焊工", "焊接设备操作工"])


def test_skill_levels() -> None:
    assert [(level.value, str(level.label)) for level in SkillLevel] == [
        (5, "五级/初级工"),
        (4, "四级/中级工"),
        (3, "三级/高级工"),
        (2, "二级/技师"),
        (1, "一级/高级技师"),
    ]
    assert str(SkillLevel(3).label) == "三级/高级工"


def test_load_occupations_command_loads_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given a CSV with two new occupations, one with work types
    csv_file = tmp_path / "occupations.csv"
    csv_file.write_text(
        HEADER
        + "9-01-01-01,测试装调工,2022,1,1,0,0,初级装调|高级装调\n"
        + "9-01-01-02,测试工程技术人员,2022,0,0,0,0,\n",
        encoding="utf-8",
    )

    # when it is loaded
    call_command("load_occupations", str(csv_file))

    # then both are stored with their flags and work types
    fitter = Occupation.objects.get(code="9-01-01-01")
    engineer = Occupation.objects.get(code="9-01-01-02")
    assert (fitter.name, fitter.is_skill_type, fitter.has_national_standard) == ("测试装调工", True, True)
    assert sorted(fitter.work_types.values_list("name", flat=True)) == ["初级装调", "高级装调"]
    assert (engineer.is_skill_type, engineer.work_types.count()) == (False, 0)
    assert "已导入 2 个职业。" in capsys.readouterr().out


def test_load_occupations_updates_by_code_and_is_rerunnable(tmp_path: Path) -> None:
    csv_file = tmp_path / "occupations.csv"
    csv_file.write_text(HEADER + "6-18-02-04,焊工,2022,1,1,1,1,电焊工|水下焊工\n", encoding="utf-8")

    call_command("load_occupations", str(csv_file))
    call_command("load_occupations", str(csv_file))

    welder = Occupation.objects.get(code="6-18-02-04")
    assert welder.has_evaluation_norm is True
    assert WorkType.objects.filter(occupation=welder).count() == 5  # four shipped + 水下焊工, once


def test_load_occupations_with_bad_lines_stores_nothing_and_names_every_line(tmp_path: Path) -> None:
    # given a CSV whose line 3 has a bad code and line 5 a flag that is not 0/1
    before = Occupation.objects.count()
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        HEADER
        + "9-02-01-01,测试甲,2022,1,1,0,0,\n"
        + "9-2-01-02,测试乙,2022,1,1,0,0,\n"
        + "9-02-01-03,测试丙,2022,1,1,0,0,\n"
        + "9-02-01-04,测试丁,2022,1,是,0,0,\n",
        encoding="utf-8",
    )

    # when it is loaded
    with pytest.raises(CommandError) as raised:
        call_command("load_occupations", str(csv_file))

    # then both lines are reported and nothing is stored, not even the good lines
    message = str(raised.value)
    assert "文件有 2 行错误，未导入任何数据" in message
    assert "第3行：职业编码“9-2-01-02”格式应为 D-DD-DD-DD" in message
    assert "第5行：has_national_standard 应为 0 或 1，实际为“是”" in message
    assert "第2行" not in message and "第4行" not in message
    assert Occupation.objects.count() == before
    assert not Occupation.objects.filter(code__startswith="9-02-").exists()


def test_load_occupations_with_a_wrong_header_is_refused(tmp_path: Path) -> None:
    csv_file = tmp_path / "bad-header.csv"
    csv_file.write_text("编码,名称\n9-03-01-01,测试\n", encoding="utf-8")

    with pytest.raises(CommandError, match="第1行：表头应为"):
        call_command("load_occupations", str(csv_file))


def test_load_occupations_with_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_occupations", str(tmp_path / "missing.csv"))


@pytest.mark.django_db(transaction=True)
def test_ensure_reference_data_restores_a_flushed_database() -> None:
    # given what a transactional test leaves behind: every table flushed, migration data included
    call_command("flush", interactive=False, verbosity=0)
    assert (Province.objects.count(), CalendarYear.objects.count(), Occupation.objects.count()) == (0, 0, 0)

    # when the reference data is ensured (twice: it is idempotent)
    ensure_reference_data()
    ensure_reference_data()

    # then everything the data migrations load is back, once
    assert Province.objects.count() == 3
    assert City.objects.count() == 46
    assert list(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True)) == list(range(2020, 2027))
    assert CalendarDay.objects.filter(date__year=2026, is_working_day=True).count() == 248
    assert Occupation.objects.skill_type().count() >= 100
    assert Occupation.objects.get(code="6-18-02-04").work_types.count() == 4
