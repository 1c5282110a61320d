"""Forms of certificate issuance and verification: the public lookups, issuing, revocation, correction, approval."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.exams import IdType
from ..models.issuance import CertificateStatus, RevocationReason
from ..numbering import is_well_formed, normalize_number


class NumberLookupForm(forms.Form):
    """按证书编号 + 姓名."""

    number = forms.CharField(label=_("证书编号"), max_length=40,
                             help_text=_("22位，如 S000044000123263000045"),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("持证人姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_number(self) -> str:
        value = normalize_number(self.cleaned_data["number"])
        if not is_well_formed(value):
            raise forms.ValidationError(_("证书编号应为22位：1位字母（Y或S）加21位数字。"), code="number_format")
        return value


class IdLookupForm(forms.Form):
    """按证件号码 + 姓名 (the person's page uses the same form)."""

    id_number = forms.CharField(label=_("证件号码"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("持证人姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class IssueForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片（JPG或PNG，不超过5MB）"))


class RevocationForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("撤销原因"), choices=RevocationReason.choices)
    reason = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CorrectionForm(forms.Form):
    holder_name = forms.CharField(label=_("姓名"), max_length=50)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    work_type_name = forms.CharField(label=_("工种/职业方向"), max_length=100, help_text=_("无工种时填“--”"))
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def corrections(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in ("holder_name", "id_type", "id_number", "work_type_name")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("不予批准"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=2000, help_text=_("不予批准时必填"))


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("证书编号、姓名或机构"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *CertificateStatus.choices])
    issued_from = forms.DateField(label=_("发证日期自"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    issued_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
