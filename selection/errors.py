"""The error codes of selection: every code its services and API raise (the API's contract, never renamed)."""

from enum import StrEnum


class Codes(StrEnum):
    """Stable codes of selection's refusals; the value is the code the API answers with."""

    # the expert pool
    EXPERT_INCOMPLETE = "expert_incomplete"
    EXPERT_FIELD_INVALID = "expert_field_invalid"
    EXPERT_ROLE_MISSING = "expert_role_missing"
    EXPERT_DUPLICATE = "expert_duplicate"
    CITY_OUTSIDE_PROVINCE = "city_outside_province"
    USCC_INVALID = "uscc_invalid"
    USCC_LENGTH = "uscc_length"
    USCC_CHARACTER = "uscc_character"
    USCC_CHECKSUM = "uscc_checksum"
    # the call's rubric
    RUBRIC_LOCKED = "rubric_locked"
    RUBRIC_MISSING = "rubric_missing"
    RUBRIC_TOTAL_NOT_100 = "rubric_total_not_100"
    CRITERION_UNKNOWN = "criterion_unknown"
    CRITERION_LABEL_MISSING = "criterion_label_missing"
    CRITERION_MAX_INVALID = "criterion_max_invalid"
    # panels, assignment, draws and conflicts
    PANEL_CITY_MISSING = "panel_city_missing"
    PANEL_LEVEL_UNKNOWN = "panel_level_unknown"
    APPLICATION_OTHER_CALL = "application_other_call"
    APPLICATION_NOT_IN_PANEL = "application_not_in_panel"
    EXPERT_UNAVAILABLE = "expert_unavailable"
    EXPERT_CONFLICT = "expert_conflict"
    EXPERT_RECUSED = "expert_recused"
    EXPERT_ALREADY_ASSIGNED = "expert_already_assigned"
    DRAW_COUNT_INVALID = "draw_count_invalid"
    DRAW_NOT_ENOUGH_CANDIDATES = "draw_not_enough_candidates"
    CONFLICT_KIND_INVALID = "conflict_kind_invalid"
    # scoring sheets
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    SHEET_ALREADY_SUBMITTED = "sheet_already_submitted"
    SHEET_RECUSED = "sheet_recused"
    SHEET_INCOMPLETE = "sheet_incomplete"
    SHEET_NOT_SUBMITTED = "sheet_not_submitted"
    SHEET_DECIDED = "sheet_decided"
    # the city's summary table
    APPLICATION_NOT_IN_CITY_SCORING = "application_not_in_city_scoring"
    TABLE_ALREADY_SENT = "table_already_sent"
    DEADLINE_PASSED = "deadline_passed"
    TABLE_EMPTY = "table_empty"
    TABLE_INCOMPLETE = "table_incomplete"
    RECOMMEND_COUNT_OUT_OF_RANGE = "recommend_count_out_of_range"
    CITY_REQUIRED = "city_required"
    # the province's review, selection, approval and publicity
    APPLICATION_CITY_ROUTE = "application_city_route"
    NOTHING_TO_SELECT = "nothing_to_select"
    SELECTION_STALE = "selection_stale"
    NOTHING_TO_APPROVE = "nothing_to_approve"
    DOCUMENT_NUMBER_MISSING = "document_number_missing"
    MEETING_DATE_FUTURE = "meeting_date_future"
    NOTHING_TO_PUBLISH = "nothing_to_publish"
    NO_LEADERSHIP_APPROVAL = "no_leadership_approval"
    # shared
    REASON_REQUIRED = "reason_required"
