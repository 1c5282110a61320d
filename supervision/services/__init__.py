"""The public face of supervision's writes: feedback, declarations, the indicator sweep, risk formulas, rankings and
fraud flags, renewals and their reminders. Import from here."""

from .declarations import declare_course_price, declare_enrolment, filed_occupations
from .feedback import (
    Employer,
    TraineeAnswers,
    certificate_from_ticket,
    find_certificate_for_employer,
    find_certificate_for_trainee,
    submit_employer_feedback,
    submit_trainee_feedback,
    trainee_ticket,
)
from .flags import check_certificates_of_plan, check_plan, dismiss_flag, raise_flag, sweep_flags
from .indicators import recompute_cell, refresh_indicators, request_indicator_refresh
from .rankings import (
    RANKING_KIND,
    build_ranking,
    group_of,
    on_ranking_item_withdrawn,
    previous_published,
    publish_ranking,
)
from .renewal_sweeps import CITY_REVIEW_REMINDER_DAYS, send_city_review_reminders, send_renewal_reminders
from .renewals import (
    approve_renewal,
    refuse_renewal,
    render_renewal_letter,
    return_renewal,
    start_renewal,
    submit_renewal,
    update_renewal,
    upload_renewal_document,
)
from .risk import SIGNALS, Inputs, current_formula, save_formula, score, signals

__all__ = [
    "CITY_REVIEW_REMINDER_DAYS",
    "RANKING_KIND",
    "SIGNALS",
    "Employer",
    "Inputs",
    "TraineeAnswers",
    "approve_renewal",
    "build_ranking",
    "certificate_from_ticket",
    "check_certificates_of_plan",
    "check_plan",
    "current_formula",
    "declare_course_price",
    "declare_enrolment",
    "dismiss_flag",
    "filed_occupations",
    "find_certificate_for_employer",
    "find_certificate_for_trainee",
    "group_of",
    "on_ranking_item_withdrawn",
    "previous_published",
    "publish_ranking",
    "raise_flag",
    "recompute_cell",
    "refresh_indicators",
    "refuse_renewal",
    "render_renewal_letter",
    "request_indicator_refresh",
    "return_renewal",
    "save_formula",
    "score",
    "send_city_review_reminders",
    "send_renewal_reminders",
    "signals",
    "start_renewal",
    "submit_employer_feedback",
    "submit_renewal",
    "submit_trainee_feedback",
    "sweep_flags",
    "trainee_ticket",
    "update_renewal",
    "upload_renewal_document",
]
