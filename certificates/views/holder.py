"""The holder's skill-bank pages under /holder/: opening the account, the record (page, PDF, JSON), share links, and
the public page a share link opens."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.identifiers import mask_id_number
from portal.models import HolderAccount
from portal.ratelimit import client_ip
from portal.roles import AuthenticatedView, PublicView

from .. import services
from ..forms.holder import OpenAccountForm, ShareLinkForm

LOGIN_BACKEND = "portal.auth_backends.UsernameOrMobileBackend"
NEW_LINK_KEY = "holder_new_share_link"


class OpenAccountView(PublicView):
    """开通技能银行账号: identity number, name and one certificate's number, then a password."""

    template_name = "certificates/holder/open.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if services.account_of(request.user) is not None:
            return redirect("holder:home")
        return render(request, self.template_name, {"form": OpenAccountForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OpenAccountForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        try:
            account = services.open_account(
                id_number=data["id_number"], holder_name=data["name"], certificate_number=data["certificate_number"],
                password=data["password1"], mobile=data["mobile"], ip=client_ip(request))
        except DomainError as exc:
            return render(request, self.template_name, {"form": form, "error": str(exc)}, status=exc.status)
        login(request, account.user, backend=LOGIN_BACKEND)
        messages.success(request, _("技能银行账号已开通。以后登录时，用户名填写证件号码（或手机号码）。"))
        return redirect("holder:home")


class HolderView(AuthenticatedView):
    """A page of the logged-in holder's own account; anyone else is told the page does not exist."""

    account: HolderAccount

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            account = services.account_of(request.user)
            if account is None:
                raise Http404
            self.account = account
        return super().dispatch(request, *args, **kwargs)


def _share_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("holder:shared", kwargs={"token": token}))


class HolderHomeView(HolderView):
    """我的技能银行: every certificate, exam and feedback of the holder, the downloads and the share links."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def page(self, request: HttpRequest, *, form: ShareLinkForm | None = None, status: int = 200,
             error: str = "") -> HttpResponse:
        record = services.holder_record(self.account)
        new_link = request.session.pop(NEW_LINK_KEY, "")
        return render(request, "certificates/holder/home.html", {
            "record": record, "masked_id": mask_id_number(self.account.id_number), "links": services.links_of(self.account), "new_link": new_link, "share_error": error,
            "form": form or ShareLinkForm(certificates=record.certificates),
        }, status=status)


class ShareCreateView(HolderHomeView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("holder:home")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ShareLinkForm(request.POST, certificates=services.holder_record(self.account).certificates)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        try:
            _link, token = services.create_share_link(
                self.account, form.cleaned_data["certificates"], days=form.cleaned_data["days"],
                id_display=form.cleaned_data["id_display"], acting_user=self.user)
        except DomainError as exc:
            return self.page(request, form=form, status=exc.status, error=str(exc))
        request.session[NEW_LINK_KEY] = _share_url(request, token)
        messages.success(request, _("分享链接已生成。链接只显示这一次，请立即复制保存。"))
        return redirect(reverse("holder:home") + "#shares")


class ShareRevokeView(HolderView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        link = services.link_of(self.account, pk)
        if link is None:
            raise Http404
        services.revoke_share_link(link, acting_user=self.user)
        messages.success(request, _("分享链接已撤销，此后打开该链接将无法查看证书。"))
        return redirect(reverse("holder:home") + "#shares")


def record_pdf_response(account: Any, user: Any) -> HttpResponse:
    """The holder's whole record as a PDF download (the page and the API both answer with it), the download audited."""
    record = services.holder_record(account)
    response = HttpResponse(services.record_pdf(record), content_type="application/pdf")
    services.record_download(record, acting_user=user, what=services.RECORD_PDF)
    response["Content-Disposition"] = f'attachment; filename="skill-record-{timezone.localdate():%Y%m%d}.pdf"'
    return response


class RecordPdfView(HolderView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return record_pdf_response(self.account, self.user)


class RecordJsonView(HolderView):
    def get(self, request: HttpRequest) -> HttpResponse:
        record = services.holder_record(self.account)
        body = json.dumps(services.record_json(record), ensure_ascii=False, indent=2)
        services.record_download(record, acting_user=self.user, what=services.RECORD_JSON)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="skill-record-{timezone.localdate():%Y%m%d}.json"'
        return response


class SharedView(PublicView):
    """What a share link shows: the chosen certificates, the identity number masked or absent."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link, certificates = services.open_share_link(token, ip=client_ip(request))
        except DomainError as exc:
            return render(request, "certificates/holder/shared.html", {"error": str(exc)}, status=exc.status)
        response = render(request, "certificates/holder/shared.html", {"link": link, "certificates": certificates})
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
