"""Filing pages: filings in scope, one filing, its letters, added occupations, and Shandong's report and catalog."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.errors import DomainError
from portal.exports import Column, ExportableListView
from portal.models import City, Role
from portal.roles import ProvinceAccess, ProvinceView

from .. import selectors, services
from ..access import (
    access_filing,
    access_filing_letter,
    access_occupation_addition,
    scope_filings,
)
from ..forms import (
    AdditionDecisionForm,
    AdditionForm,
    FilingFilterForm,
)
from ..models import (
    AdditionState,
    Cultivation,
    Filing,
    FilingStatus,
)
from ._shared import APPLICANT, EVERYONE, PROVINCE, _act, _form_errors, _ObjectView, _pdf_response


class FilingListView(ExportableListView):
    allowed_roles = EVERYONE
    template_name = "filings/filing_list.html"
    export_name = "filings"
    export_title = "备案机构"
    filter_form_class = FilingFilterForm

    @classmethod
    def make_filter_form(cls, access: ProvinceAccess, data: Any) -> forms.Form:
        return FilingFilterForm(data, province=access.province)

    @classmethod
    def base_queryset(cls, access: ProvinceAccess) -> QuerySet[Any]:
        return (scope_filings(access).select_related("institution", "city")
                .prefetch_related("occupations__occupation", "occupations__work_type").order_by("-filed_on", "-pk"))

    @classmethod
    def apply_filters(cls, qs: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("q"):
            term = data["q"].strip()
            qs = qs.filter(Q(institution__name__icontains=term) | Q(filing_number__icontains=term)
                           | Q(institution_code=term))
        if data.get("state"):
            qs = qs.filter(status=data["state"])
        if data.get("city"):
            qs = qs.filter(city=data["city"])
        if data.get("unpublished"):
            qs = qs.filter(published_at__isnull=True)
        return qs

    @classmethod
    def columns(cls) -> list[Column]:
        return [
            Column("机构名称", lambda f: f.institution.name),
            Column("统一社会信用代码", lambda f: f.institution.credit_code),
            Column("属地地市", lambda f: f.city.name),
            Column("备案编号", lambda f: f.filing_number),
            Column("机构代码", lambda f: f.institution_code),
            Column("机构顺序号", lambda f: f.organization_sequence),
            Column("备案职业", lambda f: "；".join(f"{o.occupation.code} {o}（{o.level_labels()}）"
                                                 for o in f.occupations.all())),
            Column("有效期起", lambda f: f.valid_from),
            Column("有效期至", lambda f: f.valid_until),
            Column("状态", lambda f: f.get_status_display()),
            Column("目录公布", lambda f: timezone.localtime(f.published_at).strftime("%Y-%m-%d") if f.published_at else ""),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = self.access
        context["reports_cities"] = (
            list(City.objects.filter(pk__in=access.city_ids()))
            if selectors.pack_for(self.province).settings.assigns_institution_code else []
        )
        context["to_publish"] = (scope_filings(access).filter(reported_at__isnull=False, published_at__isnull=True).count()
                                 if access.is_provincial_officer else 0)
        return context


class FilingDetailView(_ObjectView, TemplateView):
    allowed_roles = EVERYONE
    template_name = "filings/filing_detail.html"

    def get_object(self) -> Filing:
        return access_filing(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = self.get_object()
        context.update(
            filing=filing,
            scope=filing.occupations.select_related("occupation", "work_type", "letter"),
            letters=filing.letters.all(),
            additions=filing.additions.prefetch_related("occupations__occupation", "occupations__work_type")
            .select_related("cultivation", "application__call"),
            cultivations=filing.cultivations.all(),
            is_member=filing.institution_id in self.access.institution_ids(),
            is_provincial=self.access.is_provincial_officer,
            decision_form=AdditionDecisionForm(),
            history=selectors.history(filing, self.province)[:50],
            submitted=AdditionState.SUBMITTED,
            additions_cultivate=selectors.pack_for(self.province).settings.has_cultivation,
        )
        return context


class FilingLetterDownloadView(_ObjectView):
    """The filing letter (备案函) or receipt (回执) PDF, from the organization's and the officers' pages."""

    allowed_roles = EVERYONE

    def get_object(self) -> Any:
        return access_filing_letter(self.access, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        letter = self.get_object()
        if not letter.pdf:  # the task has not run yet: render it now (once; it is stored)
            services.render_filing_letter(letter.pk)
            letter.refresh_from_db()
        return _pdf_response(letter.pdf, letter.filename)


class AdditionCreateView(_ObjectView, TemplateView):
    """An active filed organization applies to add occupations to its filing."""

    allowed_roles = APPLICANT
    template_name = "filings/addition_form.html"

    def get_object(self) -> Filing:
        filing = access_filing(self.access, self.kwargs["pk"])
        if filing.institution_id not in self.access.institution_ids():
            raise Http404
        return filing

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filing = self.get_object()
        has_cultivation = selectors.pack_for(self.province).settings.has_cultivation
        context.update(filing=filing, form=kwargs.get("form") or AdditionForm(chain_leader_question=has_cultivation),
                       has_cultivation=has_cultivation,
                       not_active=filing.status != FilingStatus.ACTIVE)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filing = self.get_object()
        has_cultivation = selectors.pack_for(self.province).settings.has_cultivation
        form = AdditionForm(request.POST, chain_leader_question=has_cultivation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                addition = services.apply_to_add_occupations(
                    filing, acting_user=self.user,
                    lines=[services.ScopeLine(data["occupation"], data["work_type"], data["levels"])],
                    has_completed_question_bank=data["has_completed_question_bank"],
                    operating_normally=data["operating_normally"], note=data["note"],
                    is_chain_leader=bool(data.get("is_chain_leader")),
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                cultivation = Cultivation.objects.filter(addition=addition).first()
                if addition.application_id is not None:
                    messages.success(request, _("新增职业须随申报批次参加遴选，已为您在本批次建立申请并填入已知信息；"
                                                "请补全申报信息和材料后提交。"))
                    return redirect("filings:application_detail", province=self.province.slug,
                                    pk=addition.application_id)
                if cultivation is not None:
                    messages.success(request, _("已提交，新增职业进入培育辅导期。请签署承诺书。"))
                    return redirect("filings:cultivation_detail", province=self.province.slug, pk=cultivation.pk)
                messages.success(request, _("新增职业申请已提交，等待省级遴选；同意后新增职业进入培育辅导期。")
                                 if has_cultivation else _("新增职业申请已提交，等待省级审核。"))
                return redirect("filings:filing_detail", province=self.province.slug, pk=filing.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AdditionDecideView(_ObjectView):
    allowed_roles = PROVINCE

    def get_object(self) -> Any:
        return access_occupation_addition(self.access, self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        addition = self.get_object()
        back = reverse("filings:filing_detail", kwargs={"province": self.province.slug, "pk": addition.filing_id})
        form = AdditionDecisionForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(back)
        approve = form.cleaned_data["decision"] == "approve"
        return _act(request, lambda: services.decide_occupation_addition(
            addition, acting_user=self.user, approve=approve, reason=form.cleaned_data["reason"]),
            _("已同意新增职业。") if approve else _("已作出不予新增决定。"), back)


class ReportFilingsView(ProvinceView):
    """A city reports its filed organizations to the province (Shandong)."""

    allowed_roles = (Role.CITY_OFFICER,)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        city_pk = request.POST.get("city", "")
        city = get_object_or_404(City, pk=int(city_pk) if city_pk.isdecimal() else 0, pk__in=self.access.city_ids())
        back = reverse("filings:filing_list", kwargs={"province": self.province.slug})
        try:
            count = services.report_filings(city, acting_user=self.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已向省报送%(n)d家评价机构。") % {"n": count} if count else _("没有待报送的评价机构。"))
        return redirect(back)


class PublishFilingsView(ProvinceView):
    """The province publishes the reported filings in the public catalog."""

    allowed_roles = PROVINCE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = reverse("filings:filing_list", kwargs={"province": self.province.slug})
        try:
            count = services.publish_filings(self.province, acting_user=self.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已在评价机构目录公布%(n)d家。") % {"n": count} if count else _("没有待公布的评价机构。"))
        return redirect(back)
