"""The write side of the exam-to-certificate pipeline: this package and certificates.selectors are the app's public face.

Each function is the one path for its change: it checks who acts, runs in a transaction, locks the row, refuses an
illegal move with a DomainError (a stable `certificates.errors.Codes` code, a Chinese message), writes an audit event
with the changed fields and queues notifications after commit. Import from here (`from certificates import services`),
never from the modules, which are split by concern:

- venues_staff: the organization's exam venues and staff;
- plans: exam plans, their sessions and staffing, and the moves by state (amend, cancel, acknowledge, visits);
- plan_filing: the checks before filing (lead time, scope, staffing, double bookings) and filing itself;
- rosters: the candidates' roster import and their photos;
- results: entering and importing results;
- result_publicity: the results' publicity (portal.publicity, kind "exam_results") and its objections;
- result_review: the city's and the province's review of the results;
- issuance: issuing certificate batches (numbers, COPY), rendering their PDFs and announcing them;
- signing_keys: the province's Ed25519 key for the QR payload, and its rotation;
- credentials: certificates as verifiable credentials (vc+jwt) and the Bitstring Status Lists;
- changes: revocation and correction (the organization asks, the city or province approves);
- lookup: the public lookup (rate limit, log); lookup_log: its Redis queue and COPY flush;
- registry: the officers' registry exported as CSV;
- registry_export: the registry's columns, the national data fields for the national networked lookup;
- holder_accounts: the holder's skill-bank account (opened on three facts) and their whole record, PDF and JSON;
- share_links: the holder's share links (create, revoke, open and count);
- personal_data: the audited reads of a holder's personal data (the PDF, the full ID number);
- sweeps: what the beat sweeps call per row (lapsing plans).
"""

from portal.errors import DomainError

from ..errors import Codes, PlanRefused, RowsRejected
from ._common import CANDIDATE_TYPE, RESULTS_KIND, plan_link, review_link
from .changes import (
    CHANGE_APPROVERS,
    CORRECTABLE_FIELDS,
    DEFAULT_CHANGE_APPROVER,
    approve_change,
    change_approver_level,
    clean_corrections,
    may_approve_changes,
    reject_change,
    request_correction,
    request_revocation,
    withdraw_change,
)
from .credentials import (
    certificate_credential,
    credential_for_payload,
    status_entry_of,
    status_list_credential,
    status_list_for,
    verifier_bundle,
)
from .holder_accounts import (
    RECORD_JSON,
    RECORD_PDF,
    ExamLine,
    HolderRecord,
    account_of,
    holder_record,
    open_account,
    record_download,
    record_json,
    record_pdf,
)
from .issuance import (
    CERTIFICATE_COPY_COLUMNS,
    ISSUE_ROW_FIELDS,
    copy_certificates,
    finish_batch,
    issue_certificates,
    notify_batch,
    pending_certificates,
    render_batch,
    render_certificate,
    sign_certificate,
    start_pipeline_on_commit,
)
from .lookup import (
    LOOKUP_LOG_COLUMNS,
    LOOKUP_RATE_LIMIT,
    LOOKUP_RATE_WINDOW_SECONDS,
    digest_identifier,
    lookup_by_id_number,
    lookup_by_link,
    lookup_by_number,
    lookup_by_payload,
    lookup_rate,
)
from .personal_data import (
    CERTIFICATE_PDF,
    FULL_ID_NUMBER,
    record_certificate_read,
    record_change_read,
    record_results_template_read,
    record_roster_read,
)
from .plan_filing import (
    Problem,
    add_working_days_for_demo,
    earliest_allowed_date,
    file_plan,
    lead_time_problem,
    plan_problems,
    plan_snapshot,
    roster_overlaps,
    staffing_report,
)
from .plans import (
    acknowledge_plan,
    add_session,
    assign_staff,
    cancel_plan,
    cancel_plans_of_filing,
    create_plan,
    remove_session,
    request_plan_changes,
    schedule_visit,
    start_amendment,
    update_plan,
)
from .registry import export_registry_csv
from .registry_export import CERTIFICATE_NAME, NATIONAL_COLUMNS, with_national_fields
from .result_publicity import (
    answer_objection,
    end_result_publicity,
    on_result_item_withdrawn,
    on_result_publicity_ended,
    publish_results,
)
from .result_review import approve_results, resubmit_results, return_results
from .results import enter_result, exam_held, import_results, start_results
from .rosters import COPY_CANDIDATES_SQL, PHOTO_PIXELS, ImportResult, attach_photo, import_roster
from .share_links import (
    DEFAULT_DAYS,
    create_share_link,
    link_of,
    links_of,
    open_share_link,
    revoke_share_link,
)
from .signing_keys import active_signing_key, rotate_signing_key
from .sweeps import lapse_plan
from .venues_staff import Qualification, create_staff, create_venue, update_staff

__all__ = [
    "CANDIDATE_TYPE",
    "CERTIFICATE_COPY_COLUMNS",
    "CERTIFICATE_NAME",
    "CERTIFICATE_PDF",
    "CHANGE_APPROVERS",
    "COPY_CANDIDATES_SQL",
    "CORRECTABLE_FIELDS",
    "DEFAULT_CHANGE_APPROVER",
    "DEFAULT_DAYS",
    "FULL_ID_NUMBER",
    "ISSUE_ROW_FIELDS",
    "LOOKUP_LOG_COLUMNS",
    "LOOKUP_RATE_LIMIT",
    "LOOKUP_RATE_WINDOW_SECONDS",
    "NATIONAL_COLUMNS",
    "PHOTO_PIXELS",
    "RECORD_JSON",
    "RECORD_PDF",
    "RESULTS_KIND",
    "Codes",
    "DomainError",
    "ExamLine",
    "HolderRecord",
    "ImportResult",
    "PlanRefused",
    "Problem",
    "Qualification",
    "RowsRejected",
    "account_of",
    "acknowledge_plan",
    "active_signing_key",
    "add_session",
    "add_working_days_for_demo",
    "answer_objection",
    "approve_change",
    "approve_results",
    "assign_staff",
    "attach_photo",
    "cancel_plan",
    "cancel_plans_of_filing",
    "certificate_credential",
    "change_approver_level",
    "clean_corrections",
    "copy_certificates",
    "create_plan",
    "create_share_link",
    "create_staff",
    "create_venue",
    "credential_for_payload",
    "digest_identifier",
    "earliest_allowed_date",
    "end_result_publicity",
    "enter_result",
    "exam_held",
    "export_registry_csv",
    "file_plan",
    "finish_batch",
    "holder_record",
    "import_results",
    "import_roster",
    "issue_certificates",
    "lapse_plan",
    "lead_time_problem",
    "link_of",
    "links_of",
    "lookup_by_id_number",
    "lookup_by_link",
    "lookup_by_number",
    "lookup_by_payload",
    "lookup_rate",
    "may_approve_changes",
    "notify_batch",
    "on_result_item_withdrawn",
    "on_result_publicity_ended",
    "open_account",
    "open_share_link",
    "pending_certificates",
    "plan_link",
    "plan_problems",
    "plan_snapshot",
    "publish_results",
    "record_certificate_read",
    "record_change_read",
    "record_download",
    "record_json",
    "record_pdf",
    "record_results_template_read",
    "record_roster_read",
    "reject_change",
    "remove_session",
    "render_batch",
    "render_certificate",
    "request_correction",
    "request_plan_changes",
    "request_revocation",
    "resubmit_results",
    "return_results",
    "review_link",
    "revoke_share_link",
    "roster_overlaps",
    "rotate_signing_key",
    "schedule_visit",
    "sign_certificate",
    "staffing_report",
    "start_amendment",
    "start_pipeline_on_commit",
    "start_results",
    "status_entry_of",
    "status_list_credential",
    "status_list_for",
    "update_plan",
    "update_staff",
    "verifier_bundle",
    "with_national_fields",
    "withdraw_change",
]
