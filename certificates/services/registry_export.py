"""The columns of the certificate registry export: the national data fields for the national networked lookup.

The fields a certificate carries under 人社鉴发〔2021〕1号 (certificate name, organization, issue date, holder, ID type
and number, occupation and its code, work type or "--", level as "三级/高级工", number, photo), then what the
national lookup needs to place and keep them current: the organization's credit code, the issuing province's
GB/T 2260 code, the status with its date and reason, and the replacement's number.
"""

from typing import Any

from django.db.models import QuerySet

from portal.exports import Column

CERTIFICATE_NAME = "职业技能等级证书"


def _photo_name(certificate: Any) -> str:
    name = str(certificate.photo.name or "") if certificate.photo else ""
    return name.rsplit("/", 1)[-1]


NATIONAL_COLUMNS = [
    Column("证书名称", lambda c: CERTIFICATE_NAME),
    Column("证书编号", lambda c: c.number),
    Column("姓名", lambda c: c.holder_name),
    Column("证件类型", lambda c: c.get_id_type_display()),
    Column("证件号码", lambda c: c.id_number),
    Column("职业编码", lambda c: c.occupation_code),
    Column("职业名称", lambda c: c.occupation_name),
    Column("工种/职业方向", lambda c: c.work_type_name),
    Column("等级", lambda c: c.level_label),
    Column("评价机构", lambda c: c.organization_name),
    Column("评价机构统一社会信用代码", lambda c: c.institution.credit_code),
    Column("发证省份代码", lambda c: c.province.code),
    Column("发证日期", lambda c: c.issued_on),
    Column("照片文件名", _photo_name),
    Column("证书状态", lambda c: c.get_status_display()),
    Column("状态变更日期", lambda c: c.status_changed_on),
    Column("撤销原因", lambda c: c.get_revocation_reason_code_display() if c.revocation_reason_code else ""),
    Column("换发新证书编号", lambda c: c.superseded_by.number if c.superseded_by_id else ""),
]


def with_national_fields(certificates: QuerySet[Any]) -> QuerySet[Any]:
    """The registry's rows with what the national columns read, in one query."""
    return certificates.select_related("superseded_by", "institution", "province")
