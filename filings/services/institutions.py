"""Registering an institution with its first account, and editing the institution's data."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError
from portal.identifiers import (
    credit_code_region,
    normalize_credit_code,
    normalize_mobile,
    validate_credit_code,
    validate_mobile,
)
from portal.models import (
    Institution,
    Membership,
    Province,
    Role,
    User,
)
from portal.roles import require_role

from .. import selectors
from ..errors import Codes

INSTITUTION_FIELDS = [
    "name", "credit_code", "category", "nature", "level", "city", "address", "legal_representative",
    "registered_capital", "contact_person", "contact_title", "contact_phone", "contact_email",
]


def _check_institution_data(province: Province, data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    data = dict(data)
    data["credit_code"] = normalize_credit_code(data["credit_code"])
    try:
        validate_credit_code(data["credit_code"])
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=exc.code or Codes.USCC_INVALID) from exc
    _check_region(province, data["credit_code"])
    pack = selectors.pack_for(province)
    if data["category"] not in {c.key for c in pack.categories}:
        raise DomainError(_("申请类别“%(c)s”不在本省政策包中。") % {"c": data["category"]}, code=Codes.CATEGORY_UNKNOWN)
    if data["city"].province_id != province.pk:
        raise DomainError(_("所在地市必须属于%(p)s。") % {"p": province.name}, code=Codes.CITY_OUTSIDE_PROVINCE)
    duplicate = Institution.objects.filter(province=province, credit_code=data["credit_code"])
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(
            _("统一社会信用代码%(code)s已在本省注册，请勿重复注册；如需加入该机构账户，请联系其管理员。")
            % {"code": data["credit_code"]},
            code=Codes.USCC_DUPLICATE,
        )
    return data


def _check_region(province: Province, code: str) -> None:
    """The credit code was issued by a registering authority of the province (its 3rd–8th characters)."""
    region, region_province = credit_code_region(code)
    if region[:2] == province.code:
        return
    raise DomainError(
        _("统一社会信用代码第3–8位（登记管理机关行政区划代码）为%(region)s，属于%(other)s，不在%(province)s；"
          "本省只受理在%(province)s登记的机构，请核对代码。")
        % {"region": region, "other": region_province or _("其他地区"), "province": province.name},
        code=Codes.USCC_OTHER_PROVINCE, region=region,
    )


def _checked_mobile(mobile: str | None) -> str | None:
    """The mobile number in ASCII digits (full-width ones read as digits), or DomainError when it is not one."""
    if not mobile:
        return None
    number = normalize_mobile(mobile)
    try:
        validate_mobile(number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=Codes.MOBILE_INVALID) from exc
    return number


def register_institution(
    province: Province, *, username: str, password: str, email: str, mobile: str | None, display_name: str,
    institution_data: dict[str, Any],
) -> tuple[User, Institution]:
    """An applicant registers an account and its institution; the account becomes the institution's member."""
    data = _check_institution_data(province, institution_data)
    mobile = _checked_mobile(mobile)
    try:
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                raise DomainError(_("用户名“%(u)s”已被使用。") % {"u": username}, code=Codes.USERNAME_TAKEN)
            if mobile and User.objects.filter(mobile=mobile).exists():
                raise DomainError(_("手机号码%(m)s已注册。") % {"m": mobile}, code=Codes.MOBILE_TAKEN)
            user = User(username=username, email=email, mobile=mobile or None, display_name=display_name)
            user.set_password(password)
            user.save()
            institution = Institution.objects.create(province=province, **data)
            Membership.objects.create(
                user=user, province=province, role=Role.INSTITUTION_MEMBER, institution=institution
            )
            record_event(
                actor=user, action="institution_registered", obj=institution, province=province,
                changes={k: {"before": None, "after": str(v)} for k, v in data.items()},
            )
    except IntegrityError as exc:
        raise ConflictError(_("该机构或账户刚刚已被注册，请刷新后重试。")) from exc
    return user, institution


def update_institution(institution: Institution, *, acting_user: User, data: dict[str, Any]) -> Institution:
    require_role(acting_user, institution.province, Role.INSTITUTION_MEMBER, institution=institution,
                 message=_("只有本机构的用户可以办理此事项。"))
    data = _check_institution_data(institution.province, data, exclude_pk=institution.pk)
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        if data["credit_code"] != locked.credit_code and credit_code_locked(locked):
            raise DomainError(
                _("机构已提交过备案申请，统一社会信用代码不能再由机构修改；如确需更正，请联系省级经办人员。"),
                code=Codes.USCC_LOCKED,
            )
        before = {k: str(getattr(locked, k)) for k in data}
        for key, value in data.items():
            setattr(locked, key, value)
        after = {k: str(getattr(locked, k)) for k in data}
        changes = diff(before, after)
        if not changes:
            return locked
        locked.save()
        record_event(actor=acting_user, action="institution_updated", obj=locked, province=locked.province,
                     changes=changes)
    return locked


def credit_code_locked(institution: Institution) -> bool:
    """Once an application was submitted the credit code is the applicant's identity: only officers correct it."""
    return institution.applications.filter(submitted_at__isnull=False).exists()


def correct_credit_code(institution: Institution, *, acting_user: User, credit_code: str, reason: str) -> Institution:
    """A provincial officer corrects an institution's credit code (checked as at registration), with the reason."""
    require_role(acting_user, institution.province, Role.PROVINCIAL_OFFICER,
                 message=_("只有省级经办人员可以更正统一社会信用代码。"))
    if not reason.strip():
        raise DomainError(_("请填写更正原因。"), code=Codes.REASON_REQUIRED)
    data = _check_institution_data(
        institution.province, {"credit_code": credit_code, "category": institution.category, "city": institution.city},
        exclude_pk=institution.pk,
    )
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        before = locked.credit_code
        if data["credit_code"] == before:
            return locked
        locked.credit_code = data["credit_code"]
        locked.save(update_fields=["credit_code"])
        record_event(actor=acting_user, action="institution_credit_code_corrected", obj=locked,
                     province=locked.province, reason=reason.strip(),
                     changes={"credit_code": {"before": before, "after": locked.credit_code}})
    return locked
