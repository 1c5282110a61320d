"""Two-factor pages: the code after the password, enrolling an authenticator, backup codes, the account's settings."""

from typing import Any, cast

import segno
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View

from .. import twofactor
from ..errors import DomainError
from ..models import User
from ..roles import AUTHENTICATED, AuthenticatedView


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"), max_length=20, strip=True,
        help_text=_("身份验证器应用显示的 6 位数字，或一个 8 位备用验证码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TwoFactorPage(LoginRequiredMixin, View):
    """A two-factor page: open to a signed-in session before its code (the guard lets it through)."""

    allowed_roles: tuple[str, ...] = (AUTHENTICATED,)
    two_factor_exempt = True

    @property
    def user(self) -> User:
        return cast(User, self.request.user)  # a signed-in session (AUTHENTICATED)

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(candidate, {self.request.get_host()}, self.request.is_secure()):
            return candidate
        return reverse("home")


class VerifyView(TwoFactorPage):
    """登录第二步: the code from the authenticator (or a backup code) after the password."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not twofactor.has_device(self.user):
            return redirect(twofactor.next_step_url(self.user, self.next_url()))
        return self.page(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = CodeForm(request.POST)
        if form.is_valid():
            if twofactor.verify_code(request, self.user, form.cleaned_data["code"]):
                return redirect(self.next_url())
            form.add_error("code", _("验证码不正确或已过期，请重新输入。"))
        return self.page(form)

    def page(self, form: CodeForm) -> HttpResponse:
        return render(self.request, "registration/two_factor_verify.html", {"form": form, "next": self.next_url()})


class EnrolView(TwoFactorPage):
    """设置两步验证: scan the QR code (or type the secret), confirm one code, see the backup codes once."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if twofactor.has_device(self.user) and not twofactor.is_verified(request.user):
            return redirect(twofactor.next_step_url(self.user, self.next_url()))
        return self.page(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponseBase:
        if twofactor.has_device(self.user) and not twofactor.is_verified(request.user):
            return redirect(twofactor.next_step_url(self.user, self.next_url()))
        form = CodeForm(request.POST)
        if form.is_valid():
            device = twofactor.pending_device(self.user)
            codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                return render(request, "registration/two_factor_backup_codes.html",
                              {"codes": codes, "next": self.next_url(), "enrolled": True})
            form.add_error("code", _("验证码不正确，请确认手机时间准确后重新输入。"))
        return self.page(form)

    def page(self, form: CodeForm) -> HttpResponse:
        device = twofactor.pending_device(self.user)
        uri = twofactor.provisioning_uri(device)
        return render(self.request, "registration/two_factor_enrol.html", {
            "form": form, "next": self.next_url(), "secret": twofactor.secret_of(device),
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        })


class SettingsView(AuthenticatedView):
    """账户安全: whether two-factor sign-in is on, backup codes left, and the actions that fit."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        return self.page()

    def page(self, **extra: Any) -> HttpResponse:
        user = self.user
        return render(self.request, "registration/two_factor_settings.html", {
            "enabled": twofactor.has_device(user), "required": twofactor.is_required(user),
            "codes_left": twofactor.backup_codes_left(user), **extra,
        })


class BackupCodesView(SettingsView):
    """New backup codes (the old ones stop working), shown once."""

    def post(self, request: HttpRequest) -> HttpResponseBase:
        user = self.user
        if not twofactor.has_device(user):
            return redirect("two_factor_settings")
        codes = twofactor.regenerate_backup_codes(request, user)
        return render(request, "registration/two_factor_backup_codes.html",
                      {"codes": codes, "next": reverse("two_factor_settings"), "enrolled": False})


class DisableView(SettingsView):
    """Turn two-factor sign-in off (only for a person whose role does not require it)."""

    def post(self, request: HttpRequest) -> HttpResponseBase:
        try:
            twofactor.remove_devices(self.user, request)
        except DomainError as exc:
            return self.page(error=exc.message)
        return redirect("two_factor_settings")
