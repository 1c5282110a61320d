"""The officers' certificate registry, in the national lookup's fields, with its Excel and CSV exports."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from portal.exports import Column, ExportableListView
from portal.roles import ProvinceAccess

from .. import services
from ..access import scope_certificates
from ..forms.certificates import RegistryFilterForm
from ._common import OFFICERS


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
        return services.with_national_fields(scope_certificates(access)).order_by("-issued_on", "number")

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
        return services.NATIONAL_COLUMNS

    # The CSV answer streams, so this get returns the wider HttpResponseBase than ListView.get (hence the ignore).
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]  # streams a CSV where ListView renders a page
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
        lines = services.export_registry_csv(self.province, qs, self.columns(), acting_user=self.user,
                                             export_name=self.export_name, title=str(self.export_title), params=params)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        filename = f"{self.export_name}-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

