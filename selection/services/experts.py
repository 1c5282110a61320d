"""The province's expert pool (评审专家库): adding and editing experts, by the provincial officer."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.audit import diff, record_event
from portal.errors import ConflictError, DomainError
from portal.identifiers import normalize_credit_code, validate_credit_code
from portal.models import City, Province, Role, User
from portal.roles import has_role

from ..errors import Codes
from ..models import Expert
from ._common import require_provincial_officer

FIELD_PATTERN = re.compile(r"^\d(-\d{2}){0,3}$")


@dataclass(frozen=True)
class ExpertData:
    name: str
    employer: str
    employer_credit_code: str = ""
    city: City | None = None
    fields: Sequence[str] = ()
    contact: str = ""
    is_active: bool = True
    user: User | None = None


def _credit_code(value: str) -> str:
    code = normalize_credit_code(value) if value else ""
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            known = {c.value for c in Codes}
            raise DomainError(exc.messages[0], code=Codes(exc.code) if exc.code in known else Codes.USCC_INVALID) from exc
    return code


def _clean_expert(province: Province, data: ExpertData) -> dict[str, Any]:
    if not data.name.strip() or not data.employer.strip():
        raise DomainError(_("请填写专家姓名和工作单位。"), code=Codes.EXPERT_INCOMPLETE)
    code = _credit_code(data.employer_credit_code)
    fields = sorted({f.strip() for f in data.fields if f.strip()})
    bad = [f for f in fields if not FIELD_PATTERN.match(f)]
    if bad:
        raise DomainError(
            _("专业领域“%(f)s”不是职业分类大典的编码前缀（如 6、6-18、6-18-01）。") % {"f": "、".join(bad)},
            code=Codes.EXPERT_FIELD_INVALID,
        )
    if data.city is not None and data.city.province_id != province.pk:
        raise DomainError(_("所在地市必须属于%(p)s。") % {"p": province.name}, code=Codes.CITY_OUTSIDE_PROVINCE)
    if data.user is not None and not has_role(data.user, province, Role.EXPERT):
        raise DomainError(
            _("账户“%(u)s”在本省没有评审专家角色，请先为其授权。") % {"u": data.user}, code=Codes.EXPERT_ROLE_MISSING
        )
    return {"name": data.name.strip(), "employer": data.employer.strip(), "employer_credit_code": code,
            "city": data.city, "fields": fields, "contact": data.contact.strip(), "is_active": data.is_active,
            "user": data.user}


def _expert_snapshot(expert: Expert) -> dict[str, Any]:
    return {"name": expert.name, "employer": expert.employer, "employer_credit_code": expert.employer_credit_code,
            "city": expert.city_id, "fields": list(expert.fields), "contact": expert.contact,
            "is_active": expert.is_active, "user": expert.user_id}


def add_expert(province: Province, *, acting_user: User, data: ExpertData) -> Expert:
    require_provincial_officer(acting_user, province)
    values = _clean_expert(province, data)
    try:
        with transaction.atomic():
            expert = Expert.objects.create(province=province, **values)
            record_event(actor=acting_user, action="expert_added", obj=expert, province=province,
                         changes=diff({}, _expert_snapshot(expert)))
    except IntegrityError as exc:
        raise ConflictError(_("该账户已在本省专家库中。"), code=Codes.EXPERT_DUPLICATE) from exc
    return expert


def update_expert(expert: Expert, *, acting_user: User, data: ExpertData) -> Expert:
    require_provincial_officer(acting_user, expert.province)
    values = _clean_expert(expert.province, data)
    try:
        with transaction.atomic():
            locked = Expert.objects.select_for_update(of=("self",)).get(pk=expert.pk)
            before = _expert_snapshot(locked)
            for key, value in values.items():
                setattr(locked, key, value)
            changes = diff(before, _expert_snapshot(locked))
            if not changes:
                return locked
            locked.save()
            record_event(actor=acting_user, action="expert_updated", obj=locked, province=locked.province,
                         changes=changes)
    except IntegrityError as exc:
        raise ConflictError(_("该账户已在本省专家库中。"), code=Codes.EXPERT_DUPLICATE) from exc
    return locked
