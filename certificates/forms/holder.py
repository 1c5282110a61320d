"""Forms of the holder's skill-bank account: opening it on three facts, and a share link's choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.identifiers import normalize_mobile, validate_mobile

from ..models import IdDisplay
from ..services.share_links import DEFAULT_DAYS, MAX_DAYS


class OpenAccountForm(forms.Form):
    id_number = forms.CharField(label=_("证件号码"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    certificate_number = forms.CharField(
        label=_("本人任意一张证书的编号"), max_length=30, help_text=_("22位证书编号，印在证书上。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    mobile = forms.CharField(label=_("手机号码（选填，可用于登录）"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    password1 = forms.CharField(label=_("设置密码"), strip=False,
                                help_text=_("至少8位，不能全是数字，不要与证件号码相近。"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_mobile(self) -> str:
        value = normalize_mobile(self.cleaned_data.get("mobile") or "")
        if value:
            validate_mobile(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ShareLinkForm(forms.Form):
    certificates = forms.TypedMultipleChoiceField(label=_("分享哪些证书"), coerce=int,
                                                  widget=forms.CheckboxSelectMultiple,
                                                  error_messages={"required": _("请至少选择一张证书。")})
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS,
                              required=False, help_text=_("不填为30天，最长365天。"))
    id_display = forms.ChoiceField(label=_("证件号码"), choices=IdDisplay.choices, initial=IdDisplay.MASKED,
                                   required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, certificates: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["certificates"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c["id"], f'{c["number"]} {c["occupation_name"]} {c["level_label"]}') for c in certificates]

    def clean_days(self) -> int:
        return self.cleaned_data.get("days") or DEFAULT_DAYS

    def clean_id_display(self) -> str:
        return self.cleaned_data.get("id_display") or IdDisplay.MASKED
