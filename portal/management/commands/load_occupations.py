"""Load occupations of the 职业分类大典 from a CSV file: every row stored, or none, with each bad line reported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from portal.models import Occupation, WorkType
from portal.reference_data import SHIPPED_OCCUPATIONS_CSV, read_occupations_csv, store_occupations


class Command(BaseCommand):
    help = (
        "Load occupations from a UTF-8 CSV with the header "
        "code,name,edition,is_skill_type,has_national_standard,has_evaluation_norm,is_access_type,work_types "
        "(work types separated by |). Without a path, loads the shipped 2022 subset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(SHIPPED_OCCUPATIONS_CSV))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        parsed = read_occupations_csv(file.read_text(encoding="utf-8"))
        if parsed.errors:
            lines = "\n".join(f"第{line}行：{reason}" for line, reason in parsed.errors)
            raise CommandError(f"文件有 {len(parsed.errors)} 行错误，未导入任何数据：\n{lines}")
        with transaction.atomic():
            count = store_occupations(Occupation, WorkType, parsed.rows)
        self.stdout.write(self.style.SUCCESS(f"已导入 {count} 个职业。"))
