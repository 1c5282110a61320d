"""Entries of the cultivation and filing URLs for the tenancy test (see tests/portal/tenancy_objects.py)."""

from filings.models import TaskKind
from tests import factories as f
from tests.portal.tenancy_objects import MakeObject, MakeShared

TENANT_OBJECTS: dict[str, MakeObject] = {}

_CULTIVATION = lambda province, requester: {"pk": f.CultivationFactory(province=province, signed=True).pk}  # noqa: E731
_QUESTION_BANK = lambda province, requester: {"pk": f.a_task(province).pk}  # noqa: E731
_TRAINING = lambda province, requester: {"pk": f.a_task(province, TaskKind.EXAM_TRAINING).pk}  # noqa: E731
_FILING = lambda province, requester: {"pk": f.FilingFactory(with_scope=True, province=province).pk}  # noqa: E731
_LETTER = lambda province, requester: {"pk": f.FilingFactory(with_scope=True, province=province).letters.get().pk}  # noqa: E731
_ADDITION = lambda province, requester: {"pk": f.an_addition(province).pk}  # noqa: E731
_QB_FILE = lambda province, requester: {"pk": f.a_question_bank_file(province).pk}  # noqa: E731

TENANT_OBJECTS.update({
    "filings:cultivation_detail": _CULTIVATION,
    "filings:commitment_sign": _CULTIVATION,
    "filings:commitment_download": _CULTIVATION,
    "filings:file_decision": _CULTIVATION,
    "filings:question_bank_submit": _QUESTION_BANK,
    "filings:question_bank_review": _QUESTION_BANK,
    "filings:training_record": _TRAINING,
    "filings:question_bank_file": _QB_FILE,
    "filings:filing_detail": _FILING,
    "filings:addition_create": _FILING,
    "filings:addition_decide": _ADDITION,
    "filings:filing_letter": _LETTER,
    "api_cultivation": _CULTIVATION,
    "api_commitment": _CULTIVATION,
    "api_commitment_pdf": _CULTIVATION,
    "api_file_decision": _CULTIVATION,
    "api_question_bank_submit": _QUESTION_BANK,
    "api_question_bank_review": _QUESTION_BANK,
    "api_training_record": _TRAINING,
    "api_filing": _FILING,
    "api_filing_additions": _FILING,
    "api_filing_letter": _LETTER,
})

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}
