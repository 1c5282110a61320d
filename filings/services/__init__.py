"""Every write of filings, split by concern: this package is the app's public face (with filings.selectors).

Other apps, views, API views, tasks and tests import services from here only. Each function is the one path for
its change: it checks the role, runs in a transaction, locks the row it changes, refuses an illegal move with a
DomainError whose message a person understands (its code listed in filings.errors.Codes), writes an audit event
with the reason and the changed fields, and queues notifications and documents after commit.

- institutions: registering an institution and editing its data
- calls: opening a call for applications (申报批次)
- drafts: the applicant's draft — occupations, declared facts, evidence, the integrity pledge
- submission: submitting (or resubmitting) and withdrawing an application
- city_review: the city's review — acceptance, return for correction (补正), recommendation, the centre's determination
- province_review: the province's moves, driven by selection — review, selection, approval, publicity
- cultivation: the cultivation period (培育辅导期) — its start, the commitment letter, its end and reminders
- question_banks: the tasks of a cultivation — question banks (试题资源) and exam-affairs training
- filing: filing (备案) with its numbers and letters, and the filing's status (suspend, reinstate, terminate)
- additions: adding occupations to a filing
- catalog: Shandong's cities report their filings, the province publishes the catalog
- documents: rendering the commitment letter and the filing letters to PDF
"""

from portal.roles import users_with_role

from ..numbering import abbreviation as province_abbreviation, next_value as next_counter_value
from ._common import ScopeLine
from .additions import apply_to_add_occupations, decide_occupation_addition
from .calls import open_call
from .catalog import publish_filings, report_filings
from .city_review import (
    CorrectionRequest,
    determine_application,
    not_recommend_application,
    pass_city_review,
    recommend_application,
    return_application,
    start_city_review,
)
from .cultivation import (
    REMINDER_DAYS_BEFORE,
    advance_after_publicity,
    cultivation_end,
    end_cultivation,
    enters_cultivation_at_submission,
    remind_cultivation,
    sign_commitment,
    start_cultivation,
)
from .documents import render_commitment_letter, render_filing_letter
from .drafts import (
    add_occupation,
    confirm_pledge,
    create_application,
    record_evidence_download,
    remove_evidence,
    remove_occupation,
    save_facts,
    upload_evidence,
)
from .filing import (
    ISSUING_BODIES,
    file_application,
    file_cultivation,
    filing_validity,
    issuing_body,
    mark_exit_requested,
    reinstate_filing,
    start_filing_exit,
    suspend_filing,
    terminate_filing,
)
from .institutions import (
    INSTITUTION_FIELDS,
    correct_credit_code,
    credit_code_locked,
    register_institution,
    update_institution,
)
from .province_review import (
    approve_application,
    end_application_publicity,
    not_select_application,
    publish_application,
    select_application,
    start_province_review,
)
from .question_banks import (
    record_question_bank_download,
    record_training_attendance,
    review_question_bank,
    submit_question_bank,
)
from .renewal import next_renewal_letter_number, renew_filing
from .submission import SubmissionRefused, submission_problems, submit_application, withdraw_application

__all__ = [
    "INSTITUTION_FIELDS",
    "ISSUING_BODIES",
    "REMINDER_DAYS_BEFORE",
    "CorrectionRequest",
    "ScopeLine",
    "SubmissionRefused",
    "add_occupation",
    "advance_after_publicity",
    "apply_to_add_occupations",
    "approve_application",
    "confirm_pledge",
    "correct_credit_code",
    "create_application",
    "credit_code_locked",
    "cultivation_end",
    "decide_occupation_addition",
    "determine_application",
    "end_application_publicity",
    "end_cultivation",
    "enters_cultivation_at_submission",
    "file_application",
    "file_cultivation",
    "filing_validity",
    "issuing_body",
    "mark_exit_requested",
    "next_counter_value",
    "next_renewal_letter_number",
    "not_recommend_application",
    "not_select_application",
    "open_call",
    "pass_city_review",
    "province_abbreviation",
    "publish_application",
    "publish_filings",
    "recommend_application",
    "record_evidence_download",
    "record_question_bank_download",
    "record_training_attendance",
    "register_institution",
    "reinstate_filing",
    "remind_cultivation",
    "remove_evidence",
    "remove_occupation",
    "render_commitment_letter",
    "render_filing_letter",
    "renew_filing",
    "report_filings",
    "return_application",
    "review_question_bank",
    "save_facts",
    "select_application",
    "sign_commitment",
    "start_city_review",
    "start_cultivation",
    "start_filing_exit",
    "start_province_review",
    "submission_problems",
    "submit_application",
    "submit_question_bank",
    "suspend_filing",
    "terminate_filing",
    "update_institution",
    "upload_evidence",
    "users_with_role",
    "withdraw_application",
]
