"""The summary table as documents: its lines, the Excel and PDF files, and the audited download of either."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from filings import selectors as filing_selectors
from filings.models import Call
from portal.audit import record_event
from portal.documents import render_pdf
from portal.models import City, User

from .. import selectors

HEADER = ["序号", "机构名称", "统一社会信用代码", "申请类别", "申报职业及等级", "评估得分", "排名", "推荐意见", "备注"]
WIDTHS = (6, 32, 22, 18, 48, 10, 6, 10, 40)


@dataclass(frozen=True)
class TableLine:
    """One line of the summary table as the documents show it."""

    institution: str
    credit_code: str
    category: str
    occupations: str
    score: Decimal | None
    rank: int | None
    sheets: str
    recommended: bool | None
    remarks: str


def table_lines(call: Call, city: City) -> list[TableLine]:
    """The summary table's lines: recorded at sending, or the current ranking and decisions while a draft."""
    categories = dict(filing_selectors.pack_for(call.province).category_choices())
    table = selectors.summary_table(call, city)
    rows = {r.application_id: r for r in table.rows.all()} if table else {}
    applications = list(selectors.with_occupations(selectors.city_applications(call, city)))
    overall, _per_occupation = selectors.rankings(selectors.city_panel(call, city), applications)
    sent = table is not None and table.is_sent
    lines = []
    for ranked in overall:
        app, row = ranked.application, rows.get(ranked.application.pk)
        recorded = row if sent else None
        lines.append(TableLine(
            institution=app.institution.name, credit_code=app.institution.credit_code,
            category=str(categories.get(app.category, app.category)),
            occupations="；".join(f"{o.occupation.code} {o}（{o.level_labels()}）" for o in ranked.occupations),
            score=recorded.score if recorded else ranked.aggregate.score,
            rank=recorded.rank if recorded else ranked.rank,
            sheets=recorded.sheets if recorded else ranked.aggregate.progress,
            recommended=row.recommended if row else None, remarks=row.reason if row else "",
        ))
    if sent:
        lines.sort(key=lambda line: (line.rank is None, line.rank or 0, line.institution))
    return lines


def summary_table_workbook(call: Call, city: City) -> bytes:
    """汇总表 as Excel: a title row, the header, one row per application in rank order."""
    lines = table_lines(call, city)
    workbook = Workbook()
    workbook.remove(workbook["Sheet"])  # the empty sheet a new workbook comes with
    sheet = workbook.create_sheet("汇总表")
    _fill(sheet, f"{call.province.name}社会培训评价组织遴选推荐汇总表（{city.name}）", lines)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Worksheet, title: str, lines: list[TableLine]) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=9)
    heading = sheet.cell(row=1, column=1)
    heading.font = Font(bold=True, size=14)
    heading.alignment = Alignment(horizontal="center")
    sheet.append(HEADER)
    for n, line in enumerate(lines, start=1):
        sheet.append([n, line.institution, line.credit_code, line.category, line.occupations,
                      float(line.score) if line.score is not None else "", line.rank or "",
                      "推荐" if line.recommended else ("不予推荐" if line.recommended is False else "未定"),
                      line.remarks])
    for column, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width


def summary_table_pdf(call: Call, city: City) -> bytes:
    """汇总表 as PDF, from the documents template."""
    return render_pdf("documents/selection_summary_table.html", {
        "call": call, "city": city, "province": call.province, "table": selectors.summary_table(call, city),
        "lines": table_lines(call, city), "today": timezone.localdate(),
    })


def download_summary_table(call: Call, city: City, *, acting_user: User, kind: str) -> bytes:
    """The table as "xlsx" or "pdf", its download recorded in the audit trail."""
    content = summary_table_workbook(call, city) if kind == "xlsx" else summary_table_pdf(call, city)
    record_event(actor=acting_user, action="summary_table_downloaded", obj=call, province=call.province,
                 changes={"city": city.code, "format": kind})
    return content
