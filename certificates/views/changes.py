"""Revocation and correction pages: the organization asks, the city or the province decides."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView

from portal.roles import ProvinceView

from .. import services
from ..access import access_change, scope_changes
from ..forms.certificates import CorrectionForm, DecisionForm, RevocationForm
from ..models import CertificateChange, ChangeState
from ._common import EVERYONE, ORGANIZATION, _act_on, _CertificateView

CORRECTION_LABELS = {"holder_name": gettext_lazy("姓名"), "id_type": gettext_lazy("证件类型"),
                     "id_number": gettext_lazy("证件号码"), "work_type_name": gettext_lazy("工种/职业方向")}


class RevocationRequestView(_CertificateView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_certificate()
        form = RevocationForm(request.POST)
        if form.is_valid():
            _act_on(request, lambda: services.request_revocation(
                certificate, acting_user=self.user, reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"]), _("撤销申请已提交，待审批。"))
        else:
            messages.error(request, _("请选择撤销原因并填写情况说明。"))
        return redirect("certificates:certificate_detail", province=self.province.slug, pk=certificate.pk)


class CorrectionRequestView(_CertificateView):
    allowed_roles = ORGANIZATION

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_certificate()
        form = CorrectionForm(request.POST)
        if form.is_valid():
            _act_on(request, lambda: services.request_correction(
                certificate, acting_user=self.user, corrections=form.corrections(),
                reason=form.cleaned_data["reason"]), _("更正申请已提交，批准后换发新证书。"))
        else:
            messages.error(request, _("请完整填写更正内容和理由。"))
        return redirect("certificates:certificate_detail", province=self.province.slug, pk=certificate.pk)


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
        services.record_change_read(change, acting_user=self.user)
        context.update(
            change=change, certificate=certificate,
            corrections=[(CORRECTION_LABELS.get(f, f), getattr(certificate, f), v)
                         for f, v in change.corrections.items()],
            may_decide=(change.state == ChangeState.REQUESTED
                        and services.may_approve_changes(self.user, certificate.filing)),
            may_withdraw=(change.state == ChangeState.REQUESTED
                          and certificate.institution_id in self.access.institution_ids()),
            form=kwargs.get("form") or DecisionForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        change = self.get_change()
        if "withdraw" in request.POST:
            _act_on(request, lambda: services.withdraw_change(change, acting_user=self.user),
                    _("申请已撤回。"))
            return redirect("certificates:change_detail", province=self.province.slug, pk=change.pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        user = self.user
        if form.cleaned_data["decision"] == "approve":
            _act_on(request, lambda: services.approve_change(change, acting_user=user,
                                                             note=form.cleaned_data["note"]), _("已批准。"))
        else:
            _act_on(request, lambda: services.reject_change(change, acting_user=user,
                                                            note=form.cleaned_data["note"]), _("已不予批准。"))
        return redirect("certificates:change_detail", province=self.province.slug, pk=change.pk)
