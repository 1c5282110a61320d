"""Every write of selection — the app's public face for changes (with selection.selectors for reads).

Views, API views, tasks, other apps and tests import from here: `from selection import services; services.X`.
Each function checks the caller's role (portal.roles), runs in a transaction, locks the rows it changes, moves a
sheet or a table through its django-fsm transition, refuses an illegal move with a DomainError carrying a
`selection.errors.Codes` code and a message a person understands, writes one audit event per change, and queues
notifications after commit. Applications change state only through filings.services.

Modules by concern: experts (the pool), rubric (the call's round and criteria), panels (panels, assignment, draws),
conflicts (recusal), sheets (scoring), city_table (recommendations and the summary table), table_documents (its
lines, Excel and PDF), province_selection (review, selection, approval), publicity (publication and its outcome).
"""

from .city_table import decide_recommendation, send_summary_table
from .conflicts import declare_conflict
from .experts import ExpertData, add_expert, update_expert
from .panels import assign_expert, draw_candidates, draw_experts, form_panel, replay_draw
from .province_selection import decide_selection, record_approval, start_province_review
from .publicity import (
    APPLICATION_TYPE,
    PUBLICITY_KIND,
    pass_publicity,
    publicity_item,
    publish_selection,
    withdraw_after_objection,
)
from .rubric import CriterionChange, ensure_round, update_rubric
from .sheets import ScoreInput, record_evidence_download, reopen_sheet, save_sheet, submit_sheet
from .table_documents import (
    TableLine,
    download_summary_table,
    summary_table_pdf,
    summary_table_workbook,
    table_lines,
)

__all__ = [
    "APPLICATION_TYPE",
    "PUBLICITY_KIND",
    "CriterionChange",
    "ExpertData",
    "ScoreInput",
    "TableLine",
    "add_expert",
    "assign_expert",
    "decide_recommendation",
    "decide_selection",
    "declare_conflict",
    "download_summary_table",
    "draw_candidates",
    "draw_experts",
    "ensure_round",
    "form_panel",
    "pass_publicity",
    "publicity_item",
    "publish_selection",
    "record_approval",
    "record_evidence_download",
    "reopen_sheet",
    "replay_draw",
    "save_sheet",
    "send_summary_table",
    "start_province_review",
    "submit_sheet",
    "summary_table_pdf",
    "summary_table_workbook",
    "table_lines",
    "update_expert",
    "update_rubric",
    "withdraw_after_objection",
]
