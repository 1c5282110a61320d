"""Publicity pages: the public list and notice (with the objection form, no login), and the officers' notices and
objections under /<province>/publicity/."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import publicity
from ..access import access_notice, access_objection, scope_notices, scope_objections
from ..errors import DomainError
from ..forms import ObjectionForm, ObjectionResolutionForm
from ..models import Objection, ObjectionState, Province, PublicityItem, PublicityNotice, Role
from ..ratelimit import client_ip
from ..roles import ProvinceView, PublicView

PROVINCIAL = (Role.PROVINCIAL_OFFICER,)
PUBLIC_LIST_SIZE = 50


# --- public ---

class PublicNoticeListView(PublicView):
    """The province's publicity notices: open ones first, then the recent ended ones."""

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        p = get_object_or_404(Province, slug=province)
        notices = list(PublicityNotice.objects.in_province(p).public()
                       .annotate(item_count=Count("items", filter=Q(items__withdrawn_at__isnull=True)))
                       [:PUBLIC_LIST_SIZE])
        return render(request, "portal/publicity_public_list.html", {
            "notice_province": p,
            "open_notices": [n for n in notices if n.is_open],
            "ended_notices": [n for n in notices if not n.is_open],
        })


class PublicNoticeView(PublicView):
    """One notice with its items, and the public objection form while the period is open."""

    def notice(self, province: str, pk: int) -> PublicityNotice:
        p = get_object_or_404(Province, slug=province)
        return get_object_or_404(PublicityNotice.objects.in_province(p).public().select_related("province"), pk=pk)

    def render_page(self, request: HttpRequest, notice: PublicityNotice, form: ObjectionForm | None = None,
                    status: int = 200) -> HttpResponse:
        items = list(notice.items.all())
        accepts = notice.accepts_objections()
        if form is None and accepts:
            form = ObjectionForm(items=[(i.pk, i.title) for i in items if not i.is_withdrawn])
        return render(request, "portal/publicity_public_notice.html", {
            "notice_province": notice.province, "notice": notice, "items": items, "form": form,
            "accepts": accepts,
        }, status=status)

    def get(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        return self.render_page(request, self.notice(province, pk))

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        notice = self.notice(province, pk)
        items = {i.pk: i for i in notice.items.filter(withdrawn_at__isnull=True)}
        form = ObjectionForm(request.POST, request.FILES, items=[(i.pk, i.title) for i in items.values()])
        if form.is_valid():
            d = form.cleaned_data
            try:
                publicity.file_objection(notice, item=items[d["item"]], name=d["name"], contact=d["contact"],
                                         text=d["text"], attachment=d["attachment"], ip=client_ip(request))
            except DomainError as exc:
                form.add_error("attachment" if exc.code.startswith("upload") else None, str(exc))
                return self.render_page(request, notice, form, status=429 if exc.status == 429 else 200)
            messages.success(request, _("异议已提交，我们将在核实后通过您留下的联系方式反馈处理结果。"))
            return redirect("public_notice", province=province, pk=notice.pk)
        return self.render_page(request, notice, form)


# --- officers ---

class NoticeManageListView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "portal/publicity_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notices"] = scope_notices(self.access).annotate(
            item_count=Count("items", distinct=True),
            open_objections=Count("objections", filter=Q(objections__state=ObjectionState.OPEN), distinct=True),
        ).order_by("-published_at")[:100]
        context["open_objections"] = scope_objections(self.access).filter(state=ObjectionState.OPEN).select_related(
            "notice", "item").order_by("submitted_at")
        return context


class NoticeManageDetailView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "portal/publicity_manage_notice.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        notice = access_notice(self.access, self.kwargs["pk"])
        items: QuerySet[PublicityItem] = notice.items.prefetch_related(
            Prefetch("objections", queryset=Objection.objects.order_by("submitted_at")))
        context.update(notice=notice, items=items, today=timezone.localdate())
        return context


class ObjectionView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "portal/publicity_objection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        objection = kwargs.get("objection") or access_objection(self.access, self.kwargs["pk"])
        context.update(objection=objection, notice=objection.notice,
                       form=kwargs.get("form") or ObjectionResolutionForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objection = access_objection(self.access, kwargs["pk"])
        form = ObjectionResolutionForm(request.POST)
        if form.is_valid():
            try:
                publicity.resolve_objection(objection, acting_user=self.user,
                                            upheld=form.cleaned_data["decision"] == "upheld",
                                            resolution=form.cleaned_data["resolution"])
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("异议已处理。"))
            return redirect("publicity_objection", province=self.province.slug, pk=objection.pk)
        return self.render_to_response(self.get_context_data(objection=objection, form=form))


class ObjectionAttachmentView(ProvinceView):
    allowed_roles = PROVINCIAL

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        objection = access_objection(self.access, kwargs["pk"])
        return FileResponse(publicity.open_objection_attachment(self.access, objection), as_attachment=True,
                            filename=objection.attachment_name, content_type=objection.attachment_content_type)


def public_notice_url(notice: PublicityNotice) -> str:
    return reverse("public_notice", kwargs={"province": notice.province.slug, "pk": notice.pk})
