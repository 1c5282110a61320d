"""An organization's supervision page — its indicators per occupation and period with intervals (officers of the
province; the organization itself) — and the organization's own writes: enrolment and course-price declarations,
and rating holders it employs as a registered employer."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings.selectors import pack_for
from portal.errors import DomainError
from portal.models import Institution, Role
from portal.roles import ProvinceView
from portal.text import plain

from .. import selectors, services
from ..access import access_organization, scope_organizations
from ..forms_feedback import CoursePriceForm, EmployerRatingForm, EnrolmentForm, yes_no
from ..models import PeriodKind
from ..periods import parse_period
from ._forms import show_error

OFFICERS = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER)
ORGANIZATION = (Role.INSTITUTION_MEMBER,)
TEMPLATE = "supervision/indicators_organization.html"


class OrganizationIndicatorsView(ProvinceView, TemplateView):
    """机构监督指标: one organization's indicators for a period, each with its definition, denominator and interval."""

    allowed_roles = (*OFFICERS, *ORGANIZATION)
    template_name = TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        institution = access_organization(self.access, self.kwargs["pk"])
        kinds = [k for k in pack_for(self.province).settings.indicator_periods if k in PeriodKind.values]
        kind = self.request.GET.get("period_kind") or (kinds[0] if kinds else PeriodKind.YEAR)
        if kind not in kinds:
            raise Http404
        periods = selectors.organization_periods(institution, period_kind=kind)
        period = plain(self.request.GET.get("period", "")) or (periods[0] if periods else "")
        cells = [c for c in selectors.organization_cells(institution, period_kind=kind) if c.period == period]
        is_own = institution.pk in self.access.institution_ids()
        context.update(
            institution=institution, kinds=[(k, PeriodKind(k).label) for k in kinds], kind=kind, periods=periods,
            period=period, period_label=(p.label if (p := parse_period(period)) else period),
            cells=[(cell, selectors.cell_values(cell)) for cell in cells], definitions=selectors.DEFINITIONS,
            last_run=selectors.last_run(), is_own=is_own,
        )
        if is_own:
            context.update(self._own_context(institution))
        return context

    def _own_context(self, institution: Institution) -> dict[str, Any]:
        occupations = services.filed_occupations(institution)
        return {
            "enrolment_form": EnrolmentForm(occupations=occupations, prefix="enrolment"),
            "price_form": CoursePriceForm(occupations=occupations, prefix="price"),
            "rating_form": EmployerRatingForm(prefix="rating"),
            "enrolments": selectors.enrolment_history(institution)[:20],
            "prices": selectors.price_history(institution)[:20],
        }


class MyOrganizationView(ProvinceView):
    """The organization's own page (the first organization the member belongs to)."""

    allowed_roles = ORGANIZATION

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        ids = sorted(self.access.institution_ids())
        if not ids:
            raise Http404
        filed = scope_organizations(self.access).filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        if not filed:  # not filed yet: say when the indicators appear instead of a 404
            return render(request, "supervision/indicators_not_yet.html", {"province": self.province})
        return redirect("supervision:organization", province=province, pk=filed[0])


class _OwnFormView(ProvinceView):
    """A POST of the organization's own form; on a refusal the page is shown again with the message beside it."""

    allowed_roles = ORGANIZATION

    def own_institution(self, pk: int) -> Institution:
        institution = access_organization(self.access, pk)
        if institution.pk not in self.access.institution_ids():
            raise Http404
        return institution

    def again(self, request: HttpRequest, institution: Institution, **forms: Any) -> HttpResponse:
        view = OrganizationIndicatorsView()
        view.setup(request, province=self.province.slug, pk=institution.pk)
        view.access = self.access
        context = view.get_context_data()
        context.update(forms)
        return render(request, TEMPLATE, context, status=400)


class DeclareEnrolmentView(_OwnFormView):
    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        institution = self.own_institution(pk)
        form = EnrolmentForm(request.POST, occupations=services.filed_occupations(institution), prefix="enrolment")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare_enrolment(institution, acting_user=self.user, occupation=data["occupation"],
                                           period=data["period"], enrolled=data["enrolled"], note=data["note"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("招生规模已申报；之前的申报保留为历史记录。"))
                return redirect("supervision:organization", province=province, pk=pk)
        return self.again(request, institution, enrolment_form=form)


class DeclarePriceView(_OwnFormView):
    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        institution = self.own_institution(pk)
        form = CoursePriceForm(request.POST, occupations=services.filed_occupations(institution), prefix="price")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare_course_price(
                    institution, acting_user=self.user, occupation=data["occupation"], level=data["level"],
                    price=data["price"], hours=data["hours"], effective_from=data["effective_from"],
                    note=data["note"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("课程价格已申报；之前的价格保留为历史记录。"))
                return redirect("supervision:organization", province=province, pk=pk)
        return self.again(request, institution, price_form=form)


class RateHolderView(_OwnFormView):
    """The organization as a registered employer rates a certificate holder it employs."""

    def post(self, request: HttpRequest, province: str, pk: int) -> HttpResponse:
        institution = self.own_institution(pk)
        form = EmployerRatingForm(request.POST, prefix="rating")
        if form.is_valid():
            data = form.cleaned_data
            employer = services.Employer(institution.name, institution.credit_code, self.user.get_full_name()
                                         or self.user.get_username(), "", institution=institution)
            try:
                certificate = services.find_certificate_for_employer(data["number"], data["name"], ip=None)
                services.submit_employer_feedback(certificate, employer, skill_match=data["skill_match"],
                                                  would_hire_again=bool(yes_no(data["would_hire_again"])),
                                                  acting_user=self.user)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("评价已提交。"))
                return redirect("supervision:organization", province=province, pk=pk)
        return self.again(request, institution, rating_form=form)
