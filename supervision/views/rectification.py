"""Rectification orders: the list with its Excel export (open, awaiting verification, overdue), and one order —
the organization answers with evidence, the inspector or officer accepts it or sends it back with a reason."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from portal.audit import audit_personal_data_read
from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import Role
from portal.roles import ProvinceAccess, ProvinceView, has_role

from .. import services
from ..access_inspections import INSPECTOR_ROLES, access_order, scope_orders
from ..forms_inspections import AnswerForm, OrderFilterForm, VerifyForm
from ..models import OrderState, RectificationFile, RectificationOrder
from ._forms import show_error

ORDER_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, *INSPECTOR_ROLES, Role.INSTITUTION_MEMBER)


class OrderListView(ExportableListView):
    """整改通知: every order the caller may see, by state or overdue, with the Excel export."""

    allowed_roles = ORDER_ROLES
    template_name = "supervision/inspections/order_list.html"
    export_name = "supervision_rectification_orders"
    export_title = "整改通知"
    filter_form_class = OrderFilterForm

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return scope_orders(access).select_related("institution", "city").order_by("deadline", "id")

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("overdue"):
            qs = qs.filter(state=OrderState.OPEN, deadline__lt=timezone.localdate())
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column(gettext("整改机构"), lambda o: o.institution.name),
            Column(gettext("来源"), lambda o: o.get_source_kind_display()),
            Column(gettext("严重程度"), lambda o: o.get_severity_display()),
            Column(gettext("整改事项"), lambda o: o.findings_text),
            Column(gettext("下达日期"), lambda o: o.issued_on),
            Column(gettext("整改截止日期"), lambda o: o.deadline),
            Column(gettext("状态"), lambda o: o.get_state_display()),
            Column(gettext("逾期"), lambda o: gettext("是") if o.overdue_at else ""),
            Column(gettext("逾期整改"), lambda o: gettext("是") if o.closed_late else ""),
        ]


class OrderDetailView(ProvinceView):
    allowed_roles = ORDER_ROLES

    def _render(self, request: HttpRequest, order: RectificationOrder, *, answer_form: AnswerForm | None = None,
                verify_form: VerifyForm | None = None, status: int = 200) -> HttpResponse:
        can_answer = order.state == OrderState.OPEN and has_role(self.user, self.province, Role.INSTITUTION_MEMBER,
                                                                 institution=order.institution)
        can_verify = order.state == OrderState.SUBMITTED and services.can_verify(self.user, order)
        return render(request, "supervision/inspections/order_detail.html", {
            "province": self.province, "order": order, "today": timezone.localdate(),
            "responses": order.responses.select_related("submitted_by", "decided_by").prefetch_related("files"),
            "can_answer": can_answer, "can_verify": can_verify,
            "answer_form": answer_form or AnswerForm(), "verify_form": verify_form or VerifyForm()}, status=status)

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self._render(request, access_order(self.access, pk))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        order = access_order(self.access, pk)
        if request.POST.get("action") == "answer":
            form = AnswerForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.answer_order(order, acting_user=self.user, text=form.cleaned_data["text"],
                                          files=request.FILES.getlist("evidence"))
                except DomainError as exc:
                    show_error(form, exc)
                else:
                    messages.success(request, gettext("整改报告已提交，等待验证。"))
                    return redirect("supervision:order_detail", province=province, pk=pk)
            return self._render(request, order, answer_form=form, status=400)
        verify = VerifyForm(request.POST)
        if verify.is_valid():
            try:
                services.verify_order(order, acting_user=self.user, accepted=verify.cleaned_data["decision"] == "accept",
                                      reason=verify.cleaned_data["reason"])
            except DomainError as exc:
                show_error(verify, exc)
            else:
                messages.success(request, gettext("验证结果已记录。"))
                return redirect("supervision:order_detail", province=province, pk=pk)
        return self._render(request, order, verify_form=verify, status=400)


class OrderFileView(ProvinceView):
    """Evidence of an answer, for those who may see the order; the read is audited."""

    allowed_roles = ORDER_ROLES

    def get(self, request: HttpRequest, province: str, pk: int, file_pk: int) -> FileResponse:
        order = access_order(self.access, pk)
        record = get_object_or_404(RectificationFile, response__order=order, pk=file_pk)
        audit_personal_data_read(self.user, order, what=gettext("整改证明材料"), province=self.province,
                                 action="rectification_file_downloaded")
        return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.name,
                            content_type=record.content_type)
