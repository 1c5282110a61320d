"""Certificates (职业技能等级证书), their numbering counters, issuance batches, revocation and correction requests,
the provinces' signing keys and the public lookup log.

A certificate is never deleted or edited in its printed fields: a revocation changes its status, a correction issues
a new certificate (new number) and marks the old one superseded, pointing to the new. Status changes go through the
transitions below, called only by certificates.services (row lock, audit event, side effects after commit).

    valid ─revoke→ revoked                         [final]
    valid ─supersede→ superseded (by a newer one)  [final]
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from filings.models import Filing
from portal.identifiers import mask_id_number
from portal.models import Institution, Occupation, Province, SkillLevel, User

from .exams import Candidate, ExamPlan, IdType

__all__ = [
    "NO_WORK_TYPE",
    "BatchKind",
    "Certificate",
    "CertificateChange",
    "CertificateCounter",
    "CertificateStatus",
    "ChangeKind",
    "ChangeState",
    "IssuanceBatch",
    "LookupChannel",
    "LookupLog",
    "RevocationReason",
    "RosterPhoto",
    "SigningKey",
]

NO_WORK_TYPE = "--"  # printed where the occupation has no work type or direction (人社鉴发〔2021〕1号)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    SUPERSEDED = "superseded", _("已更正换发")


class RevocationReason(models.TextChoices):
    FRAUD = "fraud", _("弄虚作假、考试舞弊取得")
    ISSUED_IN_ERROR = "issued_in_error", _("审核或发证错误")
    DUPLICATE = "duplicate", _("重复发证")
    ORDERED = "ordered", _("主管部门责令撤销")
    OTHER = "other", _("其他")


class SigningKey(models.Model):
    """A province's Ed25519 key for the QR payloads. The private key is stored encrypted (certificates.signing);
    the public key and its validity are published at /verify/keys/<province>.json, including retired keys."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="signing_keys")
    key_id = models.CharField(_("密钥标识"), max_length=32, unique=True)
    public_key = models.CharField(_("公钥（base64url）"), max_length=64)
    private_key_encrypted = models.TextField(_("私钥（加密存储）"))
    valid_from = models.DateTimeField(_("启用时间"))
    valid_until = models.DateTimeField(_("停用时间"), null=True, blank=True)
    is_active = models.BooleanField(_("当前签名密钥"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证书签名密钥")
        verbose_name_plural = _("证书签名密钥")
        ordering = ["province", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province"], condition=models.Q(is_active=True),
                                    name="one_active_signing_key_per_province"),
        ]

    def __str__(self) -> str:
        return self.key_id


class CertificateCounter(models.Model):
    """The last certificate sequence used per organization (filing) × year of issue × level (certificates.numbering)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("发证年度"))
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    value = models.PositiveIntegerField(_("已用顺序号"), default=0)

    class Meta:
        verbose_name = _("证书顺序号计数器")
        verbose_name_plural = _("证书顺序号计数器")
        constraints = [
            models.UniqueConstraint(fields=["filing", "year", "level"], name="certificate_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.filing_id}:{self.year}:{self.level}={self.value}"


class BatchKind(models.TextChoices):
    ISSUE = "issue", _("批量发证")
    REISSUE = "reissue", _("更正换发")


class IssuanceBatch(models.Model):
    """One issuing act of an organization: the certificates it created at once, and the progress of their PDFs."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="certificate_batches")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="certificate_batches")
    plan = models.ForeignKey(ExamPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("考核计划"))
    kind = models.CharField(_("类型"), max_length=20, choices=BatchKind.choices, default=BatchKind.ISSUE)
    issued_on = models.DateField(_("发证日期"))
    total = models.PositiveIntegerField(_("证书数"))
    rendered = models.PositiveIntegerField(_("已生成PDF"), default=0)
    number_ranges = models.JSONField(_("编号区间"), default=list)
    rendered_at = models.DateTimeField(_("PDF全部生成时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发证批次")
        verbose_name_plural = _("发证批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["institution", "-created_at"], name="batch_institution_recent")]

    def __str__(self) -> str:
        return f"{self.institution} {self.issued_on:%Y-%m-%d}（{self.total}）"

    @property
    def is_rendered(self) -> bool:
        return self.rendered >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.rendered * 100 // self.total)


def photo_path(instance: "RosterPhoto", filename: str) -> str:
    return f"certificates/photos/{instance.candidate.plan_id}/{instance.candidate_id}.img"


class RosterPhoto(models.Model):
    """A candidate's photo, uploaded by the organization with the roster; printed on the certificate."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="photo")
    image = models.FileField(_("照片"), upload_to=photo_path)
    content_type = models.CharField(_("类型"), max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考生照片")
        verbose_name_plural = _("考生照片")

    def __str__(self) -> str:
        return str(self.candidate)


def certificate_pdf_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.province_id}/{instance.issued_on:%Y}/{instance.number}.pdf"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def in_province(self, province: Province) -> "CertificateQuerySet":
        return self.filter(province=province)

    def held_by(self, id_number: str, holder_name: str) -> "CertificateQuerySet":
        return self.filter(id_number=id_number, holder_name=holder_name)


class Certificate(FSMModelMixin, models.Model):
    """职业技能等级证书 — the printed fields as issued (人社鉴发〔2021〕1号), frozen; status changes only by transition.

    Foreign keys that are never searched on their own carry no index of their own (db_index=False): batch inserts
    of ten thousand rows pay for every index, and the lookups go through `number` and `id_number`.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", db_index=False)
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="certificates", db_index=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="certificates",
                                    db_index=False)
    batch = models.ForeignKey(IssuanceBatch, on_delete=models.PROTECT, related_name="certificates")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="certificates", db_index=False)
    number = models.CharField(_("证书编号"), max_length=22, unique=True)
    holder_name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("证件号码"), max_length=20, db_index=True)
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", db_index=False)
    occupation_code = models.CharField(_("职业编码"), max_length=10)
    occupation_name = models.CharField(_("职业名称"), max_length=100)
    work_type_name = models.CharField(_("工种/职业方向"), max_length=100, default=NO_WORK_TYPE)
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    organization_name = models.CharField(_("评价机构"), max_length=200)
    issued_on = models.DateField(_("发证日期"))
    photo = models.FileField(_("照片"), blank=True, max_length=200)
    status = FSMField(_("状态"), default=CertificateStatus.VALID, choices=CertificateStatus.choices, protected=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    revocation_reason_code = models.CharField(_("撤销原因"), max_length=20, choices=RevocationReason.choices,
                                              blank=True)
    revocation_reason = models.TextField(_("撤销说明"), blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                                      related_name="supersedes", verbose_name=_("换发的新证书"))
    payload = models.TextField(_("二维码签名数据"), blank=True)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                                    related_name="+")
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_path, blank=True, max_length=200)
    pdf_rendered_at = models.DateTimeField(_("PDF生成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        ordering = ["-issued_on", "number"]
        indexes = [
            models.Index(fields=["province", "issued_on"], name="certificate_province_issued"),
            models.Index(fields=["institution", "issued_on"], name="certificate_institution_issued"),
        ]
        constraints = [
            # one certificate in force (valid or revoked) per result; a corrected one is superseded by its successor
            models.UniqueConstraint(fields=["candidate"], condition=~models.Q(status="superseded"),
                                    name="one_live_certificate_per_result"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="certificate_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def level_label(self) -> str:
        return str(SkillLevel(self.level).label)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    # --- transitions: called only by certificates.services ---
    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.REVOKED)
    def revoke(self, *, on: dt.date, reason_code: str, reason: str) -> None:
        self.status_changed_on = on
        self.revocation_reason_code = reason_code
        self.revocation_reason = reason

    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.SUPERSEDED)
    def supersede(self, *, on: dt.date) -> None:
        self.status_changed_on = on


class ChangeKind(models.TextChoices):
    REVOKE = "revoke", _("撤销")
    CORRECT = "correct", _("更正换发")


class ChangeState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class CertificateChange(FSMModelMixin, models.Model):
    """A revocation or correction the organization asks for; it takes effect when the approver agrees
    (certificates.services.CHANGE_APPROVERS: the supervising city, or the province, per pack).

        requested ─approve→ approved (the certificate is revoked, or reissued with a new number)
        requested ─reject→ rejected
        requested ─withdraw→ withdrawn
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("类型"), max_length=20, choices=ChangeKind.choices)
    state = FSMField(_("状态"), default=ChangeState.REQUESTED, choices=ChangeState.choices, protected=True)
    reason_code = models.CharField(_("原因"), max_length=20, choices=RevocationReason.choices, blank=True)
    reason = models.TextField(_("说明"))
    corrections = models.JSONField(_("更正内容"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    replacement = models.ForeignKey(Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("换发的新证书"))

    class Meta:
        verbose_name = _("证书撤销与更正申请")
        verbose_name_plural = _("证书撤销与更正申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["province", "state"], name="certificate_change_worklist")]
        constraints = [
            models.UniqueConstraint(fields=["certificate"], condition=models.Q(state="requested"),
                                    name="one_open_change_per_certificate"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate.number}"

    @transition(field=state, source=ChangeState.REQUESTED, target=ChangeState.APPROVED)
    def approve(self, *, by: User, note: str) -> None:
        self.decided_by = by
        self.decision_note = note

    @transition(field=state, source=ChangeState.REQUESTED, target=ChangeState.REJECTED)
    def reject(self, *, by: User, note: str) -> None:
        self.decided_by = by
        self.decision_note = note

    @transition(field=state, source=ChangeState.REQUESTED, target=ChangeState.WITHDRAWN)
    def withdraw(self) -> None:
        pass


class LookupChannel(models.TextChoices):
    NUMBER = "number", _("证书编号+姓名")
    ID_NUMBER = "id_number", _("证件号码+姓名")
    QR = "qr", _("二维码")
    PERSON = "person", _("个人证书记录")
    LINK = "link", _("关联证书链接")
    API_NUMBER = "api_number", _("接口：证书编号+姓名")
    API_ID_NUMBER = "api_id_number", _("接口：证件号码+姓名")


class LookupLog(models.Model):
    """One public lookup: what was asked (never the full ID number — a keyed hash and the masked form), from where
    (a keyed hash of the address), and whether it found a certificate."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("方式"), max_length=20, choices=LookupChannel.choices)
    number = models.CharField(_("查询的证书编号"), max_length=22, blank=True)
    id_digest = models.CharField(_("证件号码（散列）"), max_length=64, blank=True)
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=20, blank=True)
    found = models.PositiveSmallIntegerField(_("查到证书数"), default=0)
    # No constraint in the database: checking it at each flush's commit took half the flush's time in PostgreSQL and
    # share-locked every certificate looked up (a write to its row, and WAL to the replica). The id always comes
    # from the lookup's own read of that certificate; no certificate is ever deleted (PROTECT stays for the ORM).
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    db_index=False, db_constraint=False)
    ip_hash = models.CharField(_("来源（散列）"), max_length=64)
    rate_limited = models.BooleanField(_("被限流"), default=False)
    # One id per lookup: a batch flushed again from the Redis queue after a crash inserts each lookup once.
    request_id = models.UUIDField(_("查询标识"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("证书查询日志")
        verbose_name_plural = _("证书查询日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()}"
