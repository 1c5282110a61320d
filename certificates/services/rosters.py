"""The candidates' roster: importing it (COPY on PostgreSQL) and attaching their photos."""

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.copy import copy_text
from portal.errors import DomainError
from portal.models import User
from portal.uploads import check_upload

from .. import imports, selectors
from ..errors import Codes, RowsRejected
from ..models import Candidate, ExamPlan
from ..models.exams import level_labels
from ..models.issuance import RosterPhoto
from ._common import _lock_editable, _require_member
from .plan_filing import roster_overlaps


@dataclass(frozen=True)
class ImportResult:
    count: int
    warnings: list[imports.RowError]


def _copy_candidates(plan: ExamPlan, rows: list[imports.RosterRow], confirmed: set[str]) -> None:
    """Insert the roster: COPY on PostgreSQL (inside the caller's transaction), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        write = buffer.write
        pid = str(plan.pk)
        for r in rows:
            write("\t".join((pid, str(r.line), copy_text(r.name), r.id_type, r.id_number, r.gender,
                             r.phone, str(r.level), copy_text(r.training_class),
                             "t" if r.id_number in confirmed else "f", "f", "f", "f", "")) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(COPY_CANDIDATES_SQL, buffer)  # type: ignore[union-attr]  # psycopg2's cursor under Django's wrapper
        return
    Candidate.objects.bulk_create(
        (Candidate(plan=plan, line=r.line, name=r.name, id_type=r.id_type, id_number=r.id_number, gender=r.gender,
                   phone=r.phone, level=r.level, training_class=r.training_class,
                   certified_warning_confirmed=r.id_number in confirmed) for r in rows),
        batch_size=500,
    )


COPY_CANDIDATES_SQL = (
    f"COPY {Candidate._meta.db_table} (plan_id, line, name, id_type, id_number, gender, phone, level, training_class, "
    "certified_warning_confirmed, theory_absent, practical_absent, review_absent, withheld_reason) FROM STDIN"
)


def import_roster(plan: ExamPlan, *, acting_user: User, content: bytes, filename: str = "",
                  confirm_certified: bool = False) -> ImportResult:
    """Replace the plan's roster with the file's rows: every row valid, or nothing stored and every bad row reported.

    Checks per row: name, ID type and number (check digit and birth date), gender against the number, mobile,
    occupation and level of the plan, duplicates in the file, the same person on another plan of the province at an
    overlapping time; a person already certified at this occupation and level is a warning the organization must
    confirm (confirm_certified=True) before the roster is stored.
    """
    try:
        header, raw_rows = imports.read_rows(content, filename)
        occupation_names = {plan.occupation.name, plan.occupation.code}
        if plan.work_type:
            occupation_names |= {plan.work_type.name, f"{plan.occupation.name}（{plan.work_type.name}）"}
        checked = imports.parse_roster(header, raw_rows, occupation_names=occupation_names, levels=set(plan.levels))
    except imports.FileUnreadable as exc:
        raise DomainError(str(exc), code=Codes.FILE_UNREADABLE) from exc
    with transaction.atomic():
        locked = _lock_editable(plan, acting_user)
        errors = checked.errors
        if not errors:
            numbers = {r.id_number for r in checked.rows}
            clashes = roster_overlaps(locked, numbers)
            if clashes:
                errors = [imports.RowError(r.line, _("该考生已在同一时间参加计划“%(plan)s”的考核") % {
                    "plan": clashes[r.id_number]}) for r in checked.rows if r.id_number in clashes]
        if errors:
            raise RowsRejected(
                _("名册有%(n)d行错误，未导入任何考生，请修改后重新导入。") % {"n": len(errors)}, errors,
                code=Codes.ROSTER_INVALID)
        by_level: dict[int, set[str]] = {}
        for r in checked.rows:
            by_level.setdefault(r.level, set()).add(r.id_number)
        certified: set[str] = set()
        for level, numbers in by_level.items():
            certified |= selectors.certified_among(numbers, locked.occupation, level)
        warnings = [imports.RowError(r.line, _("%(name)s已取得%(occ)s%(level)s证书，请确认是否仍安排考核") % {
            "name": r.name, "occ": locked.occupation.name, "level": level_labels([r.level])})
            for r in checked.rows if r.id_number in certified]
        if warnings and not confirm_certified:
            raise RowsRejected(
                _("有%(n)d名考生已取得本职业同等级证书，确认后方可导入。") % {"n": len(warnings)}, warnings,
                code=Codes.ROSTER_CONFIRM)
        before = locked.candidates.count()
        locked.candidates.all().delete()
        _copy_candidates(locked, checked.rows, certified)
        record_event(
            actor=acting_user, action="exam_roster_imported", obj=locked, province=locked.province,
            changes={"roster": {"before": before, "after": len(checked.rows)},
                     "file": {"before": None, "after": f"{filename} sha256:{hashlib.sha256(content).hexdigest()[:16]}"},
                     "certified_confirmed": {"before": None, "after": len(certified)}},
        )
    return ImportResult(len(checked.rows), warnings)


PHOTO_PIXELS = (330, 440)  # 2.6 × 3.5 cm at about 320 dpi: sharp in print, ~20 KB, so a PDF stays under 200 KB


def _certificate_photo(upload: UploadedFile) -> bytes:
    """The photo as the certificate prints it: RGB JPEG of at most PHOTO_PIXELS (metadata dropped)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.thumbnail(PHOTO_PIXELS)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError(_("照片无法读取，请上传JPG或PNG图片。"), code=Codes.PHOTO_UNREADABLE) from exc
    return buffer.getvalue()

def attach_photo(candidate: Candidate, *, acting_user: User, upload: UploadedFile) -> RosterPhoto:
    """The organization attaches (or replaces) a candidate's photo (JPG or PNG), printed on the certificate."""
    plan = candidate.plan
    _require_member(acting_user, plan.filing.institution)
    checked = check_upload(upload)
    if checked.content_type not in ("image/jpeg", "image/png"):
        raise DomainError(_("照片须为JPG或PNG图片。"), code=Codes.PHOTO_TYPE)
    if checked.size > 5 * 1024 * 1024:
        raise DomainError(_("照片不能超过5MB。"), code=Codes.PHOTO_SIZE)
    content = _certificate_photo(upload)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        photo = RosterPhoto.objects.filter(candidate=locked).first()
        before = photo.image.name if photo else None
        if photo is None:
            photo = RosterPhoto(candidate=locked, uploaded_by=acting_user)
        photo.content_type = "image/jpeg"
        photo.uploaded_by = acting_user
        photo.image.save("photo", ContentFile(content), save=False)
        photo.save()
        record_event(actor=acting_user, action="candidate_photo_attached", obj=locked, province=plan.province,
                     changes={"photo": {"before": before, "after": photo.image.name}})
    return photo
