"""Issuance pages: the organization issues batches, attaches photos, watches the PDFs being rendered; a certificate and its PDF."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal import feedback
from portal.errors import DomainError
from portal.roles import ProvinceView

from .. import selectors, services
from ..access import access_batch, access_own_plan, own_live_filing, scope_batches
from ..forms.certificates import CorrectionForm, IssueForm, PhotoForm, RevocationForm
from ..models import Certificate, IssuanceBatch
from ._common import EVERYONE, ORGANIZATION, _CertificateView

BATCH_PAGE_SIZE = 50


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
            return redirect("certificates:issue", province=self.province.slug)
        plan = access_own_plan(self.access, form.cleaned_data["plan"])
        try:
            batch = services.issue_certificates(filing, acting_user=self.user, plan=plan)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("certificates:issue", province=self.province.slug)
        messages.success(request, _("已颁发%(n)d张证书，正在后台生成PDF。") % {"n": batch.total})
        return redirect("certificates:batch_detail", province=self.province.slug, pk=batch.pk)


class PhotoUploadView(ProvinceView):
    """The organization attaches a candidate's photo (file named by the ID number) to a plan's roster."""

    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        form = PhotoForm(request.POST, request.FILES)
        page, row = reverse("certificates:issue", kwargs={"province": self.province.slug}), f"plan-{plan.pk}"
        if not form.is_valid():
            feedback.row_message(request, row, _("请选择照片文件。"), error=True)
            return feedback.to_row(page, row)
        upload = form.cleaned_data["photo"]
        stem = (upload.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().upper()
        candidate = plan.candidates.filter(id_number=stem).first()
        if candidate is None:
            feedback.row_message(request, row, _(
                "照片文件名应为考生的证件号码（如 440106199003071234.jpg），本计划名册中没有“%(name)s”。") % {"name": stem},
                error=True)
            return feedback.to_row(page, row)
        try:
            services.attach_photo(candidate, acting_user=self.user, upload=upload)
        except DomainError as exc:
            feedback.row_message(request, row, str(exc), error=True)
        else:
            feedback.row_message(request, row, feedback.uploaded(upload.name or "", upload.size or 0)
                                 + _("，考生：%(name)s") % {"name": candidate.name})
        return feedback.to_row(page, row)


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
        page = int(raw) if raw.isdecimal() and int(raw) > 0 else 1
        start = (page - 1) * BATCH_PAGE_SIZE
        certificates = list(batch.certificates.order_by("number")[start:start + BATCH_PAGE_SIZE + 1])
        context.update(
            batch=batch, progress=selectors.batch_progress(batch), certificates=certificates[:BATCH_PAGE_SIZE],
            page=page, has_next=len(certificates) > BATCH_PAGE_SIZE, previous_page=page - 1, next_page=page + 1,
            progress_url=reverse("certificates:batch_progress",
                                 kwargs={"province": self.province.slug, "pk": batch.pk}),
        )
        return context


class BatchProgressView(_BatchView):
    """JSON for the progress bar: {"total", "rendered", "percent", "done", "notified"}."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = JsonResponse(selectors.batch_progress(self.get_batch()))
        response["Cache-Control"] = "no-store"
        return response


class CertificatePdfView(_CertificateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        certificate = self.get_certificate()
        if not certificate.pdf:
            raise Http404(_("证书PDF尚在生成中。"))
        services.record_certificate_read(certificate, acting_user=self.user, what=services.CERTIFICATE_PDF)
        return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=f"{certificate.number}.pdf",
                            content_type="application/pdf")


class CertificateDetailView(_CertificateView, TemplateView):
    template_name = "certificates/issuance/certificate_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        certificate = kwargs.get("certificate") or self.get_certificate()
        services.record_certificate_read(certificate, acting_user=self.user, what=services.FULL_ID_NUMBER)
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
