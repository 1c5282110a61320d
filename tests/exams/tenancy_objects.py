"""The exam pipeline's entries for the tenancy test (tests/portal/test_tenancy.py): every certificates URL under a
province that names a plan, a session, a candidate or an objection.

Each entry makes a filed plan of the given province (its provincial officer may read it). The organization's pages
admit only members of the plan's organization, so a Guangdong officer gets 404 there whatever the reason; the pages
officers may open (plan_detail, roster, results, review and their API) are where the province scoping is proven,
and the control test opens them for the province's own officer. Other cities and other organizations of the same
province are in tests/exams/test_access.py.
"""

from typing import Any

from portal.models import Province, User
from tests.factories import filed_plan_in, objection_on, staff
from tests.portal.tenancy_objects import MakeObject, MakeShared


def _plan(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": filed_plan_in(province).pk}


def _session(province: Province, requester: User) -> dict[str, Any]:
    plan = filed_plan_in(province)
    return {"pk": plan.pk, "session_pk": plan.sessions.get().pk}


def _candidate(province: Province, requester: User) -> dict[str, Any]:
    plan = filed_plan_in(province, state="results_entry")
    return {"pk": plan.pk, "candidate_pk": plan.candidates.get().pk}


def _staff(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": staff(filed_plan_in(province).filing, "invigilator", 1)[0].pk}


def _objection(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": objection_on(filed_plan_in(province)).pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    "exams:plan_detail": _plan,
    "exams:plan_edit": _plan,
    "exams:session_add": _plan,
    "exams:session_remove": _session,
    "exams:session_staff": _session,
    "exams:roster": _plan,
    "exams:plan_roster_template": _plan,
    "exams:plan_results_template": _plan,
    "exams:staff_edit": _staff,
    "exams:plan_file": _plan,
    "exams:plan_amend": _plan,
    "exams:plan_cancel": _plan,
    "exams:plan_acknowledge": _plan,
    "exams:plan_request_changes": _plan,
    "exams:plan_visit": _plan,
    "exams:start_results": _plan,
    "exams:results": _plan,
    "exams:result_entry": _candidate,
    "exams:results_publish": _plan,
    "exams:results_resubmit": _plan,
    "exams:review": _plan,
    "exams:objection_answer": _objection,
    "api_exam_plan": _plan,
    "api_exam_sessions": _plan,
    "api_exam_session_staff": _session,
    "api_exam_roster": _plan,
    "api_exam_plan_file": _plan,
    "api_exam_plan_amend": _plan,
    "api_exam_plan_acknowledge": _plan,
    "api_exam_plan_request_changes": _plan,
    "api_exam_start_results": _plan,
    "api_exam_results": _plan,
    "api_exam_results_publish": _plan,
    "api_exam_results_resubmit": _plan,
    "api_exam_review": _plan,
    "api_exam_objection_answer": _objection,
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}
