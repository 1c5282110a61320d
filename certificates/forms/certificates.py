"""Forms of certificate issuance and verification: the public lookups, issuing, revocation, correction, approval."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.exams import IdType
from ..models.issuance import CertificateStatus, RevocationReason
from ..numbering import is_well_formed, normalize_number

NUMBER_MAX_LENGTH, NAME_MAX_LENGTH = 40, 50  # what the number form's fields accept (its shortcut reads them too)


class NumberLookupForm(forms.Form):
    """按证书编号 + 姓名."""

    number = forms.CharField(label=_("证书编号"), max_length=NUMBER_MAX_LENGTH,
                             help_text=_("22位，如 S000044000123263000045"),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("持证人姓名"), max_length=NAME_MAX_LENGTH,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_number(self) -> str:
        value = normalize_number(self.cleaned_data["number"])
        if not is_well_formed(value):
            raise forms.ValidationError(_("证书编号应为22位：1位字母（Y或S）加21位数字。"), code="number_format")
        return value


# What none of the lookup fields accepts, and more: C0 controls (tab and line breaks too), DEL, the bidirectional
# overrides and surrogates. A value with any of them is left to the form or serializer, which words the refusal.
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain_value(value: Any, max_length: int) -> str | None:
    """A lookup field's value as a CharField (form or serializer) cleans it, when it certainly accepts it: a string,
    trimmed, not empty, within `max_length`, with none of the characters above. None for anything else."""
    if type(value) is not str or _NOT_PLAIN.search(value):
        return None
    value = value.strip()  # CharField trims, then checks the length of what is left
    return value if 0 < len(value) <= max_length else None


def plainly_valid_number_lookup(data: Any, prefix: str) -> tuple[str, str] | None:
    """(number, name) as NumberLookupForm(data, prefix=prefix) cleans them, for the posts it certainly accepts; None
    for any other (the form then runs, and words the errors). Building and validating the form was about a tenth of
    the lookup page's time; tests/certificates/test_lookup_input.py checks this against the form on every shape."""
    number = plain_value(data.get(f"{prefix}-number"), NUMBER_MAX_LENGTH)
    name = plain_value(data.get(f"{prefix}-name"), NAME_MAX_LENGTH)
    if number is None or name is None:
        return None
    number = normalize_number(number)
    return (number, name) if is_well_formed(number) else None


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
