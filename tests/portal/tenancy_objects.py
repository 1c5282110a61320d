"""The core's entries for the tenancy test (tests/portal/test_tenancy.py): one per URL under a province with an id.

Every test package may hold a module named `tenancy_objects.py` with the same two dicts for its own URLs; the
tenancy test merges them all and fails for a URL that takes an id and is in none of them.

TENANT_OBJECTS: URL name (with namespace) -> make(province, requester) returning the URL kwargs other than the
province that name a new object of that province, in a state the page can show (a finished export, ...).
`requester` is the user about to ask: make personal objects theirs (export jobs), so that only the province
stands between them and the object.

SHARED_OBJECTS: URL name -> (why the data is not tenant-owned, make() returning the URL kwargs). Such a URL is
only checked to be 404 under a province where the caller has no membership.
"""

from collections.abc import Callable
from typing import Any

from portal.models import Province, User
from tests.factories import AuditEventFactory, ExportJobFactory, ObjectionFactory, PublicityNoticeFactory

MakeObject = Callable[[Province, User], dict[str, Any]]
MakeShared = Callable[[], dict[str, Any]]

TENANT_OBJECTS: dict[str, MakeObject] = {
    "audit_detail": lambda province, requester: {"pk": AuditEventFactory(province=province).pk},
    "export_detail": lambda province, requester: {
        "pk": ExportJobFactory(province=province, requested_by=requester, done=True).pk
    },
    "export_download": lambda province, requester: {
        "pk": ExportJobFactory(province=province, requested_by=requester, done=True).pk
    },
    "api_audit_event": lambda province, requester: {"pk": AuditEventFactory(province=province).pk},
    "publicity_manage_notice": lambda province, requester: {"pk": PublicityNoticeFactory(province=province).pk},
    "publicity_objection": lambda province, requester: {
        "pk": ObjectionFactory(item__notice__province=province).pk
    },
    "publicity_objection_attachment": lambda province, requester: {
        "pk": ObjectionFactory(item__notice__province=province, with_attachment=True).pk
    },
    "api_objection_resolve": lambda province, requester: {"pk": ObjectionFactory(item__notice__province=province).pk},
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {
    "calendar_year": (
        "the working-day calendar follows the State Council's notice, one for all of China",
        lambda: {"year": 2026},
    ),
}

