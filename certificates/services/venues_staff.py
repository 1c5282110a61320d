"""The organization's exam venues and staff (考点、考务人员) with their qualifications."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import DomainError
from portal.identifiers import mask_id_number, normalize_id_number, validate_id_number
from portal.models import City, Institution, Occupation, User

from ..errors import Codes
from ..models import ExamStaff, ExamVenue, StaffDuty, StaffQualification
from ..models.exams import level_labels
from ._common import _require_member


def create_venue(institution: Institution, *, acting_user: User, name: str, address: str, city: City) -> ExamVenue:
    _require_member(acting_user, institution)
    name, address = name.strip(), address.strip()
    if city.province_id != institution.province_id:
        raise DomainError(_("考核场所须在本省内。"), code=Codes.VENUE_INVALID)
    if not (name and address):
        raise DomainError(_("请填写场所名称和详细地址。"), code=Codes.VENUE_INVALID)
    with transaction.atomic():
        if ExamVenue.objects.filter(institution=institution, name=name).exists():
            raise DomainError(_("已有名为“%(name)s”的考核场所。") % {"name": name}, code=Codes.VENUE_INVALID)
        venue = ExamVenue.objects.create(province=institution.province, institution=institution, city=city,
                                         name=name, address=address)
        record_event(actor=acting_user, action="exam_venue_created", obj=venue, province=institution.province,
                     changes={"name": {"before": None, "after": name}, "city": {"before": None, "after": city.name},
                              "address": {"before": None, "after": address}})
    return venue


@dataclass(frozen=True)
class Qualification:
    occupation: Occupation
    levels: tuple[int, ...]


def create_staff(
    institution: Institution, *, acting_user: User, name: str, id_number: str, duty: str,
    certificate_number: str = "", qualifications: Sequence[Qualification] = (),
) -> ExamStaff:
    """Add a person to the organization's exam staff; the identity number is validated with its check digit."""
    _require_member(acting_user, institution)
    name = name.strip()
    number = normalize_id_number(id_number)
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=Codes.STAFF_INVALID) from exc
    if not name:
        raise DomainError(_("请填写姓名。"), code=Codes.STAFF_INVALID)
    if duty not in StaffDuty.values:
        raise DomainError(_("岗位无效。"), code=Codes.STAFF_INVALID)
    if duty == StaffDuty.ASSESSOR and not qualifications:
        raise DomainError(_("考评员须登记可考评的职业和等级。"), code=Codes.STAFF_INVALID)
    with transaction.atomic():
        if ExamStaff.objects.filter(institution=institution, id_number=number, duty=duty).exists():
            raise DomainError(_("%(name)s已登记为%(duty)s。") % {"name": name, "duty": StaffDuty(duty).label},
                              code=Codes.STAFF_INVALID)
        staff = ExamStaff.objects.create(province=institution.province, institution=institution, name=name,
                                         id_number=number, duty=duty, certificate_number=certificate_number.strip())
        StaffQualification.objects.bulk_create(
            StaffQualification(staff=staff, occupation=q.occupation, levels=sorted(set(q.levels), reverse=True))
            for q in qualifications
        )
        record_event(
            actor=acting_user, action="exam_staff_created", obj=staff, province=institution.province,
            changes={"name": {"before": None, "after": name},
                     "id_number": {"before": None, "after": mask_id_number(number)},
                     "duty": {"before": None, "after": duty},
                     "qualifications": {"before": None, "after": [
                         f"{q.occupation.code} {level_labels(list(q.levels))}" for q in qualifications]}},
        )
    return staff


def _qualification_text(staff: ExamStaff) -> list[str]:
    return [f"{q.occupation.code} {level_labels(list(q.levels))}" for q in staff.qualifications.order_by("occupation__code")]


def update_staff(
    staff: ExamStaff, *, acting_user: User, name: str, certificate_number: str, is_active: bool,
    qualification: Qualification | None = None,
) -> ExamStaff:
    """Edit a person of the exam staff: name, certificate number, whether on duty, and the levels of one occupation
    (no levels: that occupation's qualification is removed). The ID number and the duty stay; audited."""
    _require_member(acting_user, staff.institution)
    name = name.strip()
    if not name:
        raise DomainError(_("请填写姓名。"), code=Codes.STAFF_INVALID)
    with transaction.atomic():
        locked = ExamStaff.objects.select_for_update().get(pk=staff.pk)
        before = {"name": locked.name, "certificate_number": locked.certificate_number,
                  "is_active": locked.is_active, "qualifications": _qualification_text(locked)}
        if qualification is not None:
            locked.qualifications.filter(occupation=qualification.occupation).delete()
            if qualification.levels:
                StaffQualification.objects.create(staff=locked, occupation=qualification.occupation,
                                                  levels=sorted(set(qualification.levels), reverse=True))
        if locked.duty == StaffDuty.ASSESSOR and not locked.qualifications.exists():
            raise DomainError(_("考评员须登记可考评的职业和等级。"), code=Codes.STAFF_INVALID)
        locked.name, locked.certificate_number, locked.is_active = name, certificate_number.strip(), is_active
        locked.save(update_fields=["name", "certificate_number", "is_active"])
        after = {"name": locked.name, "certificate_number": locked.certificate_number,
                 "is_active": locked.is_active, "qualifications": _qualification_text(locked)}
        changes = {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
        if changes:
            record_event(actor=acting_user, action="exam_staff_updated", obj=locked, province=locked.province,
                         changes=changes)
    return locked
