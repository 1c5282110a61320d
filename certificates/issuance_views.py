"""Pages of certificate issuance under /<province>/certificates/: the organization issues batches and watches their
PDFs being rendered, downloads certificates, asks for revocation or correction; the city or province approves; the
officers' registry with its Excel and CSV exports. Thin: parse, call certificates.services, show the outcome."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView

from portal.audit import record_event
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView

from . import selectors, services
from .access import (
    access_batch,
    access_certificate,
    access_change,
    access_own_plan,
    own_live_filing,
    scope_batches,
    scope_certificates,
    scope_changes,
)
from .issuance_forms import CorrectionForm, DecisionForm, IssueForm, PhotoForm, RegistryFilterForm, RevocationForm
from .models import Certificate, CertificateChange, ChangeState, IssuanceBatch

ORGANIZATION: tuple[str, ...] = (Role.INSTITUTION_MEMBER,)
OFFICERS = (Role.CITY_OFFICER, Role.PROVINCIAL_OFFICER)
EVERYONE = (Role.INSTITUTION_MEMBER, *OFFICERS)
BATCH_PAGE_SIZE = 50
CORRECTION_LABELS = {"holder_name": gettext_lazy("姓名"), "id_type": gettext_lazy("证件类型"),
                     "id_number": gettext_lazy("证件号码"), "work_type_name": gettext_lazy("工种/职业方向")}


def _act_on(request: HttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


class IssueView(ProvinceView, TemplateView):
    """发证: the organization's approved plans with the results still to certify, and its recent batches."""

    allowed_roles = ORGANIZATION
    template_name = "certificates/issuance/issue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = own_live_filing(self.access)
        context["filing"] = filing
        context["plans"] = selectors.plans_to_certify(filing) if filing else []
        context["batches"] = scope_batches(self.access).select_related("plan").order_by("-created_at", "-pk")[:20]
        context["photo_form"] = PhotoForm()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = IssueForm(request.POST)
        filing = own_live_filing(self.access)
        if not form.is_valid() or filing is None:
            messages.error(request, _("请选择要发证的考核计划。"))
            return redirect("certificates_issuance:issue", province=self.province.slug)
        plan = access_own_plan(self.access, form.cleaned_data["plan"])
        try:
            batch = services.issue_certificates(filing, acting_user=request.user, plan=plan)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("certificates_issuance:issue", province=self.province.slug)
        messages.success(request, _("已颁发%(n)d张证书，正在后台生成PDF。") % {"n": batch.total})
        return redirect("certificates_issuance:batch_detail", province=self.province.slug, pk=batch.pk)


class PhotoUploadView(ProvinceView):
    """The organization attaches a candidate's photo (file named by the ID number) to a plan's roster."""

    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        form = PhotoForm(request.POST, request.FILES)
        target = redirect("certificates_issuance:issue", province=self.province.slug)
        if not form.is_valid():
            messages.error(request, _("请选择照片文件。"))
            return target
        upload = form.cleaned_data["photo"]
        stem = (upload.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().upper()
        candidate = plan.candidates.filter(id_number=stem).first()
        if candidate is None:
            messages.error(request, _("照片文件名应为考生的证件号码（如 440106199003071234.jpg），本计划名册中没有“%(name)s”。")
                           % {"name": stem})
            return target
        _act_on(request, lambda: services.attach_photo(candidate, acting_user=request.user,  # type: ignore[arg-type]
                                                       upload=upload),
                _("已上传%(name)s的照片。") % {"name": candidate.name})
        return target


class BatchListView(ProvinceView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "certificates/issuance/batch_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["batches"] = (scope_batches(self.access).select_related("institution", "plan")
                              .order_by("-created_at", "-pk")[:100])
        return context


class _BatchView(ProvinceView):
    allowed_roles = EVERYONE

    def get_batch(self) -> IssuanceBatch:
        return access_batch(self.access, self.kwargs["pk"])

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_batch()
        return super().http_method_not_allowed(request, *args, **kwargs)


class BatchDetailView(_BatchView, TemplateView):
    """A batch: the progress bar of its PDFs (static/js/certificate_progress.js polls the JSON below) and its
    certificates, a page at a time."""

    template_name = "certificates/issuance/batch_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch = self.get_batch()
        raw = self.request.GET.get("page", "1")
        page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        start = (page - 1) * BATCH_PAGE_SIZE
        certificates = list(batch.certificates.order_by("number")[start:start + BATCH_PAGE_SIZE + 1])
        context.update(
            batch=batch, progress=selectors.batch_progress(batch), certificates=certificates[:BATCH_PAGE_SIZE],
            page=page, has_next=len(certificates) > BATCH_PAGE_SIZE, previous_page=page - 1, next_page=page + 1,
            progress_url=reverse("certificates_issuance:batch_progress",
                                 kwargs={"province": self.province.slug, "pk": batch.pk}),
        )
        return context


class BatchProgressView(_BatchView):
    """JSON for the progress bar: {"total", "rendered", "percent", "done", "notified"}."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = JsonResponse(selectors.batch_progress(self.get_batch()))
        response["Cache-Control"] = "no-store"
        return response


class _CertificateView(ProvinceView):
    allowed_roles: tuple[str, ...] = EVERYONE

    def get_certificate(self) -> Certificate:
        return access_certificate(self.access, self.kwargs["pk"])

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_certificate()
        return super().http_method_not_allowed(request, *args, **kwargs)


class CertificatePdfView(_CertificateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        certificate = self.get_certificate()
        if not certificate.pdf:
            raise Http404(_("证书PDF尚在生成中。"))
        return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=f"{certificate.number}.pdf",
                            content_type="application/pdf")


class CertificateDetailView(_CertificateView, TemplateView):
    template_name = "certificates/issuance/certificate_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        certificate = kwargs.get("certificate") or self.get_certificate()
        is_issuer = certificate.institution_id in self.access.institution_ids()
        context.update(
            certificate=certificate, public=selectors.public_view(certificate), is_issuer=is_issuer,
            changes=certificate.changes.select_related("requested_by", "decided_by", "replacement"),
            supersedes=Certificate.objects.filter(superseded_by=certificate).only("pk", "number").first(),
            history=selectors.certificate_history(certificate),
            revocation_form=kwargs.get("revocation_form") or RevocationForm(),
            correction_form=kwargs.get("correction_form") or CorrectionForm(initial={
                "holder_name": certificate.holder_name, "id_type": certificate.id_type,
                "id_number": certificate.id_number, "work_type_name": certificate.work_type_name}),
        )
        return context


class RevocationRequestView(_CertificateView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_certificate()
        form = RevocationForm(request.POST)
        if form.is_valid():
            _act_on(request, lambda: services.request_revocation(
                certificate, acting_user=request.user, reason_code=form.cleaned_data["reason_code"],  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"]), _("撤销申请已提交，待审批。"))
        else:
            messages.error(request, _("请选择撤销原因并填写情况说明。"))
        return redirect("certificates_issuance:certificate_detail", province=self.province.slug, pk=certificate.pk)


class CorrectionRequestView(_CertificateView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_certificate()
        form = CorrectionForm(request.POST)
        if form.is_valid():
            _act_on(request, lambda: services.request_correction(
                certificate, acting_user=request.user, corrections=form.corrections(),  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"]), _("更正申请已提交，批准后换发新证书。"))
        else:
            messages.error(request, _("请完整填写更正内容和理由。"))
        return redirect("certificates_issuance:certificate_detail", province=self.province.slug, pk=certificate.pk)


class ChangeListView(ProvinceView, TemplateView):
    """Revocations and corrections: the approver's worklist (pending first), the organization's own requests."""

    allowed_roles = EVERYONE
    template_name = "certificates/issuance/change_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        changes = scope_changes(self.access).select_related("certificate", "requested_by").order_by("-requested_at")
        context["pending"] = list(changes.filter(state=ChangeState.REQUESTED)[:200])
        context["decided"] = list(changes.exclude(state=ChangeState.REQUESTED)[:50])
        return context


class ChangeDetailView(ProvinceView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "certificates/issuance/change_detail.html"

    def get_change(self) -> CertificateChange:
        return access_change(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        change = self.get_change()
        certificate = change.certificate
        context.update(
            change=change, certificate=certificate,
            corrections=[(CORRECTION_LABELS.get(f, f), getattr(certificate, f), v)
                         for f, v in change.corrections.items()],
            may_decide=(change.state == ChangeState.REQUESTED
                        and services.may_approve_changes(self.request.user, certificate.filing)),  # type: ignore[arg-type]
            may_withdraw=(change.state == ChangeState.REQUESTED
                          and certificate.institution_id in self.access.institution_ids()),
            form=kwargs.get("form") or DecisionForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        change = self.get_change()
        if "withdraw" in request.POST:
            _act_on(request, lambda: services.withdraw_change(change, acting_user=request.user),  # type: ignore[arg-type]
                    _("申请已撤回。"))
            return redirect("certificates_issuance:change_detail", province=self.province.slug, pk=change.pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        user = request.user
        if form.cleaned_data["decision"] == "approve":
            _act_on(request, lambda: services.approve_change(change, acting_user=user,  # type: ignore[arg-type]
                                                             note=form.cleaned_data["note"]), _("已批准。"))
        else:
            _act_on(request, lambda: services.reject_change(change, acting_user=user,  # type: ignore[arg-type]
                                                            note=form.cleaned_data["note"]), _("已不予批准。"))
        return redirect("certificates_issuance:change_detail", province=self.province.slug, pk=change.pk)


# --- the officers' registry, in the national lookup's fields ---

NATIONAL_COLUMNS = [
    Column("证书编号", lambda c: c.number),
    Column("姓名", lambda c: c.holder_name),
    Column("证件类型", lambda c: c.get_id_type_display()),
    Column("证件号码", lambda c: c.id_number),
    Column("职业编码", lambda c: c.occupation_code),
    Column("职业名称", lambda c: c.occupation_name),
    Column("工种/职业方向", lambda c: c.work_type_name),
    Column("等级", lambda c: c.level_label),
    Column("评价机构", lambda c: c.organization_name),
    Column("发证日期", lambda c: c.issued_on),
    Column("证书状态", lambda c: c.get_status_display()),
    Column("状态变更日期", lambda c: c.status_changed_on),
    Column("换发新证书编号", lambda c: c.superseded_by.number if c.superseded_by_id else ""),
]


class RegistryView(ExportableListView):
    """证书登记簿: the province's certificates (a city officer: its organizations'), filtered, with the Excel export
    (portal.exports) and a CSV export (?export=csv) in the national lookup's fields."""

    allowed_roles = OFFICERS
    template_name = "certificates/issuance/registry.html"
    export_name = "certificates"
    export_title = "职业技能等级证书"
    filter_form_class = RegistryFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_certificates(access).select_related("superseded_by").order_by("-issued_on", "number")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        term = (data.get("q") or "").strip()
        if term:
            qs = qs.filter(Q(number=term.upper()) | Q(holder_name=term) | Q(organization_name__icontains=term))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("issued_from"):
            qs = qs.filter(issued_on__gte=data["issued_from"])
        if data.get("issued_to"):
            qs = qs.filter(issued_on__lte=data["issued_to"])
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return NATIONAL_COLUMNS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if request.GET.get("export") == "csv":
            return self.export_csv(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "csv"
        context["csv_querystring"] = query.urlencode()
        return context

    def export_csv(self, request: HttpRequest) -> StreamingHttpResponse:
        params = request.GET.dict()
        params.pop("export", None)
        params.pop("page", None)
        qs = self.filtered_queryset(self.access, params)
        record_event(actor=request.user, action="export", obj=self.province, province=self.province,  # type: ignore[arg-type]
                     reason=str(self.export_title), changes={"export": f"{self.export_name}.csv", "params": params})
        columns = self.columns()

        def rows() -> Iterator[str]:
            buffer = _Echo()
            writer = csv.writer(buffer)
            yield "\ufeff" + writer.writerow([c.header for c in columns])  # BOM: Excel opens it as UTF-8
            for certificate in qs.iterator(chunk_size=2000):
                yield writer.writerow(["" if (v := c.value(certificate)) is None else v for c in columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        filename = f"{self.export_name}-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value
