"""Selection's entries for the tenancy test (tests/portal/test_tenancy.py): one per URL under a province with an id.

Each make(province, requester) returns the URL kwargs naming a new object of that province, in a state the page can
show. Expert-only URLs are answered 404 to officers of any province (the URL names an object and they lack the role);
the expert side (an expert of the province who is not assigned) is covered in tests/selection/test_access.py.
"""

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from filings.models import Evidence
from portal.models import Province, User
from selection.models import LeadershipApproval, ScoreSheet
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ExpertFactory,
    PanelFactory,
    selection_round,
    sheet_with_total,
)
from tests.portal.tenancy_objects import MakeObject


def _call(province: Province, requester: User) -> dict[str, Any]:
    return {"call_pk": CallFactory(closed=True, province=province).pk}


def _call_and_city(province: Province, requester: User) -> dict[str, Any]:
    call = CallFactory(closed=True, province=province)
    ApplicationFactory(city_scoring=True, province=province, call=call)
    return {"call_pk": call.pk, "city": province.cities.order_by("code").first().code}  # type: ignore[union-attr]


def _sheet(province: Province) -> ScoreSheet:
    panel = PanelFactory(call=CallFactory(closed=True, province=province))
    application = ApplicationFactory(city_scoring=True, province=province, call=panel.call)
    return sheet_with_total(panel, application, 80, submitted=False)


def _sheet_pk(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": _sheet(province).pk}


def _submitted_sheet_pk(province: Province, requester: User) -> dict[str, Any]:
    panel = PanelFactory(call=CallFactory(closed=True, province=province))
    return {"pk": sheet_with_total(panel, ApplicationFactory(city_scoring=True, province=province, call=panel.call), 80).pk}


def _evidence(province: Province, requester: User) -> dict[str, Any]:
    sheet = _sheet(province)
    evidence = Evidence.objects.create(
        application=sheet.application, checklist_key="business_license", original_name="营业执照.pdf",
        content_type="application/pdf", size=12, sha256="0" * 64, uploaded_by=sheet.application.created_by,
        file=default_storage.save("tests/selection/license.pdf", ContentFile(b"%PDF-1.4\n%x\n")),
    )
    return {"pk": sheet.pk, "evidence_pk": evidence.pk}


def _panel(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": PanelFactory(call=CallFactory(closed=True, province=province)).pk}


def _approval(province: Province, requester: User) -> dict[str, Any]:
    call = CallFactory(closed=True, province=province)
    approval = LeadershipApproval.objects.create(
        round=selection_round(call), meeting_date=dt.date(2026, 5, 29), document_number="测〔2026〕1号",
        attachment=ContentFile(b"%PDF-1.4\n%approval\n", name="approval.pdf"), attachment_name="审定纪要.pdf",
        attachment_content_type="application/pdf", attachment_sha256="0" * 64, recorded_by=call.created_by,
    )
    return {"pk": approval.pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    # pages
    "selection:expert_edit": lambda province, requester: {"pk": ExpertFactory(province=province).pk},
    "selection:rubric": _call,
    "selection:panel_form": _call,
    "selection:panel_detail": _panel,
    "selection:sheet": _sheet_pk,
    "selection:sheet_conflict": _sheet_pk,
    "selection:sheet_reopen": _submitted_sheet_pk,
    "selection:sheet_evidence": _evidence,
    "selection:city_table": _call_and_city,
    "selection:city_table_xlsx": _call_and_city,
    "selection:city_table_pdf": _call_and_city,
    "selection:province_ranking": _call,
    "selection:approval": _call,
    "selection:publish": _call,
    "selection:approval_document": _approval,
    # API
    "api_selection_sheet": _sheet_pk,
    "api_selection_sheet_scores": _sheet_pk,
    "api_selection_sheet_submit": _sheet_pk,
    "api_selection_sheet_conflict": _sheet_pk,
    "api_selection_sheet_reopen": _submitted_sheet_pk,
    "api_selection_panels": _call,
    "api_selection_panel_form": _call,
    "api_selection_panel_assign": _panel,
    "api_selection_panel_draw": _panel,
    "api_selection_rankings": _call,
    "api_selection_recommend": _call_and_city,
    "api_selection_send_table": _call_and_city,
    "api_selection_city_publish": _call_and_city,
    "api_selection_start_review": _call,
    "api_selection_select": _call,
    "api_selection_approval": _call,
    "api_selection_publish": _call,
}
