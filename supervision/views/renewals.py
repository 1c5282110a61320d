"""Renewal pages: the organization's validity and window with its renewal (declarations, materials, the pre-check with
the counted certificates, submission), the officers' list with its Excel export and their review, the list of
counted certificates as Excel, the uploaded materials and the renewal letter."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from filings.access import scope_filings
from filings.selectors import pack_for
from portal import feedback
from portal.audit import audit_personal_data_read
from portal.errors import DomainError
from portal.exports import XLSX, Column, ExportableListView, build_workbook
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access import access_renewal, scope_renewals
from ..forms_renewal import RenewalDeclarationForm, RenewalDocumentForm, RenewalFilterForm, RenewalReasonForm
from ..models import Renewal, RenewalDocument

ORGANIZATION = (Role.INSTITUTION_MEMBER,)
OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
EVERYONE = (*OFFICERS, *ORGANIZATION)


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


class RenewalHomeView(ProvinceView):
    """续期: the organization's filings with their validity, the renewal window and what is due."""

    allowed_roles = ORGANIZATION

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        filings = scope_filings(self.access).select_related("institution").order_by("valid_until", "pk")
        rows = [(f, selectors.renewal_window(f), selectors.current_renewal(f)) for f in filings]
        return render(request, "supervision/renewal_home.html", {"province": self.province, "rows": rows})


class RenewalStartView(ProvinceView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, province: str, filing_pk: int) -> HttpResponse:
        filing = get_object_or_404(scope_filings(self.access).select_related("province", "institution"), pk=filing_pk)
        try:
            renewal = services.start_renewal(filing, acting_user=self.user)
        except DomainError as exc:
            _fail(request, exc)
            return redirect("supervision:renewal_home", province=province)
        return redirect("supervision:renewal_detail", province=province, pk=renewal.pk)


def _detail_context(access: ProvinceAccess, renewal: Renewal) -> dict[str, Any]:
    pack = pack_for(renewal.province)
    category = renewal.institution.category
    lines = list(renewal.filing.occupations.filter(valid_until=renewal.period_end).select_related("occupation",
                                                                                                  "work_type"))
    is_own = access.has(Role.INSTITUTION_MEMBER) and renewal.institution_id in access.institution_ids()
    declarations = RenewalDeclarationForm(
        fields=pack.renewal_fields_for(category), lines=lines,
        initial={"occupations": [str(pk) for pk in renewal.occupations],
                 **{f"fact_{k}": v for k, v in renewal.facts.items()}},
    )
    return {
        "renewal": renewal, "check": selectors.renewal_check(renewal), "window": selectors.renewal_window(renewal.filing),
        "checklist": pack.renewal_checklist_for(category), "documents": list(renewal.documents.all()),
        "is_own": is_own, "can_edit": is_own and renewal.is_editable,
        "can_review": access.has(Role.PROVINCIAL_OFFICER) and renewal.state == "submitted",
        "declarations": declarations, "document_form": RenewalDocumentForm(items=pack.renewal_checklist_for(category)),
        "reason_form": RenewalReasonForm(),
    }


class RenewalDetailView(ProvinceView):
    """One renewal: the window, the pre-check with each rule's figure and source, the counts per occupation, the
    materials, and the actions the caller may take."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        renewal = access_renewal(self.access, pk)
        context = {"province": self.province, **_detail_context(self.access, renewal)}
        return render(request, "supervision/renewal_detail.html", context)


class _RenewalAction(ProvinceView):
    """A POST on one renewal that calls one service and comes back to the renewal's page with its message."""

    allowed_roles = ORGANIZATION
    done: Any = ""

    def act(self, request: HttpRequest, renewal: Renewal) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        renewal = access_renewal(self.access, pk)
        try:
            self.act(request, renewal)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, self.done)
        return redirect("supervision:renewal_detail", province=province, pk=pk)


class RenewalDeclarationsView(_RenewalAction):
    done = gettext_lazy("声明事项和续期职业已保存。")

    def act(self, request: HttpRequest, renewal: Renewal) -> None:
        pack = pack_for(renewal.province)
        lines = list(renewal.filing.occupations.filter(valid_until=renewal.period_end))
        form = RenewalDeclarationForm(request.POST, fields=pack.renewal_fields_for(renewal.institution.category),
                                      lines=lines)
        if not form.is_valid():
            raise DomainError(gettext("请至少选择一个申请续期的职业（工种）。"), code="renewal_blocked")
        services.update_renewal(renewal, acting_user=self.user, facts=form.facts(),
                                occupations=[int(pk) for pk in form.cleaned_data["occupations"]])


class RenewalDocumentView(_RenewalAction):
    """A renewal material: the answer lands on the upload box (its anchor) with the file's name and size, or the
    reason it was refused, inside it."""

    ROW = "renewal-upload"

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        renewal = access_renewal(self.access, pk)
        page = reverse("supervision:renewal_detail", kwargs={"province": province, "pk": pk})
        items = pack_for(renewal.province).renewal_checklist_for(renewal.institution.category)
        form = RenewalDocumentForm(request.POST, request.FILES, items=items)
        if not form.is_valid():
            feedback.row_message(request, self.ROW, gettext("请选择材料项和文件。"), error=True)
            return feedback.to_row(page, self.ROW)
        try:
            document = services.upload_renewal_document(
                renewal, acting_user=self.user, checklist_key=form.cleaned_data["checklist_key"],
                upload=form.cleaned_data["file"])
        except DomainError as exc:
            feedback.row_message(request, self.ROW, str(exc.message), error=True)
        else:
            feedback.row_message(request, self.ROW, feedback.uploaded(document.original_name, document.size))
        return feedback.to_row(page, self.ROW)


class RenewalSubmitView(_RenewalAction):
    done = gettext_lazy("续期申请已提交，等待省级审核。")

    def act(self, request: HttpRequest, renewal: Renewal) -> None:
        services.submit_renewal(renewal, acting_user=self.user)


class RenewalDecideView(_RenewalAction):
    """Return for correction, approve or refuse (provincial officers)."""

    allowed_roles = (Role.PROVINCIAL_OFFICER,)

    def act(self, request: HttpRequest, renewal: Renewal) -> None:
        decision = request.POST.get("decision")
        reason = request.POST.get("reason", "")
        if decision == "approve":
            services.approve_renewal(renewal, acting_user=self.user)
            self.done = gettext("已准予续期，续期函已出具。")
        elif decision == "return":
            services.return_renewal(renewal, acting_user=self.user, reason=reason)
            self.done = gettext("已退回补正。")
        elif decision == "refuse":
            services.refuse_renewal(renewal, acting_user=self.user, reason=reason)
            self.done = gettext("已决定不予续期。")
        else:
            raise DomainError(gettext("请选择审核结果。"), code="renewal_blocked")


def certificate_columns() -> list[Column]:
    return [
        Column(gettext("证书编号"), lambda c: c.number), Column(gettext("姓名"), lambda c: c.holder_name),
        Column(gettext("职业编码"), lambda c: c.occupation_code),
        Column(gettext("职业（工种）"), lambda c: c.occupation_name),
        Column(gettext("等级"), lambda c: c.get_level_display()), Column(gettext("发证日期"), lambda c: c.issued_on),
    ]


class RenewalCertificatesView(ProvinceView):
    """The list behind the counts, as Excel: every certificate counted for the renewal."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        renewal = access_renewal(self.access, pk)
        content, _rows = build_workbook(certificate_columns(), selectors.counted_certificates(renewal))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="renewal-{renewal.pk}-certificates.xlsx"'
        return response


class RenewalDocumentFileView(ProvinceView):
    """A material the organization uploaded for its renewal, for those who may see the renewal; the read is audited."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str, pk: int, document_pk: int) -> FileResponse:
        renewal = access_renewal(self.access, pk)
        document = get_object_or_404(RenewalDocument, renewal=renewal, pk=document_pk)
        audit_personal_data_read(self.user, renewal, what=gettext("续期材料：%(name)s") % {"name": document.original_name},
                                 province=self.province, action="renewal_document_downloaded")
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)


class RenewalLetterView(ProvinceView):
    """The renewal letter (续期函) PDF, rendered now if the task has not run yet (once: it is stored)."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponseBase:
        renewal = access_renewal(self.access, pk)
        if not renewal.letter_number:
            return redirect("supervision:renewal_detail", province=province, pk=pk)
        if not renewal.letter_pdf:
            services.render_renewal_letter(renewal.pk)
            renewal.refresh_from_db()
        return FileResponse(renewal.letter_pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"续期函-{renewal.letter_number}.pdf")


class RenewalListView(ExportableListView):
    """续期申请: the renewals the officer may see, by state, with the Excel export."""

    allowed_roles = OFFICERS
    template_name = "supervision/renewal_list.html"
    export_name = "supervision_renewals"
    export_title = "续期申请"
    filter_form_class = RenewalFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_renewals(access).select_related("institution", "filing").order_by("-submitted_at", "-id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(state=data["state"]) if data.get("state") else qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("评价机构"), lambda r: r.institution.name),
            Column(gettext("备案编号"), lambda r: r.filing.filing_number),
            Column(gettext("原有效期至"), lambda r: r.period_end),
            Column(gettext("核发证书（人次）"), lambda r: r.counts.get("total", "")),
            Column(gettext("状态"), lambda r: r.get_state_display()),
            Column(gettext("提交时间"), lambda r: r.submitted_at),
            Column(gettext("续期后有效期至"), lambda r: r.new_valid_until),
            Column(gettext("续期函文号"), lambda r: r.letter_number),
        ]
