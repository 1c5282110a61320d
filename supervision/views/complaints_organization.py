"""Complaints for the organization complained about: the ones forwarded to it, without the complainant's name or
contact, and its answer with evidence."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from portal.errors import DomainError
from portal.models import Role
from portal.roles import ProvinceView

from .. import selectors, services
from ..access import access_complaint, scope_complaints
from ..forms_complaints import OrganizationAnswerForm
from ..models import Complaint, ComplaintState
from ._forms import show_error


class OrganizationComplaintListView(ProvinceView):
    """本机构收到的投诉: awaiting its answer first."""

    allowed_roles = (Role.INSTITUTION_MEMBER,)

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        complaints = (scope_complaints(self.access).filter(institution_id__in=self.access.institution_ids())
                      .select_related("institution").order_by("-forwarded_at", "-id"))
        waiting = [c for c in complaints if c.state == ComplaintState.AWAITING_ORGANIZATION]
        others = [c for c in complaints if c.state != ComplaintState.AWAITING_ORGANIZATION]
        return render(request, "supervision/complaints/organization_list.html",
                      {"province": self.province, "access": self.access, "waiting": waiting, "others": others})


class OrganizationComplaintView(ProvinceView):
    """One complaint as the organization sees it, and its answer while the officer waits for one."""

    allowed_roles = (Role.INSTITUTION_MEMBER,)

    def _complaint(self, pk: int) -> Complaint:
        complaint = access_complaint(self.access, pk)
        if complaint.institution_id not in self.access.institution_ids():
            raise Http404
        return complaint

    def _render(self, request: HttpRequest, complaint: Complaint, form: OrganizationAnswerForm,
                status: int = 200) -> HttpResponse:
        return render(request, "supervision/complaints/organization_detail.html", {
            "province": self.province, "access": self.access, "complaint": complaint, "form": form,
            "messages_list": selectors.messages_for(complaint, selectors.ORGANIZATION),
            "attachments": selectors.attachments_for(complaint, selectors.ORGANIZATION),
            "can_answer": complaint.state == ComplaintState.AWAITING_ORGANIZATION}, status=status)

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, self._complaint(pk), OrganizationAnswerForm())

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        complaint = self._complaint(pk)
        form = OrganizationAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_as_organization(complaint, acting_user=self.user, text=form.cleaned_data["text"],
                                                files=form.cleaned_data["attachments"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, gettext("答复已提交，承办单位将据此作出认定。"))
                return redirect("supervision:organization_complaint", province=province, pk=pk)
        return self._render(request, complaint, form, status=400)
