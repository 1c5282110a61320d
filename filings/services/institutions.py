"""Registering an institution with its first account, and editing the institution's data."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError
from portal.identifiers import normalize_credit_code, normalize_mobile, validate_credit_code, validate_mobile
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
